using OpenCem.Text.Analysis;

namespace OpenCem.Tests.Text.Analysis;

public sealed class LanguageDetectionTests
{
    private static readonly TextAnalyzer Analyzer = new(DefaultTaxonomy.Load());

    [Theory]
    [InlineData("My flight was delayed and nobody told us why", "en")]
    [InlineData("thanks!", "en")]
    [InlineData("Der Zug ist schon wieder zu spät", "de")]
    [InlineData("Danke!", "de")]
    [InlineData("Grüße aus München", "de")]
    [InlineData("Ich bin so happy mit dem neuen Tarif, aber die App ist nicht gut", "de")]
    [InlineData("The app is great, but the Rechnung was wrong and I had to call twice", "en")]
    [InlineData("😡😡😡", "und")]
    [InlineData("42", "und")]
    public void Detect_PicksTheDominantLanguage(string text, string expected) => Assert.Equal(expected, Analyzer.Analyze(text).Language);

    [Fact]
    public void GivenLanguage_IsUsed_AutoDetects()
    {
        Assert.Equal("de", Analyzer.Analyze("super", "de").Language);
        Assert.Equal("en", Analyzer.Analyze("Der Zug ist spät", "en").Language);
        Assert.Equal("de", Analyzer.Analyze("Der Zug ist spät", "auto").Language);
        Assert.Equal("de", Analyzer.Analyze("Der Zug ist spät", "fr").Language);
    }
}
