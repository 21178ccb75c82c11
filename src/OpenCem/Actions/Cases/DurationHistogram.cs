namespace OpenCem.Actions.Cases;

/// <summary>
/// Durations in minutes counted in geometric buckets 10 % wide, so a median of any number of cases is read from a few
/// hundred counters that add up (the recovery rollup keeps them). The median is exact to within half a bucket (±5 %).
/// </summary>
public static class DurationHistogram
{
    private static readonly double Ratio = Math.Log(1.1);

    public static int Bucket(double minutes) => (int)Math.Floor(Math.Log(Math.Max(0, minutes) + 1) / Ratio);

    /// <summary>The middle of a bucket in minutes (geometric, so the error is relative).</summary>
    public static double Middle(int bucket) => Math.Sqrt((Math.Exp(bucket * Ratio) - 1 + 0.5) * (Math.Exp((bucket + 1) * Ratio) - 1 + 0.5)) - 0.5;

    /// <summary>The median from bucket counts; null without counts.</summary>
    public static double? Median(IEnumerable<(int Bucket, long N)> counts)
    {
        var ordered = counts.Where(c => c.N > 0).OrderBy(c => c.Bucket).ToList();
        var total = ordered.Sum(c => c.N);
        if (total == 0)
        {
            return null;
        }

        long seen = 0;
        foreach (var (bucket, n) in ordered)
        {
            seen += n;
            if (seen * 2 >= total)
            {
                return Middle(bucket);
            }
        }

        return Middle(ordered[^1].Bucket);
    }
}
