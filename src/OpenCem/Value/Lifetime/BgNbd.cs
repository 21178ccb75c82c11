using MathNet.Numerics;

namespace OpenCem.Value.Lifetime;

/// <summary>The BG/NBD parameters: purchase rates Gamma(r, α), dropout probabilities Beta(a, b).</summary>
public sealed record BgNbdParameters(double R, double Alpha, double A, double B);

/// <summary>
/// The BG/NBD model of Fader, Hardie and Lee (2005), "Counting Your Customers the Easy Way": each customer's
/// log-likelihood, probability of being alive, and expected purchases in the next t periods given x, t_x and T.
/// </summary>
public static class BgNbd
{
    /// <summary>The log-likelihood of one customer (equation 6 of the paper).</summary>
    public static double LogLikelihood(BgNbdParameters p, int x, double tx, double t)
    {
        var a1 = SpecialFunctions.GammaLn(p.R + x) - SpecialFunctions.GammaLn(p.R) + (p.R * Math.Log(p.Alpha));
        var a2 = SpecialFunctions.GammaLn(p.A + p.B) + SpecialFunctions.GammaLn(p.B + x) - SpecialFunctions.GammaLn(p.B) - SpecialFunctions.GammaLn(p.A + p.B + x);
        return a1 + a2 + Tail(p, x, tx, t, Math.Log(p.A), Math.Log(p.B + x - 1));
    }

    /// <summary>ln(A3 + δ(x&gt;0)·A4), the part of the likelihood that depends on t_x and T.</summary>
    internal static double Tail(BgNbdParameters p, int x, double tx, double t, double logA, double logBx1)
    {
        var a3 = -(p.R + x) * Math.Log(p.Alpha + t);
        if (x == 0)
        {
            return a3;
        }

        return RepeatTail(p, x, a3, logA, logBx1, Math.Log(p.Alpha + tx));
    }

    /// <summary>
    /// The same for x &gt; 0 with −(r+x)·ln(α+T) and ln(α+t_x) given (the fit looks them up per distinct day). One of the
    /// two exponentials is of 0, so it is skipped: 1 is what <see cref="Math.Exp"/> returns for 0, so the sum is the
    /// same to the bit.
    /// </summary>
    internal static double RepeatTail(BgNbdParameters p, int x, double a3, double logA, double logBx1, double logAlphaTx)
    {
        var a4 = logA - logBx1 - ((p.R + x) * logAlphaTx);
        var max = Math.Max(a3, a4);
        var (d3, d4) = (a3 - max, a4 - max);
        return max + Math.Log((d3 == 0 ? 1 : Math.Exp(d3)) + (d4 == 0 ? 1 : Math.Exp(d4)));
    }

    /// <summary>P(alive | x, t_x, T).</summary>
    public static double ProbabilityAlive(BgNbdParameters p, int x, double tx, double t) =>
        x == 0 ? 1 : 1 / (1 + (p.A / (p.B + x - 1) * Math.Pow((p.Alpha + t) / (p.Alpha + tx), p.R + x)));

    /// <summary>E[X(t)]: expected repeat purchases of a new customer in its first t periods (equation 9).</summary>
    public static double ExpectedRepeats(BgNbdParameters p, double t) => t <= 0 ? 0
        : (p.A + p.B - 1) / (p.A - 1) * (1 - (Math.Pow(p.Alpha / (p.Alpha + t), p.R) * Hypergeometric.Gauss2F1(p.R, p.B, p.A + p.B - 1, t / (p.Alpha + t))));

    /// <summary>E[Y(t) | x, t_x, T]: expected purchases in the next <paramref name="horizon"/> periods (equation 10).</summary>
    public static double ExpectedPurchases(BgNbdParameters p, int x, double tx, double t, double horizon) =>
        horizon <= 0 ? 0 : ExpectedNumerator(p, x, t, horizon) / AliveDenominator(p, x, tx, t);

    /// <summary>
    /// The numerator of E[Y(t) | x, t_x, T], which does not depend on t_x: customers sharing x and T share it, so the
    /// ₂F₁ series (the costly part) is evaluated once per (x, T) and period rather than once per customer tuple.
    /// </summary>
    public static double ExpectedNumerator(BgNbdParameters p, int x, double t, double horizon)
    {
        var ageAlpha = p.Alpha + t;
        var hyper = Hypergeometric.Gauss2F1(p.R + x, p.B + x, p.A + p.B + x - 1, horizon / (ageAlpha + horizon));
        return (p.A + p.B + x - 1) / (p.A - 1) * (1 - (Math.Pow(ageAlpha / (ageAlpha + horizon), p.R + x) * hyper));
    }

    /// <summary>1 + δ(x&gt;0)·a/(b+x−1)·((α+T)/(α+t_x))^(r+x): the denominator of E[Y(t)] and of P(alive).</summary>
    public static double AliveDenominator(BgNbdParameters p, int x, double tx, double t) =>
        x == 0 ? 1 : 1 + (p.A / (p.B + x - 1) * Math.Pow((p.Alpha + t) / (p.Alpha + tx), p.R + x));
}
