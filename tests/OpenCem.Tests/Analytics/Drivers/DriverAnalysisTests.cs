using System.Text;
using OpenCem.Analytics.Drivers;
using OpenCem.Analytics.Statistics;

namespace OpenCem.Tests.Analytics.Drivers;

/// <summary>The pure analysis: bootstrap, performance, quadrants, bad data, and reading stored answers.</summary>
public sealed class DriverAnalysisTests
{
    [Fact]
    public void Analyse_SameSeed_IsReproducibleAndIndependentOfThreads()
    {
        var one = Analyse(RelativeImportanceTests.RandomData(6, 2000, 9, 0.5), 6, new DriverOptions(200, Seed: 7, Parallelism: 1));
        var many = Analyse(RelativeImportanceTests.RandomData(6, 2000, 9, 0.5), 6, new DriverOptions(200, Seed: 7, Parallelism: 4));
        var other = Analyse(RelativeImportanceTests.RandomData(6, 2000, 9, 0.5), 6, new DriverOptions(200, Seed: 8, Parallelism: 4));

        Assert.Equal(one.Drivers, many.Drivers);
        Assert.NotEqual(one.Drivers.Select(d => d.ShareCiLow), other.Drivers.Select(d => d.ShareCiLow));
        Assert.Equal(one.Drivers.Select(d => d.Share), other.Drivers.Select(d => d.Share));
    }

    [Fact]
    public void Analyse_SharesSumTo100AndTheStrongestDriverRanksFirstWithAnIntervalAroundItsShare()
    {
        var result = Analyse(RelativeImportanceTests.RandomData(5, 3000, 4, 0.4), 5, new DriverOptions(300));

        Assert.Equal(100, result.Drivers.Sum(d => d.Share), 0.05);
        // The outcome weighs driver j by (j + 1): the last driver is the strongest.
        Assert.Equal("q4", result.Drivers[0].Question);
        Assert.Equal(Enumerable.Range(1, 5), result.Drivers.Select(d => d.Rank));
        Assert.All(result.Drivers, d => Assert.True(d.ShareCiLow <= d.Share && d.Share <= d.ShareCiHigh && d.ShareCiHigh - d.ShareCiLow < 10, d.Question));
        Assert.Equal(result.R2, result.Drivers.Sum(d => d.R2Part), 5);
    }

    [Fact]
    public void Bootstrap_EverySampleDrawsNRows()
    {
        var data = RelativeImportanceTests.RandomData(3, 1000, 2, 0.3);
        var counts = new double[100];
        Bootstrap.Moments(data, 1000, 4, 100, 5, 2, () => 0, (sample, moments, _) => counts[sample] = moments[0]);
        Assert.All(counts, c => Assert.Equal(1000, c, 3));
    }

    [Fact]
    public void Bootstrap_WeightedSumsEqualTheSumsOfTheResampledRows()
    {
        // With n = 1 row every sample draws that row once: the sums are the row's own products.
        double[] data = [2, 3, 5];
        double[]? seen = null;
        Bootstrap.Moments(data, 1, 3, 1, 1, 1, () => 0, (_, moments, _) => seen = moments.ToArray());
        Assert.Equal(CrossProducts.Sums(data, 1, 3), seen);
    }

    [Fact]
    public void Analyse_ManyDrivers_UsesRelativeWeights()
    {
        var result = Analyse(RelativeImportanceTests.RandomData(17, 3000, 6, 0.3), 17, new DriverOptions(40));
        Assert.Equal("relative-weights", result.Method);
        Assert.Equal(100, result.Drivers.Sum(d => d.Share), 0.05);
    }

    [Fact]
    public void Analyse_ConstantDriverOrTooFewRows_NamesTheParameter()
    {
        var data = RelativeImportanceTests.RandomData(2, 50, 1, 0.3);
        for (var i = 0; i < 50; i++)
        {
            data[(i * 3) + 2] = 4;
        }

        var constant = Assert.Throws<DriverDataException>(() => Analyse(data, 2, new DriverOptions(20)));
        Assert.Equal("drivers", constant.Field);
        Assert.Contains("q1", constant.Message, StringComparison.Ordinal);

        var few = Assert.Throws<DriverDataException>(() => DriverAnalysis.Analyse(RelativeImportanceTests.RandomData(3, 4, 1, 0.3), 4, Outcome, Columns(3), new DriverOptions(20)));
        Assert.Equal("drivers", few.Field);
        var one = Assert.Throws<DriverDataException>(() => DriverAnalysis.Analyse(RelativeImportanceTests.RandomData(1, 1, 1, 0.3), 1, Outcome, Columns(1), new DriverOptions(20)));
        Assert.Equal("survey", one.Field);
    }

    [Fact]
    public void Analyse_Performance_IsTheMeanAndItsPlaceOnTheScale()
    {
        // Driver q0 answers 2 and 4 on 1–5: mean 3, 50 on 0–100.
        double[] data = [1, 2, 5, 2, 4, 1, 3, 2, 4, 4, 4, 2];
        var result = DriverAnalysis.Analyse(data, 4, Outcome, [new DriverColumn("q0", "Q0", 1, 5), new DriverColumn("q1", "Q1", 1, 5)], new DriverOptions(20));
        var q0 = result.Drivers.Single(d => d.Question == "q0");
        Assert.Equal(3, q0.Performance);
        Assert.Equal(50, q0.Performance100);
    }

    [Theory]
    [InlineData(40, 30, DriverQuadrants.FixFirst)]
    [InlineData(40, 80, DriverQuadrants.KeepUp)]
    [InlineData(10, 80, DriverQuadrants.Maintain)]
    [InlineData(10, 30, DriverQuadrants.Monitor)]
    [InlineData(25, 60, DriverQuadrants.KeepUp)]
    public void Quadrant_ImportanceAgainstMeanShareAndPerformanceAgainstMeanPerformance(double share, double performance, string expected) =>
        Assert.Equal(expected, DriverQuadrants.Of(share, 25, performance, 60));

    [Fact]
    public void AnswerTableParse_PicksTheWantedAnswersOfAnyKindAndLeavesTheRestUnanswered()
    {
        var json = """{"comment":"x {\"nps\": 1}","nps":9,"attributes":{"speed":4,"result":"2","other":1},"resolved":false,"share":12.5,"list":[1,2],"bad":"n/a"}""";
        byte[][] names = [Encoding.UTF8.GetBytes("nps"), Encoding.UTF8.GetBytes("attributes"), Encoding.UTF8.GetBytes("resolved"), Encoding.UTF8.GetBytes("share"), Encoding.UTF8.GetBytes("missing"), Encoding.UTF8.GetBytes("bad")];
        (byte[]? Row, int Column)[][] targets =
        [
            [(null, 0)], [(Encoding.UTF8.GetBytes("speed"), 1), (Encoding.UTF8.GetBytes("result"), 2), (Encoding.UTF8.GetBytes("technician"), 3)],
            [(null, 4)], [(null, 5)], [(null, 6)], [(null, 7)],
        ];
        var row = Enumerable.Repeat(double.NaN, 8).ToArray();
        AnswerTable.Parse(Encoding.UTF8.GetBytes(json), names, targets, row);
        Assert.Equal([9, 4, 2, double.NaN, 0, 12.5, double.NaN, double.NaN], row);

        var broken = Enumerable.Repeat(double.NaN, 8).ToArray();
        AnswerTable.Parse(Encoding.UTF8.GetBytes("""{"nps":7,"attributes":{"speed":"""), names, targets, broken);
        Assert.Equal(7, broken[0]);
        Assert.True(double.IsNaN(broken[1]));
    }

    private static readonly DriverColumn Outcome = new("y", "Outcome", null, null);

    private static DriverColumn[] Columns(int k) => Enumerable.Range(0, k).Select(j => new DriverColumn($"q{j}", $"Q{j}", 1, 7)).ToArray();

    private static DriverResult Analyse(double[] data, int k, DriverOptions options) =>
        DriverAnalysis.Analyse(data, data.Length / (k + 1), Outcome, Columns(k), options);
}
