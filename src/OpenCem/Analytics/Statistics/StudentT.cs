using Distribution = MathNet.Numerics.Distributions.StudentT;

namespace OpenCem.Analytics.Statistics;

/// <summary>
/// Student's t distribution for the intervals of means from few answers (metrics, expectation gaps, theme impact).
/// The quantiles come from Math.NET Numerics; large samples use the normal quantile, which t approaches.
/// </summary>
public static class StudentT
{
    public const double NormalZ975 = 1.959963984540054;

    /// <summary>Quantiles by degrees of freedom: a report evaluates hundreds of rows with the same few.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<long, double> Two95Cache = new();

    /// <summary>The two-sided critical value t with P(|T| ≤ t) = <paramref name="confidence"/> for <paramref name="df"/> degrees of freedom.</summary>
    public static double Critical(double confidence, double df)
    {
        if (df <= 0 || confidence <= 0 || confidence >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(df), "Degrees of freedom must be positive and the confidence between 0 and 1.");
        }

        return Quantile(1 - ((1 - confidence) / 2), df);
    }

    /// <summary>The two-sided 95 % critical value t(0.975, df), cached.</summary>
    public static double Two95(long degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        return degreesOfFreedom > 100_000 ? NormalZ975 : Two95Cache.GetOrAdd(degreesOfFreedom, df => Quantile(0.975, df));
    }

    /// <summary>The <paramref name="p"/> quantile of t with <paramref name="df"/> degrees of freedom.</summary>
    public static double Quantile(double p, double df) => Distribution.InvCDF(0, 1, df, p);

    /// <summary>P(T ≤ t).</summary>
    public static double Cdf(double t, double df) => Distribution.CDF(0, 1, df, t);
}
