namespace OpenCem.Text.Insights;

/// <summary>A difference of two means with its 95 % confidence interval and Welch's degrees of freedom.</summary>
public sealed record MeanDifference(double Value, double CiLow, double CiHigh, double DegreesOfFreedom);

/// <summary>
/// Welch's t interval for the difference of two means with unequal variances, from counts, sums and sums of squares
/// (pure). The t quantile comes from the exact t distribution (regularised incomplete beta, bisection), so small groups
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
        var half = TQuantile(1 - ((1 - confidence) / 2), df) * se;
        return new MeanDifference(difference, difference - half, difference + half, df);
    }

    /// <summary>The <paramref name="p"/> quantile (p &gt; 0.5) of Student's t distribution with <paramref name="df"/> degrees of freedom.</summary>
    public static double TQuantile(double p, double df)
    {
        double low = 0, high = 1;
        while (TCdf(high, df) < p && high < 1e6)
        {
            high *= 2;
        }

        for (var i = 0; i < 200 && high - low > 1e-12; i++)
        {
            var mid = (low + high) / 2;
            if (TCdf(mid, df) < p)
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

    /// <summary>P(T ≤ t) for t ≥ 0.</summary>
    public static double TCdf(double t, double df) => 1 - (0.5 * RegularisedBeta(df / (df + (t * t)), df / 2, 0.5));

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
        return x < (a + 1) / (a + b + 2) ? front * ContinuedFraction(x, a, b) / a : 1 - (front * ContinuedFraction(1 - x, b, a) / b);
    }

    /// <summary>Lentz's evaluation of the incomplete beta continued fraction.</summary>
    private static double ContinuedFraction(double x, double a, double b)
    {
        const double Tiny = 1e-300;
        double c = 1, d = 1 - ((a + b) * x / (a + 1));
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        var h = d;
        for (var m = 1; m <= 300; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + (aa * d);
            d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + (aa * d);
            d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            var step = d * c;
            h *= step;
            if (Math.Abs(step - 1) < 1e-15)
            {
                break;
            }
        }

        return h;
    }

    /// <summary>ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to about 15 digits.</summary>
    private static double LogGamma(double x)
    {
        double[] coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = coefficients[0];
        for (var i = 1; i < coefficients.Length; i++)
        {
            sum += coefficients[i] / (x + i);
        }

        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
