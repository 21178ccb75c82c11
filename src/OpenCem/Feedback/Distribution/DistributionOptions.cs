using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OpenCem.Feedback.Distribution;

/// <summary>
/// How often the background work of survey distribution runs and how it retries, from the <c>Surveys</c>
/// configuration section (<c>Surveys:DispatchIntervalSeconds</c>, environment <c>Surveys__DispatchIntervalSeconds</c>).
/// The defaults suit production; tests shorten the intervals.
/// </summary>
public sealed record DistributionOptions
{
    public const string SectionName = "Surveys";

    /// <summary>How often due invitations and reminders are claimed and sent (<c>DispatchIntervalSeconds</c>, default 5).</summary>
    public TimeSpan DispatchInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often new interactions are checked against the surveys' triggers (<c>TriggerScanIntervalSeconds</c>, default 5).</summary>
    public TimeSpan TriggerScanInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often unanswered invitations are checked for expiry (<c>ExpiryIntervalSeconds</c>, default 60).</summary>
    public TimeSpan ExpiryInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Mails claimed and sent over one SMTP connection (<c>DispatchBatchSize</c>, default 100).</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Tries per mail before an invitation is given up as failed (<c>MaxSendAttempts</c>, default 5).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The wait after the first failed try; it doubles with each further one (<c>RetryAfterSeconds</c>, default 60).</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long an interaction id may wait for its transaction's commit (<c>TriggerSettleSeconds</c>). PostgreSQL hands
    /// out ids before commit, so with several writers a smaller id can become visible after a larger one; the trigger
    /// cursor stays this far behind. Null: 10 seconds on PostgreSQL, none on SQLite (one writer, commits in id order).
    /// </summary>
    public TimeSpan? TriggerSettle { get; init; }

    /// <summary>Reads the <c>Surveys</c> section; absent keys keep their defaults.</summary>
    /// <exception cref="InvalidOperationException">A value is present but invalid; the message names the key.</exception>
    public static DistributionOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var defaults = new DistributionOptions();
        return new DistributionOptions
        {
            DispatchInterval = Seconds(section, "DispatchIntervalSeconds", 0.01, 3600) ?? defaults.DispatchInterval,
            TriggerScanInterval = Seconds(section, "TriggerScanIntervalSeconds", 0.01, 3600) ?? defaults.TriggerScanInterval,
            ExpiryInterval = Seconds(section, "ExpiryIntervalSeconds", 0.01, 86400) ?? defaults.ExpiryInterval,
            BatchSize = Whole(section, "DispatchBatchSize", 1, 1000) ?? defaults.BatchSize,
            MaxAttempts = Whole(section, "MaxSendAttempts", 1, 20) ?? defaults.MaxAttempts,
            RetryAfter = Seconds(section, "RetryAfterSeconds", 0, 86400) ?? defaults.RetryAfter,
            TriggerSettle = Seconds(section, "TriggerSettleSeconds", 0, 600),
        };
    }

    private static TimeSpan? Seconds(IConfigurationSection section, string key, double min, double max)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= min && seconds <= max
            ? TimeSpan.FromSeconds(seconds)
            : throw Invalid(key, value, $"a number of seconds from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
    }

    private static int? Whole(IConfigurationSection section, string key, int min, int max)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw Invalid(key, value, $"a whole number from {min} to {max}");
    }

    private static InvalidOperationException Invalid(string key, string value, string expected) =>
        new($"Configuration key '{SectionName}:{key}' has the invalid value '{value}'; expected {expected}.");
}
