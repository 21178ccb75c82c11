using OpenCem.Analytics.Statistics;

namespace OpenCem.Organisation.Initiatives;

/// <summary>A window's value with n and its 95 % interval (null when n &lt; 2).</summary>
public sealed record EffectValue(long N, double Value, double? Low, double? High);

/// <summary>A change with its 95 % interval and whether it is significant.</summary>
public sealed record EffectChange(double Value, double Low, double High, bool Significant);

/// <summary>
/// The measured effect on one KPI: its value before and after, the change with its interval, the comparison's
/// before and after, the difference-in-differences, and the verdict (with the test it rests on).
/// </summary>
public sealed record KpiEffect(
    long KpiId, string Kind, string? Measure, string Direction, double? Target, KpiBaseline? Baseline,
    EffectValue? Before, EffectValue? After, EffectChange? Difference, EffectValue? ComparisonBefore, EffectValue? ComparisonAfter,
    EffectChange? DifferenceInDifferences, string Verdict, string Basis, bool? TargetMet, string? Note)
{
    /// <summary>The effect from the readings of the KPI's windows. Pure.</summary>
    public static KpiEffect Evaluate(InitiativeKpi kpi, KpiReadings readings, long minimumN, string? note = null)
    {
        var measure = kpi.Statistic;
        var change = EffectMath.Change(readings.Before, readings.After, measure);
        var did = EffectMath.DifferenceInDifferences(readings.Before, readings.After, readings.ComparisonBefore, readings.ComparisonAfter);
        var (verdict, basis) = EffectVerdicts.Judge(
            kpi.Direction, minimumN, readings.Before, readings.After, change, readings.ComparisonBefore, readings.ComparisonAfter, did);
        bool? targetMet = kpi.Target is { } target && readings.After is { } after && after.N >= minimumN
            ? (kpi.Direction == KpiDirections.Decrease ? after.Value <= target : after.Value >= target)
            : null;
        note ??= readings.Note ?? (verdict == EffectVerdicts.TooLittleData
            ? $"each window needs at least {minimumN} (before: {readings.Before?.N ?? 0}, after: {readings.After?.N ?? 0})."
            : null);
        return new KpiEffect(
            kpi.Id, kpi.Kind, kpi.Measure, kpi.Direction, kpi.Target, kpi.Baseline,
            Value(readings.Before, measure), Value(readings.After, measure), Change(change), Value(readings.ComparisonBefore, measure),
            Value(readings.ComparisonAfter, measure), Change(did), verdict, basis, targetMet, note);
    }

    /// <summary>The value with ±1.96 SE (NPS, shares) or ±t(n − 1) SE (means), rounded to two decimals.</summary>
    public static EffectValue? Value(EffectSample? sample, KpiMeasure measure)
    {
        if (sample is null)
        {
            return null;
        }

        if (sample.StandardError is not { } se)
        {
            return new(sample.N, Round(sample.Value), null, null);
        }

        var critical = measure == KpiMeasure.Mean ? StudentT.Two95(sample.N - 1) : EffectMath.Z;
        return new(sample.N, Round(sample.Value), Round(sample.Value - (critical * se)), Round(sample.Value + (critical * se)));
    }

    private static EffectChange? Change(EffectDifference? difference) =>
        difference is null ? null : new(Round(difference.Value), Round(difference.Low), Round(difference.High), difference.Significant);

    private static double Round(double value) => Math.Round(value, 2);
}

/// <summary>The effect of an initiative: its windows and each KPI's effect.</summary>
public sealed record InitiativeEffect(
    long InitiativeId, string Name, string Phase, DateTimeOffset? RealisationStartedAt, EffectWindow? Before, EffectWindow? After, long MinimumN,
    IReadOnlyList<KpiEffect> Kpis);
