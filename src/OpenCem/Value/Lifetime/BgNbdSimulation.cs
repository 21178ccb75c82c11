using MathNet.Numerics.Distributions;

namespace OpenCem.Value.Lifetime;

/// <summary>
/// Draws a purchase log from the BG/NBD and Gamma-Gamma processes (deterministic for a seed): each customer gets a
/// purchase rate λ ~ Gamma(r, α), a dropout probability p ~ Beta(a, b) and a mean spend from ν ~ Gamma(q, γ); after a
/// first purchase on a day of the cohort window, purchases follow at exponential gaps until the customer drops out
/// (with probability p after each repeat purchase) or the log ends. The demo and the benchmark use it; tests recover the
/// parameters from it.
/// </summary>
public static class BgNbdSimulation
{
    /// <summary>Purchases of customers <paramref name="firstCustomerId"/>.. in customer and day order.</summary>
    public static IEnumerable<Purchase> Purchases(
        BgNbdParameters bgnbd, GammaGammaParameters spend, int customers, long firstCustomerId, int firstDay, int cohortDays, int endDay, double unitDays, int seed)
    {
        var random = new Random(seed);
        var rate = new Gamma(bgnbd.R, bgnbd.Alpha, random);
        var dropout = new Beta(bgnbd.A, bgnbd.B, random);
        var scale = new Gamma(spend.Q, spend.Gamma, random);
        for (var i = 0; i < customers; i++)
        {
            var customer = firstCustomerId + i;
            var lambda = rate.Sample();
            var p = dropout.Sample();
            var nu = scale.Sample();
            var value = new Gamma(spend.P, nu, random);
            var start = firstDay + random.Next(Math.Max(1, cohortDays));
            var t = (double)start;
            yield return new Purchase(customer, start, Math.Round(value.Sample(), 2));
            // Dropout is possible after each repeat purchase only, never after the first (the model's (1 − p)^x).
            while (true)
            {
                t += Exponential.Sample(random, lambda) * unitDays;
                if (t > endDay)
                {
                    break;
                }

                yield return new Purchase(customer, (int)t, Math.Round(value.Sample(), 2));
                if (random.NextDouble() < p)
                {
                    break;
                }
            }
        }
    }
}
