using MathNet.Numerics;

namespace OpenCem.Value.Lifetime;

/// <summary>The Gamma-Gamma spend parameters: transaction values Gamma(p, ν), ν ~ Gamma(q, γ).</summary>
public sealed record GammaGammaParameters(double P, double Q, double Gamma);

/// <summary>
/// The Gamma-Gamma model of spend per transaction (Fader, Hardie and Lee 2005, "RFM and CLV"; Colombo and Jiang
/// 1999), fitted on customers with repeat purchases from x and the mean value of their repeat transactions.
/// </summary>
public static class GammaGamma
{
    /// <summary>E[M | x, m̄_x]: the expected value of a customer's future transactions; the population mean without repeats.</summary>
    public static double ExpectedSpend(GammaGammaParameters g, int x, double meanValue) =>
        (g.Gamma + (meanValue * x)) * g.P / ((g.P * x) + g.Q - 1);

    /// <summary>The log-likelihood of one customer's mean repeat value (without the constants that do not depend on p, q, γ).</summary>
    public static double LogLikelihood(GammaGammaParameters g, int x, double meanValue) =>
        SpecialFunctions.GammaLn((g.P * x) + g.Q) - SpecialFunctions.GammaLn(g.P * x) - SpecialFunctions.GammaLn(g.Q)
        + (g.Q * Math.Log(g.Gamma)) + (((g.P * x) - 1) * Math.Log(meanValue)) + (g.P * x * Math.Log(x))
        - (((g.P * x) + g.Q) * Math.Log(g.Gamma + (x * meanValue)));

    /// <summary>Maximum-likelihood parameters from the customers with x &gt; 0 and a positive mean value.</summary>
    public static (GammaGammaParameters Parameters, int Customers) Fit(IReadOnlyList<CustomerRfm> customers)
    {
        var repeaters = customers.Where(c => c.Repeats > 0 && c.MeanRepeatValue > 0).ToArray();
        var x = repeaters.Select(c => c.Repeats).ToArray();
        var m = repeaters.Select(c => c.MeanRepeatValue).ToArray();
        var logM = m.Select(v => Math.Log(v)).ToArray();
        var logX = x.Select(v => Math.Log(v)).ToArray();
        var maxX = x.Length == 0 ? 0 : x.Max();
        var meanValue = m.Length == 0 ? 1 : m.Average();

        double NegativeMean(double[] v)
        {
            var (p, q, gamma) = (v[0], v[1], v[2]);
            // Per distinct x: ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ.
            var constant = new double[maxX + 1];
            var lnGammaQ = SpecialFunctions.GammaLn(q);
            var qLogGamma = q * Math.Log(gamma);
            for (var k = 1; k <= maxX; k++)
            {
                constant[k] = SpecialFunctions.GammaLn((p * k) + q) - SpecialFunctions.GammaLn(p * k) - lnGammaQ + qLogGamma;
            }

            var sum = ParallelSum.Of(x.Length, (from, to) =>
            {
                var s = 0.0;
                for (var i = from; i < to; i++)
                {
                    var px = p * x[i];
                    s += constant[x[i]] + ((px - 1) * logM[i]) + (px * logX[i]) - ((px + q) * Math.Log(gamma + (x[i] * m[i])));
                }

                return s;
            });
            return -sum / Math.Max(1, x.Length);
        }

        var (found, _) = LogSpaceMinimizer.Minimise(NegativeMean, [1, 1, meanValue]);
        return (new GammaGammaParameters(found[0], found[1], found[2]), repeaters.Length);
    }
}
