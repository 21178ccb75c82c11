using MathNet.Numerics;

namespace OpenCem.Value.Lifetime;

/// <summary>
/// Maximum-likelihood BG/NBD parameters for a cohort given as weighted tuples, with t_x and T in periods of
/// <c>unitDays</c>. The terms that depend only on x are computed once per distinct x and evaluation; the rest is
/// summed over the tuples in parallel.
/// </summary>
public static class BgNbdFit
{
    public static (BgNbdParameters Parameters, double LogLikelihood) Fit(IReadOnlyList<RfmTuple> tuples, double unitDays)
    {
        var x = tuples.Select(t => t.Repeats).ToArray();
        var tx = tuples.Select(t => t.LastRepeatDays / unitDays).ToArray();
        var age = tuples.Select(t => t.AgeDays / unitDays).ToArray();
        var weight = tuples.Select(t => (double)t.Customers).ToArray();
        var customers = weight.Sum();
        var maxX = x.Length == 0 ? 0 : x.Max();
        var meanAge = customers > 0 ? tuples.Sum(t => t.Customers * t.AgeDays / unitDays) / customers : 1;

        double NegativeMean(double[] v)
        {
            var p = new BgNbdParameters(v[0], v[1], v[2], v[3]);
            // Per distinct x: ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x)/B(a, b), ln(b+x−1).
            var constant = new double[maxX + 1];
            var logBx1 = new double[maxX + 1];
            var lnGammaR = SpecialFunctions.GammaLn(p.R);
            var lnGammaAb = SpecialFunctions.GammaLn(p.A + p.B) - SpecialFunctions.GammaLn(p.B);
            var rLogAlpha = p.R * Math.Log(p.Alpha);
            for (var k = 0; k <= maxX; k++)
            {
                constant[k] = SpecialFunctions.GammaLn(p.R + k) - lnGammaR + rLogAlpha + lnGammaAb
                    + SpecialFunctions.GammaLn(p.B + k) - SpecialFunctions.GammaLn(p.A + p.B + k);
                logBx1[k] = k > 0 ? Math.Log(p.B + k - 1) : 0;
            }

            var logA = Math.Log(p.A);
            var sum = ParallelSum.Of(x.Length, (from, to) =>
            {
                var s = 0.0;
                for (var i = from; i < to; i++)
                {
                    s += weight[i] * (constant[x[i]] + BgNbd.Tail(p, x[i], tx[i], age[i], logA, logBx1[x[i]]));
                }

                return s;
            });
            return -sum / customers;
        }

        var (found, value) = LogSpaceMinimizer.Minimise(NegativeMean, [1, Math.Max(meanAge, 1e-3), 1, 1]);
        return (new BgNbdParameters(found[0], found[1], found[2], found[3]), -value * customers);
    }
}
