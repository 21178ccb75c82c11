namespace OpenCem.Value.Lifetime;

/// <summary>
/// The fit, pure: BG/NBD on the calibration cohort's (x, t_x, T) tuples, Gamma-Gamma on the repeat customers' mean
/// values, and the holdout check: Σ E[Y(k) | x, t_x, T] against the actual repeat purchase days, both cumulative from
/// the calibration end to the end of period k.
/// </summary>
public static class ClvFitting
{
    /// <param name="phaseDone">Called with the name of each phase as it ends (BG/NBD, Gamma-Gamma, holdout), for timing.</param>
    public static ClvModel Fit(IReadOnlyList<CustomerRfm> customers, ClvSettings settings, int holdoutPeriods, Action<string>? phaseDone = null)
    {
        var repeaters = customers.Count(c => c.Repeats > 0);
        if (repeaters < ClvSettings.MinimumRepeatCustomers)
        {
            throw new ClvDataException("calibrationEnd",
                $"Too little data: {repeaters} customer(s) bought again by the calibration end ({customers.Count} in the cohort); a fit needs at least {ClvSettings.MinimumRepeatCustomers}.");
        }

        var unitDays = settings.TimeUnit.Days();
        var (tuples, _) = RfmTuple.Compress(customers);
        var (bgnbd, logLikelihood) = BgNbdFit.Fit(tuples, unitDays);
        phaseDone?.Invoke("BG/NBD fit");
        var (gammaGamma, _) = GammaGamma.Fit(customers);
        phaseDone?.Invoke("Gamma-Gamma fit");
        if (gammaGamma.Q <= 1)
        {
            throw new ClvDataException("calibrationEnd", $"The spend model has no finite mean (q = {gammaGamma.Q:G4} ≤ 1): the repeat purchase values vary too wildly for a CLV.");
        }

        var (pairs, pairOf) = RfmTuple.Ages(tuples);
        var numerators = ClvValuation.Numerators(bgnbd, pairs, holdoutPeriods, unitDays);
        var predicted = new double[holdoutPeriods];
        for (var i = 0; i < tuples.Length; i++)
        {
            var t = tuples[i];
            var weight = t.Customers / BgNbd.AliveDenominator(bgnbd, t.Repeats, t.LastRepeatDays / unitDays, t.AgeDays / unitDays);
            var row = numerators[pairOf[i]];
            for (var k = 0; k < holdoutPeriods; k++)
            {
                predicted[k] += row[k] * weight;
            }
        }

        var actual = new long[holdoutPeriods];
        foreach (var c in customers)
        {
            for (var k = 0; k < holdoutPeriods && c.HoldoutPurchases is { } holdout; k++)
            {
                actual[k] += holdout[k];
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
        phaseDone?.Invoke("holdout");
        return new ClvModel(customers.Count, repeaters, tuples.Length, bgnbd, gammaGamma, logLikelihood, points, calibration);
    }
}
