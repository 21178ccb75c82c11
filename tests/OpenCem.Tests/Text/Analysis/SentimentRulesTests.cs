using OpenCem.Text;
using OpenCem.Text.Analysis;

namespace OpenCem.Tests.Text.Analysis;

/// <summary>Each rule of the built-in sentiment analysis, on single sentences in English and German.</summary>
public sealed class SentimentRulesTests
{
    private static readonly TextAnalyzer Analyzer = new(DefaultTaxonomy.Load());

    private static double Score(string text, string? language = null) => Analyzer.Analyze(text, language).Sentiment.Score;

    private static string Label(string text, string? language = null) => Analyzer.Analyze(text, language).Sentiment.Label;

    [Theory]
    [InlineData("The service was good", "The service was not good", "en")]
    [InlineData("Der Service war gut", "Der Service war nicht gut", "de")]
    [InlineData("Das hilft", "Das hilft nicht", "de")]
    [InlineData("Das ist ein guter Service", "Das ist kein guter Service", "de")]
    [InlineData("The crew was friendly", "The crew was never friendly", "en")]
    public void Negation_TurnsPositiveNegative(string positive, string negated, string language)
    {
        Assert.True(Score(positive, language) > 0);
        Assert.True(Score(negated, language) < 0, $"{negated}: {Score(negated, language)}");
    }

    [Theory]
    [InlineData("not bad at all", "en")]
    [InlineData("nicht schlecht", "de")]
    public void Negation_OfANegativeWord_IsMildlyPositive(string text, string language) =>
        Assert.True(Score(text, language) > 0, $"{text}: {Score(text, language)}");

    [Theory]
    [InlineData("the agent was helpful", "the agent was very helpful", "the agent was slightly helpful", "en")]
    [InlineData("der Mitarbeiter war freundlich", "der Mitarbeiter war extrem freundlich", "der Mitarbeiter war etwas freundlich", "de")]
    [InlineData("der Zug war unpünktlich", "der Zug war sehr unpünktlich", "der Zug war kaum unpünktlich", "de")]
    public void Intensifiers_Strengthen_AndDampenersWeaken(string plain, string boosted, string dampened, string language)
    {
        Assert.True(Math.Abs(Score(boosted, language)) > Math.Abs(Score(plain, language)));
        Assert.True(Math.Abs(Score(dampened, language)) < Math.Abs(Score(plain, language)));
    }

    [Theory]
    [InlineData("The staff was friendly but the flight was delayed for hours", "negative", "en")]
    [InlineData("The flight was delayed but the staff was wonderful and helpful", "positive", "en")]
    [InlineData("Der Zug hatte Verspätung, aber das Personal war sehr freundlich und hilfsbereit", "positive", "de")]
    [InlineData("Das Personal war freundlich, jedoch fiel der Zug schon wieder aus", "negative", "de")]
    [InlineData("Schönes Wetter. Doch der Zug fällt aus", "negative", "de")]
    [InlineData("Heute fällt der Zug nach Köln schon wieder aus", "negative", "de")]
    public void Contrast_TheClauseAfterButWeighsMore(string text, string expected, string language) =>
        Assert.Equal(expected, Label(text, language));

    [Fact]
    public void Emoji_AndEmoticons_CarrySentiment()
    {
        Assert.Equal("positive", Label("landed 😊"));
        Assert.Equal("negative", Label("my flight 😡"));
        Assert.Equal("positive", Label("Danke 👍", "de"));
        Assert.Equal("negative", Label("the update :("));
        Assert.True(Score("the crew :)") > 0);
    }

    [Fact]
    public void Exclamation_AndCapitals_Intensify()
    {
        Assert.True(Score("the service was great!!!") > Score("the service was great"));
        Assert.True(Score("the service was GREAT and the food okay") > Score("the service was great and the food okay"));
    }

    [Theory]
    [InlineData("Zugausfall in Hannover", "de")]
    [InlineData("Servicewüste bei der Hotline", "de")]
    [InlineData("Die Stellwerksstörung legt alles lahm", "de")]
    [InlineData("Wieder Verspätungsalarm in der App", "de")]
    public void GermanCompounds_AreReadByTheirParts(string text, string language) =>
        Assert.Equal("negative", Label(text, language));

    [Theory]
    [InlineData("Verspätung", "Verspaetung")]
    [InlineData("Der Zug ist überfüllt", "Der Zug ist ueberfuellt")]
    [InlineData("Der Zug ist überfüllt", "DER ZUG IST ÜBERFÜLLT")]
    [InlineData("Die Straße ist gesperrt, eine Frechheit", "Die Strasse ist gesperrt, eine Frechheit")]
    public void UmlautAndEszettVariants_ReadTheSame(string written, string variant)
    {
        Assert.Equal("negative", Label(written, "de"));
        Assert.Equal(Label(written, "de"), Label(variant, "de"));
    }

    [Theory]
    [InlineData("still waiting for my refund", "en")]
    [InlineData("on hold for an hour", "en")]
    [InlineData("my flight got cancelled again", "en")]
    [InlineData("thanks for nothing", "en")]
    [InlineData("no one called back", "en")]
    [InlineData("thanks for the 3 hour delay", "en")]
    [InlineData("Verspätung in Köln", "de")]
    [InlineData("Das Internet ist schon wieder ausgefallen", "de")]
    [InlineData("Zug fällt aus", "de")]
    [InlineData("keine Rückmeldung von der Hotline", "de")]
    [InlineData("warte seit 40 Minuten", "de")]
    public void CustomerServiceLanguage_IsNegative(string text, string language) => Assert.Equal("negative", Label(text, language));

    [Theory]
    [InlineData("on hold for an hour", "en")]
    [InlineData("thanks for nothing", "en")]
    [InlineData("still waiting for my refund", "en")]
    [InlineData("Zug fällt aus", "de")]
    [InlineData("warte seit 40 Minuten", "de")]
    public void CustomerServiceLexicon_FindsComplaintsThePlainBaselineMisses(string text, string language)
    {
        Assert.NotEqual("negative", TextAnalyzer.BaselineSentiment(text, language).Label);
        Assert.Equal("negative", Label(text, language));
    }

    [Theory]
    [InlineData("can you help me change my flight?", "en")]
    [InlineData("what is the baggage allowance?", "en")]
    [InlineData("please send me the invoice", "en")]
    [InlineData("Wie kann ich meine Adresse ändern?", "de")]
    [InlineData("Ab Montag gilt der neue Fahrplan", "de")]
    public void QuestionsRequestsAndInformation_AreNeutral(string text, string language) =>
        Assert.Equal("neutral", Label(text, language));

    [Fact]
    public void Html_IsStripped_AndEntitiesDecoded()
    {
        var analysis = Analyzer.Analyze("<div class=\"x\"><p>The agent was <b>very helpful</b> &amp; quick</p><script>x</script></div>");
        Assert.Equal("en", analysis.Language);
        Assert.Equal("positive", analysis.Sentiment.Label);
        Assert.Equal(Score("The agent was very helpful & quick"), analysis.Sentiment.Score, 3);
        Assert.Equal("negative", Label("don&#39;t like it, it&#39;s not working"));
    }

    [Fact]
    public void HugeText_IsTruncatedAndFlagged_NotRefused()
    {
        var huge = string.Concat(Enumerable.Repeat("The delay was terrible. ", 2_000));
        var analysis = Analyzer.Analyze(huge);
        Assert.True(huge.Length > TextLimits.MaxLength);
        Assert.True(analysis.Truncated);
        Assert.Equal("negative", analysis.Sentiment.Label);
        Assert.False(Analyzer.Analyze("The delay was terrible.").Truncated);

        // A cut inside a surrogate pair does not break the analysis.
        var emoji = new string('a', TextLimits.MaxLength - 1) + "😡" + "tail";
        Assert.True(Analyzer.Analyze(emoji).Truncated);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t\n  ")]
    [InlineData("12345 678")]
    [InlineData("%%%###!!!???...")]
    [InlineData("\0\u0001\u0002\u0003\uFFFD\uFFFD\uD800")]
    public void EmptyOrGarbage_IsNeutralUndetermined(string? text)
    {
        var analysis = Analyzer.Analyze(text);
        Assert.Equal("und", analysis.Language);
        Assert.Equal("neutral", analysis.Sentiment.Label);
        Assert.Equal(0, analysis.Sentiment.Score);
        Assert.Empty(analysis.Themes);
    }

    [Fact]
    public void RandomBinary_NeverThrows_AndStaysInRange()
    {
        var random = new Random(5);
        for (var i = 0; i < 500; i++)
        {
            var chars = new char[random.Next(0, 3_000)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = (char)random.Next(0, 0xFFFF);
            }

            var analysis = Analyzer.Analyze(new string(chars), i % 3 == 0 ? "de" : null);
            Assert.InRange(analysis.Sentiment.Score, -1, 1);
            Assert.All(analysis.Emotions, e => Assert.InRange(e.Intensity, 0, 1));
            Assert.All(analysis.Themes, t => Assert.InRange(t.Sentiment, -1, 1));
        }
    }

    [Fact]
    public void Analyze_IsThreadSafe_SameResultsInParallel()
    {
        string[] texts = ["the technician was friendly but I waited three weeks", "Zugausfall und keine Rückmeldung", "thanks, all sorted 😊", "why is my bill wrong again?"];
        var expected = texts.Select(t => Analyzer.Analyze(t)).ToArray();
        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var actual = Analyzer.Analyze(texts[i % texts.Length]);
            var want = expected[i % texts.Length];
            Assert.Equal(want.Sentiment, actual.Sentiment);
            Assert.Equal(want.Themes, actual.Themes);
        });
    }
}
