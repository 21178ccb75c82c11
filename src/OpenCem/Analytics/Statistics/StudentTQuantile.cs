namespace OpenCem.Analytics.Statistics;

/// <summary>
/// Quantiles of Student's t distribution, for intervals of a mean from few answers. The CDF comes from the
/// regularised incomplete beta function (Lentz's continued fraction); the quantile is found by bisection, which is
/// exact to 1e-10 and needs no table. Large samples fall back to the normal quantile, which t approaches.
/// </summary>
public static class StudentTQuantile
{
    public const double NormalZ975 = 1.959963984540054;

    /// <summary>Computed quantiles by degrees of freedom: a report evaluates hundreds of rows with the same few.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<long, double> Cache = new();

    /// <summary>The two-sided 95 % critical value t(0.975, df).</summary>
    public static double Two95(long degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        return degreesOfFreedom > 100_000 ? NormalZ975 : Cache.GetOrAdd(degreesOfFreedom, Solve);
    }

    private static double Solve(long degreesOfFreedom)
    {
        double low = 0, high = 1000;
        for (var i = 0; i < 200 && high - low > 1e-12; i++)
        {
            var mid = (low + high) / 2;
            if (UpperTail(mid, degreesOfFreedom) > 0.025)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return (low + high) / 2;
    }

    /// <summary>P(T &gt; t) for t ≥ 0: half the regularised incomplete beta I(df/(df+t²); df/2, 1/2).</summary>
    public static double UpperTail(double t, double degreesOfFreedom) =>
        0.5 * RegularisedBeta(degreesOfFreedom / (degreesOfFreedom + (t * t)), degreesOfFreedom / 2, 0.5);

    private static double RegularisedBeta(double x, double a, double b)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(1 - x)));
        // The continued fraction converges fast for x below the mean; use the symmetry otherwise.
        return x < (a + 1) / (a + b + 2)
            ? front * ContinuedFraction(x, a, b) / a
            : 1 - (front * ContinuedFraction(1 - x, b, a) / b);
    }

    private static double ContinuedFraction(double x, double a, double b)
    {
        const double Tiny = 1e-300;
        double c = 1, d = 1 - ((a + b) * x / (a + 1));
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        var h = d;
        for (var m = 1; m <= 300; m++)
        {
            var even = m * (b - m) * x / ((a + (2 * m) - 1) * (a + (2 * m)));
            d = 1 / Guard(1 + (even * d));
            c = Guard(1 + (even / c));
            h *= d * c;
            var odd = -(a + m) * (a + b + m) * x / ((a + (2 * m)) * (a + (2 * m) + 1));
            d = 1 / Guard(1 + (odd * d));
            c = Guard(1 + (odd / c));
            var step = d * c;
            h *= step;
            if (Math.Abs(step - 1) < 1e-15)
            {
                break;
            }
        }

        return h;

        static double Guard(double value) => Math.Abs(value) < Tiny ? Tiny : value;
    }

    /// <summary>Lanczos approximation (g = 7, 9 terms), accurate to about 15 digits for positive arguments.</summary>
    private static double LogGamma(double x)
    {
        ReadOnlySpan<double> g =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = g[0];
        for (var i = 1; i < g.Length; i++)
        {
            sum += g[i] / (x + i);
        }

        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
