using OpenCem.Value.Lifetime;

namespace OpenCem.Tests.Value;

public sealed class LifetimeDomainTests
{
    [Fact]
    public void RfmSummary_CdnowLog_MatchesPublishedSummaryCustomerByCustomer()
    {
        var customers = RfmSummary.Of(Cdnow.Purchases(), Cdnow.Settings.CalibrationEndDay, ClvTimeUnit.Week, 39);
        var published = Cdnow.Summary();

        Assert.Equal(published.Count, customers.Count);
        foreach (var c in customers)
        {
            var p = published[c.CustomerId];
            Assert.Equal(p.X, c.Repeats);
            Assert.Equal(p.Tx, c.LastRepeatDays / 7.0, 0.006);
            Assert.Equal(p.T, c.AgeDays / 7.0, 0.006);
            Assert.Equal(p.Zbar, c.MeanRepeatValue, 0.006);
        }
    }

    [Fact]
    public void ClvFitting_Cdnow_ReproducesThePaper()
    {
        var customers = RfmSummary.Of(Cdnow.Purchases(), Cdnow.Settings.CalibrationEndDay, ClvTimeUnit.Week, 39);

        var model = ClvFitting.Fit(customers, Cdnow.Settings, 39);

        Cdnow.AssertPublished(model.BgNbd, model.GammaGamma);
        Assert.Equal(-9582.43, model.LogLikelihood, 0.5);
        Assert.Equal(2357, model.N);
        Cdnow.AssertHoldout(model);
    }

    [Fact]
    public void ClvValuation_OneCustomer_IsSpendTimesDiscountedPeriodPurchases()
    {
        var bgnbd = new BgNbdParameters(0.243, 4.414, 0.793, 2.426);
        var gammaGamma = new GammaGammaParameters(6.25, 3.74, 15.44);
        var customer = new CustomerRfm(7, 2, 213, 272, 22.35, null);
        var settings = new ClvSettings(Cdnow.CalibrationEnd, ClvTimeUnit.Week, 3, 0.01);

        var value = ClvValuation.Value(bgnbd, gammaGamma, [customer], settings);

        var spend = GammaGamma.ExpectedSpend(gammaGamma, 2, 22.35);
        var y = Enumerable.Range(0, 4).Select(k => BgNbd.ExpectedPurchases(bgnbd, 2, 213 / 7.0, 272 / 7.0, k)).ToArray();
        var expected = spend * (((y[1] - y[0]) / 1.01) + ((y[2] - y[1]) / (1.01 * 1.01)) + ((y[3] - y[2]) / (1.01 * 1.01 * 1.01)));
        var only = Assert.Single(value.Customers);
        Assert.Equal(expected, only.Clv, 1e-9);
        Assert.Equal(expected, value.CustomerEquity, 1e-9);
        Assert.Equal(y[3], only.ExpectedPurchases, 1e-12);
        Assert.Equal(BgNbd.ProbabilityAlive(bgnbd, 2, 213 / 7.0, 272 / 7.0), only.ProbabilityAlive, 1e-12);
        Assert.InRange(only.ProbabilityAlive, 0.5, 1);
    }

    [Fact]
    public void ExpectedPurchases_PaperExample_Is1226()
    {
        var p = new BgNbdParameters(0.243, 4.414, 0.793, 2.426);

        Assert.Equal(1.226, BgNbd.ExpectedPurchases(p, 2, 30.43, 38.86, 39), 0.0005);
    }

    [Fact]
    public void RfmSummary_SameDayPurchases_CountAsOneTransactionWithTheirSum()
    {
        Purchase[] log = [new(1, 0, 10), new(1, 0, 5), new(1, 7, 20), new(1, 7, 4), new(1, 14, 30), new(1, 30, 8), new(2, 28, 9)];

        var customers = RfmSummary.Of(log, calibrationEndDay: 21, ClvTimeUnit.Week, holdoutPeriods: 2);

        var one = Assert.Single(customers);
        Assert.Equal(2, one.Repeats);
        Assert.Equal(14, one.LastRepeatDays);
        Assert.Equal(21, one.AgeDays);
        Assert.Equal(27, one.MeanRepeatValue, 1e-9);
        Assert.Equal([0, 1], one.HoldoutPurchases!);
    }

    [Fact]
    public void ClvFitting_TooFewRepeatCustomers_SaysSo()
    {
        var customers = Enumerable.Range(1, 50).Select(i => new CustomerRfm(i, i <= 5 ? 1 : 0, i <= 5 ? 3 : 0, 40, i <= 5 ? 10 : 0, null)).ToList();

        var error = Assert.Throws<ClvDataException>(() => ClvFitting.Fit(customers, new ClvSettings(new DateOnly(2024, 1, 1), ClvTimeUnit.Week, 52, 0.01), 4));

        Assert.Equal("calibrationEnd", error.Field);
        Assert.Contains("5 customer(s) bought again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hypergeometric_KnownValue_MatchesClosedForm()
    {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z.
        Assert.Equal(-Math.Log(0.5) / 0.5, Hypergeometric.Gauss2F1(1, 1, 2, 0.5), 1e-12);
    }

    [Fact]
    public void ClvFitting_SimulatedProcess_RecoversItsParameters()
    {
        var truth = new BgNbdParameters(0.5, 8, 0.6, 3);
        var spend = new GammaGammaParameters(5, 4, 20);
        var log = BgNbdSimulation.Purchases(truth, spend, 20_000, 1, firstDay: 0, cohortDays: 84, endDay: 364, unitDays: 7, seed: 7).ToList();

        var customers = RfmSummary.Of(log, calibrationEndDay: 182, ClvTimeUnit.Week, holdoutPeriods: 26);
        var model = ClvFitting.Fit(customers, new ClvSettings(new DateOnly(1970, 7, 2), ClvTimeUnit.Week, 52, 0.01), 26);

        Assert.Equal(truth.R, model.BgNbd.R, 0.1);
        Assert.Equal(truth.Alpha, model.BgNbd.Alpha, 2.0);
        Assert.Equal(truth.A, model.BgNbd.A, 0.2);
        Assert.Equal(truth.B, model.BgNbd.B, 1.0);
        Assert.InRange(model.Holdout[^1].Predicted / model.Holdout[^1].Actual, 0.9, 1.1);
    }

    [Fact]
    public void BgNbdFit_LikelihoodFromDayTables_EqualsThePerCustomerFormula()
    {
        var log = BgNbdSimulation.Purchases(new BgNbdParameters(0.5, 8, 0.6, 3), new GammaGammaParameters(5, 4, 20), 5_000, 1, firstDay: 0, cohortDays: 84, endDay: 364, unitDays: 7, seed: 11).ToList();
        var customers = RfmSummary.Of(log, calibrationEndDay: 182, ClvTimeUnit.Week, holdoutPeriods: 0);
        var (tuples, _) = RfmTuple.Compress(customers);

        var (fitted, logLikelihood) = BgNbdFit.Fit(tuples, 7);

        // The fit's sum (ln(α + t) looked up per day, the exponential of 0 skipped) against the paper's equation 6 per customer.
        var direct = customers.Sum(c => BgNbd.LogLikelihood(fitted, c.Repeats, c.LastRepeatDays / 7.0, c.AgeDays / 7.0));
        Assert.Equal(direct, logLikelihood, Math.Abs(direct) * 1e-9);
        Assert.Contains(tuples, t => t.Repeats == 0);
        Assert.Contains(tuples, t => t.Repeats > 0);
    }
}
