namespace OpenCem.Value.Equity;

/// <summary>A bar of the CLV histogram: customers with a CLV from <see cref="Low"/> up to (not including) <see cref="High"/>; the last bar is open (High null).</summary>
public sealed record ClvBin(double Low, double? High, long Customers);

/// <summary>How the customers' lifetime values spread: the valued customers, their median, and the bars.</summary>
public sealed record ClvDistribution(long Valued, double? Median, IReadOnlyList<ClvBin> Bins);

/// <summary>
/// Bins CLVs into bars of one round width (1, 2, 2.5 or 5 × 10ⁿ) from 0 to the 99th percentile; the few values above
/// it share one open last bar, so one very valuable customer does not squeeze everyone else into the first bar. Pure.
/// </summary>
public static class ClvHistogram
{
    public static ClvDistribution Of(IReadOnlyList<double> values, int bars = 12)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bars, 1);
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            return new ClvDistribution(0, null, []);
        }

        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        var top = sorted[Math.Clamp((int)Math.Ceiling(0.99 * sorted.Length) - 1, 0, sorted.Length - 1)];
        if (top <= 0)
        {
            return new ClvDistribution(sorted.Length, Math.Round(median, 2), [new ClvBin(0, null, sorted.Length)]);
        }

        var width = RoundWidth(top / bars);
        var closed = (int)Math.Max(1, Math.Ceiling(top / width));
        var counts = new long[closed + 1];
        foreach (var value in sorted)
        {
            // Negative values (refunds beyond purchases) count in the first bar.
            var index = value <= 0 ? 0 : (int)Math.Min(closed, Math.Floor(value / width));
            counts[index]++;
        }

        var result = new List<ClvBin>(closed + 1);
        for (var i = 0; i < closed; i++)
        {
            result.Add(new ClvBin(i * width, (i + 1) * width, counts[i]));
        }

        if (counts[closed] > 0)
        {
            result.Add(new ClvBin(closed * width, null, counts[closed]));
        }

        return new ClvDistribution(sorted.Length, Math.Round(median, 2), result);
    }

    /// <summary>The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above <paramref name="raw"/>.</summary>
    public static double RoundWidth(double raw)
    {
        if (raw <= 0 || !double.IsFinite(raw))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= raw * (1 - 1e-12))
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }
}
