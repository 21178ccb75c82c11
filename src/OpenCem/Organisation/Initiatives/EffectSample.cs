using OpenCem.Analytics.Metrics;
using OpenCem.Analytics.Statistics;

namespace OpenCem.Organisation.Initiatives;

/// <summary>
/// A KPI's value over one window with n and its standard error (null when n &lt; 2). Pure. NPS in points with
/// PRODUCT.md's SE, shares in percent with the binomial SE, means with the SE of the mean.
/// </summary>
public sealed record EffectSample(long N, double Value, double? StandardError)
{
    public static EffectSample Nps(long n, long promoters, long detractors)
    {
        var p = (double)promoters / n;
        var d = (double)detractors / n;
        return new(n, 100 * (p - d), n < 2 ? null : MetricStatistics.NpsStandardError(p, d, n));
    }

    public static EffectSample Share(long n, long successes)
    {
        var p = (double)successes / n;
        return new(n, 100 * p, n < 2 ? null : 100 * Math.Sqrt(p * (1 - p) / n));
    }

    public static EffectSample Mean(long n, double sum, double sumSquares) =>
        new(n, sum / n, n < 2 ? null : MetricStatistics.MeanStandardError(sum, sumSquares, n));

    /// <summary>The sample of a rollup tally for the KPI's statistic; null when nobody answered.</summary>
    public static EffectSample? Of(MetricTally tally, KpiMeasure measure) => tally.N == 0 ? null : measure switch
    {
        KpiMeasure.Nps => Nps(tally.N, tally.Promoters, tally.Detractors),
        KpiMeasure.Share => Share(tally.N, tally.TopTwo),
        _ => Mean(tally.N, tally.Sum, tally.SumSquares),
    };
}

/// <summary>A difference (after − before, or a difference of differences) with its 95 % interval.</summary>
public sealed record EffectDifference(double Value, double StandardError, double Low, double High, bool Significant);

/// <summary>
/// The change of a KPI between two windows and the difference-in-differences against a comparison group. Pure.
/// A change is significant when |Δ| exceeds the critical value times sqrt(SE₁² + SE₂²): 1.96 for NPS (PRODUCT.md)
/// and shares (two-proportion SE), Student's t with Welch–Satterthwaite degrees of freedom for means. The
/// difference-in-differences (treated change − comparison change) has the SE of all four windows combined and the
/// normal critical value.
/// </summary>
public static class EffectMath
{
    public const double Z = StudentT.NormalZ975;

    public static EffectDifference? Change(EffectSample? before, EffectSample? after, KpiMeasure measure)
    {
        if (before?.StandardError is not { } seBefore || after?.StandardError is not { } seAfter)
        {
            return null;
        }

        var se = Math.Sqrt((seBefore * seBefore) + (seAfter * seAfter));
        var critical = measure == KpiMeasure.Mean ? StudentT.Critical(0.95, WelchDegreesOfFreedom(before, after)) : Z;
        return Difference(after.Value - before.Value, se, critical);
    }

    public static EffectDifference? DifferenceInDifferences(EffectSample? before, EffectSample? after, EffectSample? comparisonBefore, EffectSample? comparisonAfter)
    {
        EffectSample?[] all = [before, after, comparisonBefore, comparisonAfter];
        if (all.Any(s => s?.StandardError is null))
        {
            return null;
        }

        var se = Math.Sqrt(all.Sum(s => s!.StandardError!.Value * s.StandardError.Value));
        return Difference(after!.Value - before!.Value - (comparisonAfter!.Value - comparisonBefore!.Value), se, Z);
    }

    /// <summary>Welch–Satterthwaite: (s₁² + s₂²)² / (s₁⁴/(n₁−1) + s₂⁴/(n₂−1)) with s the SEs of the two means.</summary>
    public static double WelchDegreesOfFreedom(EffectSample first, EffectSample second)
    {
        var a = first.StandardError!.Value * first.StandardError.Value;
        var b = second.StandardError!.Value * second.StandardError.Value;
        var denominator = (a * a / (first.N - 1)) + (b * b / (second.N - 1));
        // Both samples constant: any df gives the same (zero-width) answer.
        return denominator <= 0 ? first.N + second.N - 2 : (a + b) * (a + b) / denominator;
    }

    private static EffectDifference Difference(double value, double se, double critical) =>
        new(value, se, value - (critical * se), value + (critical * se), Math.Abs(value) > critical * se);
}
