namespace OpenCem.Analytics.Statistics;

/// <summary>Student's t distribution: the quantile a paired-t interval needs, from the regularised incomplete beta function.</summary>
public static class StudentT
{
    /// <summary>The two-sided critical value t with P(|T| ≤ t) = <paramref name="confidence"/> for <paramref name="df"/> degrees of freedom.</summary>
    public static double Critical(double confidence, double df)
    {
        if (df <= 0 || confidence <= 0 || confidence >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(df), "Degrees of freedom must be positive and the confidence between 0 and 1.");
        }

        // P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2): find t by bisection on a monotone function (60 halvings: exact to rounding).
        var tail = 1 - confidence;
        double low = 0, high = 1;
        while (TwoSidedTail(high, df) > tail)
        {
            high *= 2;
        }

        for (var i = 0; i < 200 && high - low > 1e-13 * high; i++)
        {
            var mid = (low + high) / 2;
            if (TwoSidedTail(mid, df) > tail)
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

    private static double TwoSidedTail(double t, double df) => IncompleteBeta(df / 2, 0.5, df / (df + (t * t)));

    /// <summary>I_x(a, b) by Lentz's continued fraction (Numerical Recipes' betacf).</summary>
    private static double IncompleteBeta(double a, double b, double x)
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
        return x < (a + 1) / (a + b + 2) ? front * Fraction(a, b, x) / a : 1 - (front * Fraction(b, a, 1 - x) / b);
    }

    private static double Fraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - ((a + b) * x / (a + 1));
        d = 1 / (Math.Abs(d) < tiny ? tiny : d);
        var h = d;
        for (var m = 1; m <= 300; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + (aa * d);
            d = 1 / (Math.Abs(d) < tiny ? tiny : d);
            c = 1 + (aa / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + (aa * d);
            d = 1 / (Math.Abs(d) < tiny ? tiny : d);
            c = 1 + (aa / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            var step = d * c;
            h *= step;
            if (Math.Abs(step - 1) < 1e-15)
            {
                break;
            }
        }

        return h;
    }

    /// <summary>ln Γ(x) by the Lanczos approximation (g = 7, 9 terms), accurate to about 15 digits.</summary>
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
