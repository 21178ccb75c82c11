namespace OpenCem.SoakBench;

/// <summary>One minute of the soak as the judge sees it: the p99 latency per kind of request (ms; NaN when none ran) and the server's resident memory (MiB).</summary>
internal sealed record JudgedMinute(int Minute, IReadOnlyDictionary<string, double> P99ByKind, double RssMiB);

/// <summary>One criterion of the bar and whether the run met it.</summary>
internal sealed record Verdict(string Criterion, bool Passed, string Detail);

/// <summary>
/// The soak bar of issue 11, as rules over the per-minute rows. Only the last two thirds of the run are judged (the
/// last 40 of 60 minutes): the first third is warm-up (JIT, caches, pools, SQLite's WAL and PostgreSQL's buffers
/// filling). Within that window the first and the last quarter (10 minutes each of 40) are compared by their medians,
/// which a single slow minute (a checkpoint, another process on the box) cannot move; the least-squares slope is the
/// trend over the whole window.
/// </summary>
internal static class SoakJudge
{
    /// <summary>The last quarter's median p99 may be at most this many times the first quarter's.</summary>
    public const double P99GrowthLimit = 1.5;

    /// <summary>Growth below this many milliseconds is not judged: on loopback it is scheduler noise, not a trend.</summary>
    public const double P99SlackMs = 5;

    /// <summary>The least-squares slope of resident memory over the window must stay below this (MiB per minute).</summary>
    public const double RssSlopeLimitMiBPerMinute = 1.0;

    /// <summary>The last quarter's median resident memory may be at most this many times the first quarter's.</summary>
    public const double RssGrowthLimit = 1.05;

    /// <summary>The judged minutes of a run of <paramref name="minutes"/> minutes: the last two thirds (40 of 60).</summary>
    public static (int Skip, int Count) Window(int minutes)
    {
        var count = Math.Min(minutes, Math.Max(1, (int)Math.Round(minutes * 2 / 3.0)));
        return (minutes - count, count);
    }

    /// <summary>The minutes compared at each end of the window: a quarter of it (10 of 40), at least one.</summary>
    public static int Quarter(int windowMinutes) => Math.Max(1, windowMinutes / 4);

    /// <summary>Judges errors, p99 stability per kind and flat memory over the rows of a run (one row per minute, in order).</summary>
    public static List<Verdict> Judge(IReadOnlyList<JudgedMinute> rows, long errors, IReadOnlyList<string> kinds)
    {
        var verdicts = new List<Verdict> { new("errors", errors == 0, $"{errors} failed requests (non-2xx or exceptions)") };
        var (skip, count) = Window(rows.Count);
        var window = rows.Skip(skip).Take(count).ToList();
        if (window.Count < 2)
        {
            verdicts.Add(new("p99 stable", false, $"{rows.Count} minute rows: too few to judge a trend (at least 2 in the window)"));
            verdicts.Add(new("memory flat", false, $"{rows.Count} minute rows: too few to judge a trend (at least 2 in the window)"));
            return verdicts;
        }

        var range = $"minutes {window[0].Minute}-{window[^1].Minute}";
        foreach (var kind in kinds)
        {
            var points = window.Select(r => (r.Minute, P99: r.P99ByKind.GetValueOrDefault(kind, double.NaN))).Where(p => !double.IsNaN(p.P99)).ToList();
            if (points.Count < 2)
            {
                verdicts.Add(new($"p99 stable: {kind}", false, $"{points.Count} minutes with {kind} requests in {range}: too few to judge"));
                continue;
            }

            var quarter = Quarter(points.Count);
            var first = Median(points.Take(quarter).Select(p => p.P99));
            var last = Median(points.TakeLast(quarter).Select(p => p.P99));
            var slope = Slope(points.Select(p => (double)p.Minute).ToArray(), points.Select(p => p.P99).ToArray());
            var passed = last <= first * P99GrowthLimit || last - first < P99SlackMs;
            verdicts.Add(new($"p99 stable: {kind}", passed,
                $"{range}: median p99 of the first {quarter} min {first:N1} ms, of the last {quarter} min {last:N1} ms (x{last / first:N2}, limit x{P99GrowthLimit}); slope {slope:+0.00;-0.00} ms/min"));
        }

        var memoryQuarter = Quarter(window.Count);
        var firstRss = Median(window.Take(memoryQuarter).Select(r => r.RssMiB));
        var lastRss = Median(window.TakeLast(memoryQuarter).Select(r => r.RssMiB));
        var rssSlope = Slope(window.Select(r => (double)r.Minute).ToArray(), window.Select(r => r.RssMiB).ToArray());
        verdicts.Add(new("memory flat", rssSlope < RssSlopeLimitMiBPerMinute && lastRss <= firstRss * RssGrowthLimit,
            $"{range}: RSS slope {rssSlope:+0.00;-0.00} MiB/min (limit < {RssSlopeLimitMiBPerMinute}); median of the first {memoryQuarter} min {firstRss:N0} MiB, "
            + $"of the last {memoryQuarter} min {lastRss:N0} MiB ({(lastRss / firstRss - 1) * 100:+0.0;-0.0} %, limit +{(RssGrowthLimit - 1) * 100:N0} %)"));
        return verdicts;
    }

    /// <summary>The least-squares slope of y over x; 0 when x does not vary.</summary>
    public static double Slope(double[] x, double[] y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("x and y must have the same length.", nameof(y));
        }

        if (x.Length < 2)
        {
            return 0;
        }

        var meanX = x.Average();
        var meanY = y.Average();
        double covariance = 0, variance = 0;
        for (var i = 0; i < x.Length; i++)
        {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            variance += (x[i] - meanX) * (x[i] - meanX);
        }

        return variance == 0 ? 0 : covariance / variance;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
