using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using OpenCem.Feedback.Distribution;
using OpenCem.Hosting;
using OpenCem.Interactions;
using OpenCem.Storage;

namespace OpenCem.Analytics.Journeys;

/// <summary>
/// Keeps journey instances and their rollups up to date, incrementally. Per workspace it reads the interactions after
/// its cursor (a <c>workspace_counters</c> row) that carry a journey, in id order and batches; for each customer and
/// journey it continues the customer's latest instance (<see cref="JourneyInstanceBuilder.Append"/>), or, when an
/// interaction is older than that instance's last step (a late event), rebuilds that customer's instances of that
/// journey from their interactions. The rollups change by the difference between the old and new versions of every
/// instance touched, in the same transaction as the instances and the cursor, so they never disagree. Open instances
/// idle for longer than the gap are ended at each pass. Runs at start-up, every <see cref="JourneyOptions.Interval"/>,
/// and after a demo load.
/// </summary>
public sealed partial class JourneyProjector(Database database, CatalogueStore catalogue, JourneyOptions options, TimeProvider time, ILogger<JourneyProjector> logger)
    : PassWorker
{
    private const long PassLock = 727290;
    private readonly CommitHorizon _horizon = new();

    /// <summary>One pass over all workspaces with journeys; returns how many interactions it read.</summary>
    public Task<long> RunOnceAsync(CancellationToken cancellationToken = default) => ExclusiveAsync(() => PassAsync(cancellationToken), cancellationToken);

    private async Task<long> PassAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Kind == DatabaseKind.Postgres && !await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@PassLock)", new { PassLock }))
        {
            return 0;
        }

        try
        {
            var newest = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM interactions");
            var settle = options.Settle ?? (database.Kind == DatabaseKind.Postgres ? TimeSpan.FromSeconds(10) : TimeSpan.Zero);
            var upTo = _horizon.Observe(time.GetUtcNow(), newest, settle);
            var workspaces = (await connection.QueryAsync<long>("SELECT DISTINCT workspace_id FROM journeys")).ToList();
            long read = 0;
            foreach (var workspaceId in workspaces)
            {
                read += await ProjectWorkspaceAsync(connection, workspaceId, upTo, cancellationToken);
            }

            return read;
        }
        finally
        {
            if (database.Kind == DatabaseKind.Postgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@PassLock)", new { PassLock });
            }
        }
    }

    protected override async Task ScheduledPassAsync(CancellationToken cancellationToken)
    {
        if (await RunOnceAsync(cancellationToken) is > 0 and var read)
        {
            LogProjected(read);
        }
    }

    protected override Task WaitForNextPassAsync(CancellationToken cancellationToken) => Task.Delay(options.Interval, time, cancellationToken);

    private async Task<long> ProjectWorkspaceAsync(DbConnection connection, long workspaceId, long upTo, CancellationToken cancellationToken)
    {
        var journeys = (await catalogue.ListJourneysAsync(workspaceId, cancellationToken))
            .Where(j => j.Stages.Count > 0)
            .ToDictionary(j => j.Key, j => new JourneyInstanceBuilder(j, options.Gap), StringComparer.Ordinal);
        var cursor = await JourneyStore.CursorAsync(connection, null, workspaceId);
        long read = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await JourneyStore.EventsAfterAsync(connection, workspaceId, cursor, upTo, options.BatchSize);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var changes = new JourneyBatch(connection, workspaceId, journeys, now);
            if (batch.Count > 0)
            {
                await changes.PlanAsync(batch, batch[^1].Id);
                read += batch.Count;
            }

            var last = batch.Count < options.BatchSize;
            var next = last ? Math.Max(cursor, upTo) : batch[^1].Id;
            if (changes.HasChanges || next != cursor)
            {
                await WriteAsync(connection, workspaceId, changes, next, cancellationToken);
                cursor = next;
            }

            if (last)
            {
                // Planned after the batch is written: an instance the batch continued may be one the gap has ended.
                var expiry = new JourneyBatch(connection, workspaceId, journeys, now);
                await expiry.PlanExpiryAsync();
                if (expiry.HasChanges)
                {
                    await WriteAsync(connection, workspaceId, expiry, null, cancellationToken);
                }

                break;
            }
        }

        return read;
    }

    /// <summary>Writes planned changes (and the cursor, if given) in one short transaction, in turn with the other writers.</summary>
    private async Task WriteAsync(DbConnection connection, long workspaceId, JourneyBatch changes, long? cursor, CancellationToken cancellationToken)
    {
        await using var turn = await database.TakeWriteTurnAsync(cancellationToken, WritePriority.Bulk);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await changes.WriteAsync(transaction);
        if (cursor is { } value)
        {
            await JourneyStore.SaveCursorAsync(connection, transaction, workspaceId, value);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Journeys: {Count} interactions projected into journey instances")]
    private partial void LogProjected(long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A journey projection pass failed; retrying at the next interval")]
    private partial void LogPassFailed(Exception exception);

    protected override void PassFailed(Exception exception) => LogPassFailed(exception);

    internal sealed class EventRow
    {
        public long Id { get; set; }

        public long CustomerId { get; set; }

        public string JourneyKey { get; set; } = "";

        public string Stage { get; set; } = "";

        public string? Channel { get; set; }

        public long OccurredAt { get; set; }

        public JourneyEvent ToEvent() => new(Stage, OccurredAt, Channel ?? "");
    }
}
