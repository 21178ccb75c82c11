using OpenCem.Analytics.Statistics;

namespace OpenCem.Analytics.Metrics;

/// <summary>Which measure a metrics query asks for.</summary>
public enum MetricKind
{
    Nps,
    Csat,
    Ces,
    Mean,
    Enps,
}

/// <summary>One metric value with its 95 % interval (null only when n &lt; 2) and standard error.</summary>
public sealed record MetricResult(long N, double Value, double? CiLow, double? CiHigh, double? StandardError, double Mean, double? Promoters, double? Detractors)
{
    /// <summary>The value before rounding to two decimals, for the change test.</summary>
    public double Exact { get; init; } = Value;
}

/// <summary>
/// Additive counts of one group and period, summed from rollup rows (one per score bucket): everything NPS, CSAT
/// and means need (PRODUCT.md's metric definitions) follows exactly from these sums. Pure.
/// </summary>
public struct MetricTally
{
    public long N;
    public double Sum;
    public double SumSquares;
    public long Promoters;
    public long Detractors;
    public long TopTwo;

    /// <summary>Adds one rollup row: <paramref name="n"/> answers in the whole-number bucket <paramref name="score"/>.</summary>
    public void Add(long score, long n, double sum, double sumSquares)
    {
        N += n;
        Sum += sum;
        SumSquares += sumSquares;
        Promoters += score >= 9 ? n : 0;
        Detractors += score <= 6 ? n : 0;
        TopTwo += score >= 4 ? n : 0;
    }

    public void Add(MetricTally other)
    {
        N += other.N;
        Sum += other.Sum;
        SumSquares += other.SumSquares;
        Promoters += other.Promoters;
        Detractors += other.Detractors;
        TopTwo += other.TopTwo;
    }

    /// <summary>
    /// NPS (and eNPS): %promoters − %detractors with SE = 100·sqrt((p + d − (p − d)²)/n) and ±1.96 SE. CSAT: the
    /// top-two-box share in percent with a Wilson score interval (it stays inside 0–100 % for small n or extreme
    /// shares). CES and means: the mean with a Student t interval from the sums of squares.
    /// </summary>
    public readonly MetricResult? Evaluate(MetricKind kind)
    {
        if (N == 0)
        {
            return null;
        }

        var mean = Sum / N;
        switch (kind)
        {
            case MetricKind.Nps or MetricKind.Enps:
                {
                    var p = (double)Promoters / N;
                    var d = (double)Detractors / N;
                    var value = 100 * (p - d);
                    var se = MetricStatistics.NpsStandardError(p, d, N);
                    return new MetricResult(
                        N, Round(value), N < 2 ? null : Round(value - (Z * se)), N < 2 ? null : Round(value + (Z * se)), N < 2 ? null : se, Round(mean),
                        Round(100 * p), Round(100 * d))
                    { Exact = value };
                }

            case MetricKind.Csat:
                {
                    var p = (double)TopTwo / N;
                    var (low, high) = MetricStatistics.Wilson(TopTwo, N);
                    return new MetricResult(
                        N, Round(100 * p), N < 2 ? null : Round(100 * low), N < 2 ? null : Round(100 * high),
                        N < 2 ? null : 100 * Math.Sqrt(p * (1 - p) / N), Round(mean), null, null)
                    { Exact = 100 * p };
                }

            default:
                {
                    if (N < 2)
                    {
                        return new MetricResult(N, Round(mean), null, null, null, Round(mean), null, null) { Exact = mean };
                    }

                    var se = MetricStatistics.MeanStandardError(Sum, SumSquares, N);
                    var t = StudentT.Two95(N - 1);
                    return new MetricResult(N, Round(mean), Round(mean - (t * se)), Round(mean + (t * se)), se, Round(mean), null, null) { Exact = mean };
                }
        }
    }

    private const double Z = StudentT.NormalZ975;

    private static double Round(double value) => Math.Round(value, 2);
}
