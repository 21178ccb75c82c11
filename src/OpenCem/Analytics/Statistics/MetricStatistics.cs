namespace OpenCem.Analytics.Statistics;

/// <summary>The standard errors, intervals and the change test of PRODUCT.md's metric definitions. Pure.</summary>
public static class MetricStatistics
{
    public const double Z = StudentT.NormalZ975;

    /// <summary>NPS standard error in points: 100·sqrt((p + d − (p − d)²)/n), p and d the promoter and detractor shares.</summary>
    public static double NpsStandardError(double promoterShare, double detractorShare, long n)
    {
        var diff = promoterShare - detractorShare;
        return 100 * Math.Sqrt(Math.Max(0, promoterShare + detractorShare - (diff * diff)) / n);
    }

    /// <summary>The Wilson score interval of a share (0–1) at 95 %.</summary>
    public static (double Low, double High) Wilson(long successes, long n)
    {
        var p = (double)successes / n;
        var z2 = Z * Z;
        var centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        var half = Z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n))) / (1 + (z2 / n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>Standard error of a mean from n, Σx and Σx² (sample variance with n − 1).</summary>
    public static double MeanStandardError(double sum, double sumSquares, long n)
    {
        var mean = sum / n;
        var variance = Math.Max(0, (sumSquares - (n * mean * mean)) / (n - 1));
        return Math.Sqrt(variance / n);
    }

    /// <summary>A change between two periods is significant when |Δ| &gt; 1.96·sqrt(SE₁² + SE₂²).</summary>
    public static bool ChangeIsSignificant(double before, double beforeStandardError, double after, double afterStandardError) =>
        Math.Abs(after - before) > Z * Math.Sqrt((beforeStandardError * beforeStandardError) + (afterStandardError * afterStandardError));
}
