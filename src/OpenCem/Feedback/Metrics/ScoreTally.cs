namespace OpenCem.Feedback.Metrics;

/// <summary>A metric with its 95 % confidence interval.</summary>
public sealed record MetricValue(double Value, double CiLow, double CiHigh, long N);

/// <summary>
/// Additive counts from which NPS, CSAT and CES follow exactly (PRODUCT.md's definitions). Rollups store these
/// counts per day and dimension; any period is the sum of its days, so a summary costs the size of the answer.
/// </summary>
public record struct ScoreTally(
    long NpsN, long Promoters, long Detractors,
    long CsatN, long CsatTopTwo, double CsatSum, double CsatSumSquares,
    long CesN, double CesSum, double CesSumSquares)
{
    public const double Z = 1.959963984540054;

    public static ScoreTally Of(int? nps, int? csat, int? ces)
    {
        var tally = default(ScoreTally);
        tally.Add(nps, csat, ces);
        return tally;
    }

    public void Add(int? nps, int? csat, int? ces)
    {
        if (nps is { } n)
        {
            NpsN++;
            Promoters += n >= 9 ? 1 : 0;
            Detractors += n <= 6 ? 1 : 0;
        }

        if (csat is { } c)
        {
            CsatN++;
            CsatTopTwo += c >= 4 ? 1 : 0;
            CsatSum += c;
            CsatSumSquares += (double)c * c;
        }

        if (ces is { } e)
        {
            CesN++;
            CesSum += e;
            CesSumSquares += (double)e * e;
        }
    }

    public void Add(ScoreTally other)
    {
        NpsN += other.NpsN;
        Promoters += other.Promoters;
        Detractors += other.Detractors;
        CsatN += other.CsatN;
        CsatTopTwo += other.CsatTopTwo;
        CsatSum += other.CsatSum;
        CsatSumSquares += other.CsatSumSquares;
        CesN += other.CesN;
        CesSum += other.CesSum;
        CesSumSquares += other.CesSumSquares;
    }

    /// <summary>NPS = %promoters − %detractors; SE = 100·sqrt((p + d − (p − d)²)/n); interval ±1.96 SE.</summary>
    public readonly MetricValue? Nps => NpsN == 0 ? null : Interval(100.0 * (Promoters - Detractors) / NpsN, NpsStandardError(Promoters, Detractors, NpsN), NpsN);

    /// <summary>CSAT = share of answers 4–5, in percent, with a Wilson score interval (exact near 0 % and 100 %).</summary>
    public readonly MetricValue? Csat => CsatN == 0 ? null : Wilson(CsatTopTwo, CsatN);

    /// <summary>Mean CSAT on the 1–5 scale, reported beside the top-two-box share.</summary>
    public readonly MetricValue? CsatMean => CsatN == 0 ? null : Mean(CsatSum, CsatSumSquares, CsatN);

    /// <summary>CES = mean on the 1–7 scale (7 = very easy), with a normal interval of the mean.</summary>
    public readonly MetricValue? Ces => CesN == 0 ? null : Mean(CesSum, CesSumSquares, CesN);

    public static double NpsStandardError(long promoters, long detractors, long n)
    {
        var p = (double)promoters / n;
        var d = (double)detractors / n;
        return 100 * Math.Sqrt(Math.Max(0, p + d - ((p - d) * (p - d))) / n);
    }

    /// <summary>Whether NPS changed significantly: |Δ| &gt; 1.96·sqrt(SE₁² + SE₂²).</summary>
    public static bool NpsChangeIsSignificant(ScoreTally before, ScoreTally after)
    {
        if (before.NpsN == 0 || after.NpsN == 0)
        {
            return false;
        }

        var se1 = NpsStandardError(before.Promoters, before.Detractors, before.NpsN);
        var se2 = NpsStandardError(after.Promoters, after.Detractors, after.NpsN);
        return Math.Abs(after.Nps!.Value - before.Nps!.Value) > Z * Math.Sqrt((se1 * se1) + (se2 * se2));
    }

    private static MetricValue Interval(double value, double standardError, long n) =>
        new(Round(value), Round(value - (Z * standardError)), Round(value + (Z * standardError)), n);

    private static MetricValue Wilson(long successes, long n)
    {
        var p = (double)successes / n;
        var z2 = Z * Z;
        var centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        var half = Z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n))) / (1 + (z2 / n));
        return new MetricValue(Round(100 * p), Round(100 * (centre - half)), Round(100 * (centre + half)), n);
    }

    private static MetricValue Mean(double sum, double sumSquares, long n)
    {
        var mean = sum / n;
        var variance = n > 1 ? Math.Max(0, (sumSquares - (n * mean * mean)) / (n - 1)) : 0;
        return Interval(mean, Math.Sqrt(variance / n), n);
    }

    private static double Round(double value) => Math.Round(value, 2);
}
