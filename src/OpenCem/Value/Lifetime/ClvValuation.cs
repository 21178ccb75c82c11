namespace OpenCem.Value.Lifetime;

/// <summary>What a cohort is worth under fitted parameters.</summary>
public sealed record CohortValue(CustomerValue[] Customers, double CustomerEquity, double ExpectedPurchases);

/// <summary>
/// Each customer's P(alive), expected purchases over the horizon, and
/// CLV = E[M | x, m̄] · Σ_{k=1..H} (E[Y(k)] − E[Y(k−1)]) / (1 + d)^k: the purchases expected in each period times the
/// expected spend per purchase, discounted per period (Fader, Hardie and Lee 2005). Customer equity is the sum.
/// Computed once per distinct (x, t_x, T) tuple, in parallel.
/// </summary>
public static class ClvValuation
{
    public static CohortValue Value(BgNbdParameters bgnbd, GammaGammaParameters gammaGamma, IReadOnlyList<CustomerRfm> customers, ClvSettings settings)
    {
        var unitDays = settings.TimeUnit.Days();
        var (tuples, tupleOf) = RfmTuple.Compress(customers);
        var (pairs, pairOf) = RfmTuple.Ages(tuples);
        var numerators = Numerators(bgnbd, pairs, settings.Horizon, unitDays);
        var discounted = new double[tuples.Length];
        var horizon = new double[tuples.Length];
        var alive = new double[tuples.Length];
        Parallel.For(0, tuples.Length, i =>
        {
            var t = tuples[i];
            var denominator = BgNbd.AliveDenominator(bgnbd, t.Repeats, t.LastRepeatDays / unitDays, t.AgeDays / unitDays);
            alive[i] = 1 / denominator;
            var row = numerators[pairOf[i]];
            var previous = 0.0;
            var sum = 0.0;
            var factor = 1.0;
            for (var k = 1; k <= settings.Horizon; k++)
            {
                var cumulative = row[k - 1] / denominator;
                factor /= 1 + settings.DiscountRate;
                sum += (cumulative - previous) * factor;
                previous = cumulative;
            }

            discounted[i] = sum;
            horizon[i] = previous;
        });

        var values = new CustomerValue[customers.Count];
        var equity = 0.0;
        var expected = 0.0;
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            var tuple = tupleOf[i];
            var clv = GammaGamma.ExpectedSpend(gammaGamma, c.Repeats, c.MeanRepeatValue) * discounted[tuple];
            values[i] = new CustomerValue(c.CustomerId, clv, alive[tuple], horizon[tuple]);
            equity += clv;
            expected += horizon[tuple];
        }

        return new CohortValue(values, equity, expected);
    }

    /// <summary>The t_x-free numerator of E[Y(k)] for k = 1..periods, per distinct (x, T).</summary>
    internal static double[][] Numerators(BgNbdParameters bgnbd, (int Repeats, int AgeDays)[] pairs, int periods, double unitDays)
    {
        var numerators = new double[pairs.Length][];
        Parallel.For(0, pairs.Length, j =>
        {
            var row = new double[periods];
            for (var k = 1; k <= periods; k++)
            {
                row[k - 1] = BgNbd.ExpectedNumerator(bgnbd, pairs[j].Repeats, pairs[j].AgeDays / unitDays, k);
            }

            numerators[j] = row;
        });
        return numerators;
    }
}
