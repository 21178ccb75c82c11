using OpenCem.Analytics.Metrics;
using OpenCem.Analytics.Statistics;

namespace OpenCem.Organisation.Targets;

/// <summary>The arithmetic of the targets page, pure: NPS with PRODUCT.md's test of change, shares with a two-proportion test, growth, medians.</summary>
public static class TargetMath
{
    /// <summary>NPS of both periods and whether |Δ| &gt; 1.96·sqrt(SE₁² + SE₂²).</summary>
    public static (double? Current, double? Previous, double? Change, bool? Significant) Nps(MetricTally current, MetricTally previous)
    {
        var now = current.Evaluate(MetricKind.Nps);
        var before = previous.Evaluate(MetricKind.Nps);
        return Compare(now, before);
    }

    public static (double? Current, double? Previous, double? Change, bool? Significant) Compare(MetricResult? now, MetricResult? before)
    {
        if (now is null || before is null)
        {
            return (now?.Value, before?.Value, null, null);
        }

        bool? significant = now.StandardError is { } se1 && before.StandardError is { } se2
            ? Math.Abs(now.Exact - before.Exact) > StudentT.NormalZ975 * Math.Sqrt((se1 * se1) + (se2 * se2))
            : null;
        return (now.Value, before.Value, Math.Round(now.Exact - before.Exact, 2), significant);
    }

    /// <summary>Two shares (in percent) and whether they differ at 95 % (normal approximation of the two-proportion test).</summary>
    public static (double? Current, double? Previous, double? Change, bool? Significant) Shares(long hits, long n, long previousHits, long previousN)
    {
        double? p1 = n > 0 ? (double)hits / n : null;
        double? p2 = previousN > 0 ? (double)previousHits / previousN : null;
        if (p1 is not { } a || p2 is not { } b)
        {
            return (Percent(p1), Percent(p2), null, null);
        }

        var se = Math.Sqrt((a * (1 - a) / n) + (b * (1 - b) / previousN));
        return (Percent(a), Percent(b), Math.Round(100 * (a - b), 2), se > 0 ? Math.Abs(a - b) > StudentT.NormalZ975 * se : null);
    }

    /// <summary>Growth in percent of the previous value; null when the previous value is not positive.</summary>
    public static double? Growth(double current, double previous) => previous > 0 ? Math.Round(100 * (current - previous) / previous, 2) : null;

    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static double? Ratio(double numerator, double denominator, double scale = 1) => denominator > 0 ? Math.Round(scale * numerator / denominator, 2) : null;

    private static double? Percent(double? share) => share is { } s ? Math.Round(100 * s, 2) : null;
}
