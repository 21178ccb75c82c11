namespace OpenCem.Interactions;

/// <summary>The key of one row of the daily interaction rollup.</summary>
public readonly record struct DailyRollupKey(long WorkspaceId, long Day, long TouchpointId, string Channel, string Outcome);

/// <summary>What one batch adds to one rollup row.</summary>
public sealed class DailyRollupDelta
{
    public long Interactions { get; set; }

    public double EffortSum { get; set; }

    public long EffortCount { get; set; }

    public double RevenueSum { get; set; }

    public double CostSum { get; set; }
}

/// <summary>
/// Folds stored interactions into per-day, per-touchpoint, per-channel, per-outcome deltas, so that a batch of
/// hundreds of events costs a handful of rollup upserts and dashboards read the rollup instead of raw events.
/// </summary>
public sealed class InteractionRollup
{
    public const long MillisecondsPerDay = 86_400_000;

    private readonly Dictionary<DailyRollupKey, DailyRollupDelta> _deltas = [];

    public IReadOnlyDictionary<DailyRollupKey, DailyRollupDelta> Deltas => _deltas;

    public static string OutcomeName(InteractionOutcome? outcome) => outcome switch
    {
        InteractionOutcome.Success => "success",
        InteractionOutcome.Failure => "failure",
        InteractionOutcome.Abandoned => "abandoned",
        null => string.Empty,
    };

    public void Add(long workspaceId, TrackingEvent trackingEvent, InteractionPlacement placement)
    {
        var day = Math.DivRem(trackingEvent.Timestamp.ToUnixTimeMilliseconds(), MillisecondsPerDay, out var rest);
        if (rest < 0)
        {
            day--; // Floor, not truncate, for instants before 1970.
        }

        var key = new DailyRollupKey(workspaceId, day, placement.TouchpointId ?? 0, placement.Channel ?? string.Empty, OutcomeName(trackingEvent.Outcome));
        if (!_deltas.TryGetValue(key, out var delta))
        {
            delta = new DailyRollupDelta();
            _deltas[key] = delta;
        }

        delta.Interactions++;
        if (trackingEvent.Effort is { } effort)
        {
            delta.EffortSum += effort;
            delta.EffortCount++;
        }

        delta.RevenueSum += trackingEvent.Revenue ?? 0;
        delta.CostSum += trackingEvent.Cost ?? 0;
    }
}
