namespace OpenCem.Value.Lifetime;

/// <summary>
/// The whole fit, pure: BG/NBD on the cohort's (x, t_x, T) tuples, Gamma-Gamma on the repeat customers' mean values,
/// then for every customer P(alive), expected purchases over the horizon and
/// CLV = E[M | x, m̄] · Σ_{k=1..H} (E[Y(k)] − E[Y(k−1)]) / (1 + d)^k, the expected purchases of each period times the
/// expected spend, discounted per period (Fader, Hardie and Lee 2005); customer equity is the sum over the cohort.
/// The holdout compares Σ E[Y(k) | x, t_x, T] with the actual repeat purchase days, cumulative per period after the
/// calibration end.
/// </summary>
public static class ClvFitting
{
    public static (ClvFitResult Result, CustomerValue[] Values) Fit(
        IReadOnlyList<CustomerRfm> customers, ClvSettings settings, int holdoutPeriods, IProgress<double>? progress = null)
    {
        var repeaters = customers.Count(c => c.Repeats > 0);
        if (repeaters < ClvSettings.MinimumRepeatCustomers)
        {
            throw new ClvDataException("calibrationEnd",
                $"Too little data: {repeaters} customer(s) bought again by the calibration end ({customers.Count} in the cohort); a fit needs at least {ClvSettings.MinimumRepeatCustomers}.");
        }

        var unitDays = settings.TimeUnit.Days();
        var (tuples, tupleOf) = RfmTuple.Compress(customers);
        var (bgnbd, logLikelihood) = BgNbdFit.Fit(tuples, unitDays);
        progress?.Report(0.4);
        var (gammaGamma, _) = GammaGamma.Fit(customers);
        if (gammaGamma.Q <= 1)
        {
            throw new ClvDataException("calibrationEnd", $"The spend model has no finite mean (q = {gammaGamma.Q:G4} ≤ 1): the repeat purchase values vary too wildly for a CLV.");
        }

        progress?.Report(0.6);
        var steps = Math.Max(settings.Horizon, holdoutPeriods);
        var discounted = new double[tuples.Length];
        var horizonPurchases = new double[tuples.Length];
        var alive = new double[tuples.Length];
        var predicted = new double[holdoutPeriods];
        var gate = new object();
        Parallel.For(0, tuples.Length, () => new double[holdoutPeriods], (i, _, local) =>
        {
            var t = tuples[i];
            var (tx, age) = (t.LastRepeatDays / unitDays, t.AgeDays / unitDays);
            alive[i] = BgNbd.ProbabilityAlive(bgnbd, t.Repeats, tx, age);
            var previous = 0.0;
            var sum = 0.0;
            var factor = 1.0;
            for (var k = 1; k <= steps; k++)
            {
                var cumulative = BgNbd.ExpectedPurchases(bgnbd, t.Repeats, tx, age, k);
                if (k <= settings.Horizon)
                {
                    factor /= 1 + settings.DiscountRate;
                    sum += (cumulative - previous) * factor;
                    if (k == settings.Horizon)
                    {
                        horizonPurchases[i] = cumulative;
                    }
                }

                if (k <= holdoutPeriods)
                {
                    local[k - 1] += cumulative * t.Customers;
                }

                previous = cumulative;
            }

            discounted[i] = sum;
            return local;
        }, local =>
        {
            lock (gate)
            {
                for (var k = 0; k < local.Length; k++)
                {
                    predicted[k] += local[k];
                }
            }
        });
        progress?.Report(0.8);

        var values = new CustomerValue[customers.Count];
        var equity = 0.0;
        var expected = 0.0;
        var actual = new long[holdoutPeriods];
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            var tuple = tupleOf[i];
            var clv = GammaGamma.ExpectedSpend(gammaGamma, c.Repeats, c.MeanRepeatValue) * discounted[tuple];
            values[i] = new CustomerValue(c.CustomerId, clv, alive[tuple], horizonPurchases[tuple]);
            equity += clv;
            expected += horizonPurchases[tuple];
            if (c.HoldoutPurchases is { } holdout)
            {
                for (var k = 0; k < holdoutPeriods; k++)
                {
                    actual[k] += holdout[k];
                }
            }
        }

        var points = new HoldoutPoint[holdoutPeriods];
        long running = 0;
        for (var k = 0; k < holdoutPeriods; k++)
        {
            running += actual[k];
            points[k] = new HoldoutPoint(k + 1, predicted[k], running);
        }

        var calibration = new CalibrationCheck(
            ParallelSum.Of(tuples.Length, (from, to) =>
            {
                var s = 0.0;
                for (var i = from; i < to; i++)
                {
                    s += tuples[i].Customers * BgNbd.ExpectedRepeats(bgnbd, tuples[i].AgeDays / unitDays);
                }

                return s;
            }),
            customers.Sum(c => (long)c.Repeats));
        var result = new ClvFitResult(customers.Count, repeaters, tuples.Length, bgnbd, gammaGamma, logLikelihood, equity, expected, points, calibration);
        return (result, values);
    }
}
