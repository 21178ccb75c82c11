using OpenCem.Text.Analysis;
using OpenCem.Text.Training;

namespace OpenCem.Tests.Text.Analysis;

/// <summary>The model trained on a company's scored comments: it learns their language, survives a round trip, and the analyser uses it.</summary>
public sealed class TrainedSentimentTests
{
    /// <summary>
    /// Comments in a company's own words that the lexicon cannot read: "the fibre box blinks red" is a complaint at
    /// this company, "the line hums" praise. Labels come from scores, as in a workspace.
    /// </summary>
    internal static List<TrainingExample> CompanyComments(int count, int seed)
    {
        var random = new Random(seed);
        string[] bad = ["the fibre box blinks red", "the modem light blinks red again", "red blinking box since the visit", "box blinks red every evening"];
        string[] good = ["the line hums along", "the line hums, as it should", "my line hums since the switch", "it hums all day"];
        string[] neutral = ["changed the tariff last month", "moved the box to the hallway", "got the letter about the tariff", "the box sits in the hallway"];
        var examples = new List<TrainingExample>();
        for (var i = 0; i < count; i++)
        {
            var nps = random.Next(0, 11);
            var label = WeakLabels.FromNps(nps);
            var pool = label == "negative" ? bad : label == "positive" ? good : neutral;
            examples.Add(new TrainingExample($"{pool[random.Next(pool.Length)]} {(random.Next(3) == 0 ? "ok" : "")} #{i % 17}", label, "en"));
        }

        return examples;
    }

    [Fact]
    public void Train_LearnsTheCompanysLanguage_AndReportsTheImprovementOnHeldOutComments()
    {
        var result = SentimentTrainer.TrainAndEvaluate(CompanyComments(600, 1));
        Assert.True(result.TestCount > 60 && result.TrainCount > 400);
        Assert.True(result.Trained.Accuracy >= 0.95, $"trained {result.Trained.Accuracy}");
        Assert.True(result.BuiltIn.Accuracy < 0.6, $"built-in {result.BuiltIn.Accuracy}");
        Assert.True(result.IsBetter);
        Assert.Equal(result.Trained.MacroF1 - result.BuiltIn.MacroF1, result.MacroF1Gain, 9);
    }

    [Fact]
    public void Analyzer_WithAModel_UsesIt_AndWithoutKeepsTheBuiltInRules()
    {
        var model = SentimentTrainer.Fit(CompanyComments(600, 2));
        var trained = new TextAnalyzer(DefaultTaxonomy.Load(), model);
        var builtIn = new TextAnalyzer(DefaultTaxonomy.Load());
        Assert.Equal("negative", trained.Analyze("the fibre box blinks red").Sentiment.Label);
        Assert.Equal("positive", trained.Analyze("the line hums").Sentiment.Label);
        Assert.Equal("neutral", builtIn.Analyze("the fibre box blinks red").Sentiment.Label);
        Assert.NotEqual(builtIn.Version, trained.Version);
        Assert.Contains(model.Fingerprint, trained.Version, StringComparison.Ordinal);

        // Themes and emotions still come from the rules.
        Assert.Equal(builtIn.Analyze("the technician was friendly").Themes.Select(t => t.Key), trained.Analyze("the technician was friendly").Themes.Select(t => t.Key));
    }

    [Fact]
    public void Model_RoundTripsThroughBytes_AndRejectsOtherBytes()
    {
        var model = SentimentTrainer.Fit(CompanyComments(200, 3));
        var bytes = model.ToBytes();
        var copy = TrainedSentiment.FromBytes(bytes);
        Assert.Equal(model.Fingerprint, copy.Fingerprint);
        Assert.Equal(new TextAnalyzer(DefaultTaxonomy.Load(), model).Analyze("the box blinks red").Sentiment, new TextAnalyzer(DefaultTaxonomy.Load(), copy).Analyze("the box blinks red").Sentiment);
        Assert.True(bytes.Length < 200_000, $"{bytes.Length} bytes");

        Assert.Throws<InvalidDataException>(() => TrainedSentiment.FromBytes([]));
        Assert.Throws<InvalidDataException>(() => TrainedSentiment.FromBytes("not a model at all"u8.ToArray()));
        Assert.Throws<InvalidDataException>(() => TrainedSentiment.FromBytes(bytes[..(bytes.Length / 2)]));
    }

    [Fact]
    public void Train_RefusesTooFewComments()
    {
        var error = Assert.Throws<ArgumentException>(() => SentimentTrainer.TrainAndEvaluate(CompanyComments(10, 4)));
        Assert.Contains("at least 50", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "negative")]
    [InlineData(6, "negative")]
    [InlineData(7, "neutral")]
    [InlineData(8, "neutral")]
    [InlineData(9, "positive")]
    [InlineData(10, "positive")]
    public void WeakLabels_FollowTheNpsGroups(int nps, string label) => Assert.Equal(label, WeakLabels.FromNps(nps));

    [Theory]
    [InlineData(1, "negative")]
    [InlineData(2, "negative")]
    [InlineData(3, "neutral")]
    [InlineData(4, "positive")]
    [InlineData(5, "positive")]
    public void WeakLabels_FollowTheCsatGroups(int csat, string label) => Assert.Equal(label, WeakLabels.FromCsat(csat));
}
