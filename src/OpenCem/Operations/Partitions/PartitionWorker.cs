using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OpenCem.Hosting;

namespace OpenCem.Operations.Partitions;

/// <summary>Settings of <see cref="PartitionWorker"/> (<c>Partitions:MonthsAhead</c>).</summary>
public sealed record PartitionOptions
{
    public int MonthsAhead { get; init; } = MonthlyPartitions.DefaultMonthsAhead;

    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    public static PartitionOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new PartitionOptions();
        if (configuration["Partitions:MonthsAhead"] is { } months)
        {
            if (!int.TryParse(months, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 24)
            {
                throw new ServerConfigurationException($"Partitions:MonthsAhead must be a whole number from 1 to 24, not '{months}'.");
            }

            options = options with { MonthsAhead = value };
        }

        return options;
    }
}

/// <summary>
/// Keeps the next months' partitions of a partitioned interactions table ready (PostgreSQL; one server process at a
/// time: a leased job). Does nothing until the table was partitioned with <c>opencem partition</c>.
/// </summary>
public sealed partial class PartitionWorker(InteractionPartitioning partitioning, PartitionOptions options, TimeProvider time, ILogger<PartitionWorker> logger)
    : PassWorker
{
    protected override Task ScheduledPassAsync(CancellationToken cancellationToken) => ExclusiveAsync(async () =>
    {
        foreach (var table in await partitioning.EnsureAheadAsync(options.MonthsAhead, cancellationToken))
        {
            LogCreated(table);
        }

        return 0;
    }, cancellationToken);

    protected override Task WaitForNextPassAsync(CancellationToken cancellationToken) => Task.Delay(options.Interval, time, cancellationToken);

    protected override void PassFailed(Exception exception) => LogPassFailed(exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the interactions partition {Table}")]
    private partial void LogCreated(string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keeping the interactions partitions ahead failed; retrying at the next interval")]
    private partial void LogPassFailed(Exception exception);
}
