using OpenCem.Analytics.Metrics;
using OpenCem.Analytics.Statistics;

namespace OpenCem.Tests.Analytics.Metrics;

/// <summary>The statistics of PRODUCT.md's metric definitions, on hand-computed numbers.</summary>
public sealed class MetricStatisticsTests
{
    [Fact]
    public void Evaluate_Nps_ValueStandardErrorAndIntervalAsDefined()
    {
        // 100 answers: 50 promoters (10), 20 passives (8), 30 detractors (3). p = 0.5, d = 0.3.
        // NPS = 20; SE = 100 · sqrt((0.8 − 0.04) / 100) = 100 · sqrt(0.0076) = 8.7178; 95 %: 20 ± 17.0866.
        var tally = Tally((10, 50), (8, 20), (3, 30));
        var nps = tally.Evaluate(MetricKind.Nps)!;
        Assert.Equal(100, nps.N);
        Assert.Equal(20, nps.Value);
        Assert.Equal(8.717798, nps.StandardError!.Value, 5);
        Assert.Equal(2.91, nps.CiLow);
        Assert.Equal(37.09, nps.CiHigh);
        Assert.Equal(50, nps.Promoters);
        Assert.Equal(30, nps.Detractors);
    }

    [Fact]
    public void ChangeIsSignificant_NpsPeriods_UsesTheCombinedStandardError()
    {
        // Before: NPS 20, SE 8.7178 (as above). After: 200 answers, 130 promoters, 30 detractors: p = 0.65, d = 0.15,
        // NPS = 50, SE = 100 · sqrt((0.8 − 0.25) / 200) = 5.2440. Bound: 1.96 · sqrt(8.7178² + 5.2440²) = 19.94 < 30.
        var before = Tally((10, 50), (8, 20), (3, 30)).Evaluate(MetricKind.Nps)!;
        var after = Tally((9, 130), (7, 40), (0, 30)).Evaluate(MetricKind.Nps)!;
        Assert.Equal(50, after.Value);
        Assert.Equal(5.244044, after.StandardError!.Value, 5);
        Assert.True(MetricStatistics.ChangeIsSignificant(before.Exact, before.StandardError!.Value, after.Exact, after.StandardError.Value));

        // A change of 19 points against the same bound of 19.94 is not significant; 20.5 is.
        Assert.False(MetricStatistics.ChangeIsSignificant(20, 8.717798, 39, 5.244044));
        Assert.True(MetricStatistics.ChangeIsSignificant(20, 8.717798, 40.5, 5.244044));
    }

    [Fact]
    public void Evaluate_Csat_TopTwoShareWilsonIntervalAndMean()
    {
        // 40 answers: 5 ×12, 4 ×18, 3 ×6, 1 ×4 → top-two 30/40 = 75 %; mean (60 + 72 + 18 + 4) / 40 = 3.85.
        // Wilson (z = 1.96): centre (0.75 + 0.048018) / 1.096036 = 0.728094, half 0.130034 → 59.81 % to 85.81 %.
        var csat = Tally((5, 12), (4, 18), (3, 6), (1, 4)).Evaluate(MetricKind.Csat)!;
        Assert.Equal(75, csat.Value);
        Assert.Equal(3.85, csat.Mean);
        Assert.Equal(59.81, csat.CiLow!.Value, 2);
        Assert.Equal(85.81, csat.CiHigh!.Value, 2);
    }

    [Fact]
    public void Evaluate_Mean_StudentTIntervalFromSumsOfSquares()
    {
        // 1, 2, 3, 4, 5: mean 3, sample variance 2.5, SE sqrt(0.5) = 0.707107, t(0.975, 4) = 2.776445 → 3 ± 1.963243.
        var tally = Tally((1, 1), (2, 1), (3, 1), (4, 1), (5, 1));
        var ces = tally.Evaluate(MetricKind.Ces)!;
        Assert.Equal(3, ces.Value);
        Assert.Equal(1.04, ces.CiLow);
        Assert.Equal(4.96, ces.CiHigh);
    }

    [Theory]
    [InlineData(1, 12.7062)]
    [InlineData(2, 4.3027)]
    [InlineData(4, 2.7764)]
    [InlineData(9, 2.2622)]
    [InlineData(29, 2.0452)]
    [InlineData(120, 1.9799)]
    public void Two95_MatchesThePublishedTable(long degreesOfFreedom, double expected) =>
        Assert.Equal(expected, StudentT.Two95(degreesOfFreedom), 3);

    [Fact]
    public void Evaluate_OneAnswer_HasNoIntervalAndNoStandardError()
    {
        foreach (var kind in Enum.GetValues<MetricKind>())
        {
            var result = Tally((9, 1)).Evaluate(kind)!;
            Assert.Equal(1, result.N);
            Assert.Null(result.CiLow);
            Assert.Null(result.CiHigh);
            Assert.Null(result.StandardError);
        }

        Assert.Null(default(MetricTally).Evaluate(MetricKind.Nps));
    }

    [Fact]
    public void Evaluate_DecimalAnswers_KeepExactSumsAndClassifyByWholePart()
    {
        var tally = default(MetricTally);
        tally.Add(8, 1, 8.5, 72.25);
        tally.Add(9, 1, 9.25, 85.5625);
        var mean = tally.Evaluate(MetricKind.Mean)!;
        Assert.Equal(8.88, mean.Value);
        var nps = tally.Evaluate(MetricKind.Nps)!;
        Assert.Equal(50, nps.Value);
    }

    private static MetricTally Tally(params (long Score, long N)[] buckets)
    {
        var tally = default(MetricTally);
        foreach (var (score, n) in buckets)
        {
            tally.Add(score, n, score * n, score * score * n);
        }

        return tally;
    }
}
