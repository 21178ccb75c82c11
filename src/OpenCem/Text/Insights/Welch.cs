using OpenCem.Analytics.Statistics;

namespace OpenCem.Text.Insights;

/// <summary>A difference of two means with its 95 % confidence interval and Welch's degrees of freedom.</summary>
public sealed record MeanDifference(double Value, double CiLow, double CiHigh, double DegreesOfFreedom);

/// <summary>
/// Welch's t interval for the difference of two means with unequal variances, from counts, sums and sums of squares
/// (pure). The t quantile comes from the exact t distribution (<see cref="StudentT"/>), so small groups
/// get the wide interval they deserve.
/// </summary>
public static class Welch
{
    /// <summary>The difference mean₁ − mean₂ with its interval; null when a group has fewer than two answers.</summary>
    public static MeanDifference? Difference(long n1, double sum1, double squares1, long n2, double sum2, double squares2, double confidence = 0.95)
    {
        if (n1 < 2 || n2 < 2)
        {
            return null;
        }

        var mean1 = sum1 / n1;
        var mean2 = sum2 / n2;
        var v1 = Math.Max(0, (squares1 - (n1 * mean1 * mean1)) / (n1 - 1)) / n1;
        var v2 = Math.Max(0, (squares2 - (n2 * mean2 * mean2)) / (n2 - 1)) / n2;
        var difference = mean1 - mean2;
        var se = Math.Sqrt(v1 + v2);
        if (se == 0)
        {
            return new MeanDifference(difference, difference, difference, n1 + n2 - 2);
        }

        var df = (v1 + v2) * (v1 + v2) / ((v1 * v1 / (n1 - 1)) + (v2 * v2 / (n2 - 1)));
        var half = StudentT.Critical(confidence, df) * se;
        return new MeanDifference(difference, difference - half, difference + half, df);
    }
}
