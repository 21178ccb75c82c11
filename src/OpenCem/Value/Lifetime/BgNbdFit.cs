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
        // t_x and T are whole days, so ln(α + t) is computed once per day and evaluation rather than twice per tuple.
        var txDay = tuples.Select(t => t.LastRepeatDays).ToArray();
        var ageDay = tuples.Select(t => t.AgeDays).ToArray();
        var days = tuples.Count == 0 ? 0 : Math.Max(txDay.Max(), ageDay.Max()) + 1;
        var periods = Enumerable.Range(0, days).Select(d => d / unitDays).ToArray();
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
            var logAlphaDay = new double[days];
            for (var d = 0; d < days; d++)
            {
                logAlphaDay[d] = Math.Log(p.Alpha + periods[d]);
            }

            var sum = ParallelSum.Of(x.Length, (from, to) =>
            {
                var s = 0.0;
                for (var i = from; i < to; i++)
                {
                    var xi = x[i];
                    var a3 = -(p.R + xi) * logAlphaDay[ageDay[i]];
                    var tail = xi == 0 ? a3 : BgNbd.RepeatTail(p, xi, a3, logA, logBx1[xi], logAlphaDay[txDay[i]]);
                    s += weight[i] * (constant[xi] + tail);
                }

                return s;
            });
            return -sum / customers;
        }

        var (found, value) = LogSpaceMinimizer.Minimise(NegativeMean, [1, Math.Max(meanAge, 1e-3), 1, 1]);
        return (new BgNbdParameters(found[0], found[1], found[2], found[3]), -value * customers);
    }
}
