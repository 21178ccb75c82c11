using OpenCem.Text.Analysis;

namespace OpenCem.Tests.Text.Analysis;

/// <summary>Emotions of the documented set (anger, frustration, disappointment, worry, confusion, joy, gratitude, relief, surprise).</summary>
public sealed class EmotionTests
{
    private static readonly TextAnalyzer Analyzer = new(DefaultTaxonomy.Load());

    private static double Intensity(string text, string emotion, string? language = null) =>
        Analyzer.Analyze(text, language).Emotions.FirstOrDefault(e => e.Name == emotion)?.Intensity ?? 0;

    [Theory]
    [InlineData("I am furious, this is a disgrace", "anger", null)]
    [InlineData("still waiting, on hold again", "frustration", null)]
    [InlineData("really disappointed with the flight", "disappointment", null)]
    [InlineData("I'm worried I will miss my connection", "worry", null)]
    [InlineData("I'm confused, the bill makes no sense", "confusion", null)]
    [InlineData("so happy with the new router", "joy", null)]
    [InlineData("thank you so much, I really appreciate it", "gratitude", null)]
    [InlineData("phew, finally fixed, what a relief", "relief", null)]
    [InlineData("wow, I did not expect that, really surprised", "surprise", null)]
    [InlineData("Ich bin stinksauer, eine Frechheit", "anger", "de")]
    [InlineData("Schon wieder, ich bin total genervt", "frustration", "de")]
    [InlineData("Sehr enttäuscht von der Bahn", "disappointment", "de")]
    [InlineData("Ich mache mir Sorgen um meinen Anschluss", "worry", "de")]
    [InlineData("Vielen Dank für die Hilfe", "gratitude", "de")]
    [InlineData("Zum Glück hat alles geklappt, bin erleichtert", "relief", "de")]
    public void WordsAndPhrases_ExpressTheirEmotion(string text, string emotion, string? language) =>
        Assert.InRange(Intensity(text, emotion, language), 0.2, 1);

    [Fact]
    public void Negated_Emotion_IsNotExpressed_AndSarcasticThanksIsNotGratitude()
    {
        Assert.Equal(0, Intensity("I am not disappointed at all", "disappointment"));
        Assert.Equal(0, Intensity("thanks for nothing", "gratitude"));
        Assert.True(Intensity("thanks for nothing", "anger") > 0);
    }

    [Fact]
    public void Shouting_AddsAnger_AndExclamationsIntensify()
    {
        Assert.True(Intensity("WORST AIRLINE EVER, CANCELLED AGAIN!!", "anger") > 0);
        Assert.True(Intensity("so frustrated!!!", "frustration") > Intensity("so frustrated", "frustration"));
        Assert.Empty(Analyzer.Analyze("what is the baggage allowance").Emotions);
    }
}
