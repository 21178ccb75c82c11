using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OpenCem.Text.Pipeline;

/// <summary>
/// How the analysis worker runs, from the <c>Text</c> configuration section (<c>Text:PollIntervalSeconds</c>,
/// environment <c>Text__PollIntervalSeconds</c>). Arrivals through the API wake the worker at once; the poll finds
/// everything else (imports by another process, the respondent page, a changed taxonomy).
/// </summary>
public sealed record TextOptions
{
    public const string SectionName = "Text";

    /// <summary>How often the worker looks for unanalysed or stale comments and signals (<c>PollIntervalSeconds</c>, default 2).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Comments or signals read, analysed and stored per transaction (<c>BatchSize</c>, default 1000).</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>
    /// How long an id may wait for its transaction's commit (<c>SettleSeconds</c>): the progress mark stays this far behind,
    /// so a row with a smaller id committed late is still found. Null: 10 seconds on PostgreSQL, none on SQLite.
    /// </summary>
    public TimeSpan? Settle { get; init; }

    /// <summary>The least time between two recomputations of the suggested themes (<c>SuggestionIntervalSeconds</c>, default 60).</summary>
    public TimeSpan SuggestionInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether the worker runs in the server at all (<c>Worker</c>, default true); <c>opencem text reanalyze</c> does the same work.</summary>
    public bool Worker { get; init; } = true;

    /// <exception cref="InvalidOperationException">A value is present but invalid; the message names the key.</exception>
    public static TextOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var defaults = new TextOptions();
        return new TextOptions
        {
            PollInterval = Seconds(section, "PollIntervalSeconds", 0.01, 3600) ?? defaults.PollInterval,
            BatchSize = (int?)Number(section, "BatchSize", 1, 10_000) ?? defaults.BatchSize,
            Settle = Seconds(section, "SettleSeconds", 0, 600),
            SuggestionInterval = Seconds(section, "SuggestionIntervalSeconds", 0, 86_400) ?? defaults.SuggestionInterval,
            Worker = section["Worker"] is { Length: > 0 } worker
                ? bool.TryParse(worker, out var on) ? on : throw Invalid("Worker", worker, "true or false")
                : defaults.Worker,
        };
    }

    private static TimeSpan? Seconds(IConfigurationSection section, string key, double min, double max) =>
        Number(section, key, min, max) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    private static double? Number(IConfigurationSection section, string key, double min, double max)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw Invalid(key, value, $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
    }

    private static InvalidOperationException Invalid(string key, string value, string expected) =>
        new($"Configuration key '{SectionName}:{key}' has the invalid value '{value}'; expected {expected}.");
}
