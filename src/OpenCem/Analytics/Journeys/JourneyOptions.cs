namespace OpenCem.Analytics.Journeys;

/// <summary>How journey instances are cut and how often the worker looks for new interactions (configuration section <c>Journeys</c>).</summary>
public sealed record JourneyOptions
{
    /// <summary>Nothing for longer than this ends an instance; the next interaction starts a new one.</summary>
    public TimeSpan Gap { get; init; } = TimeSpan.FromDays(90);

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Interactions read per transaction.</summary>
    public int BatchSize { get; init; } = 50_000;

    /// <summary>On PostgreSQL, how long an interaction id must have been visible before the cursor passes it (see <c>CommitHorizon</c>).</summary>
    public TimeSpan? Settle { get; init; }

    public static JourneyOptions FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var options = new JourneyOptions();
        if (configuration["Journeys:GapDays"] is { } gap)
        {
            options = options with { Gap = TimeSpan.FromDays(double.Parse(gap, System.Globalization.CultureInfo.InvariantCulture)) };
        }

        if (configuration["Journeys:IntervalSeconds"] is { } interval)
        {
            options = options with { Interval = TimeSpan.FromSeconds(double.Parse(interval, System.Globalization.CultureInfo.InvariantCulture)) };
        }

        if (configuration["Journeys:SettleSeconds"] is { } settle)
        {
            options = options with { Settle = TimeSpan.FromSeconds(double.Parse(settle, System.Globalization.CultureInfo.InvariantCulture)) };
        }

        return options;
    }
}
