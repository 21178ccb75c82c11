using OpenCem.Text.Analysis;

namespace OpenCem.Tests.Text.Analysis;

/// <summary>
/// The German rules for public feedback about a railway or telecom company: whose voice a text is (a traveller,
/// a news report, an advertisement), services that fail when negated, concession, sarcastic thanks in a sentence of
/// their own, and the scanner and compound fixes that came with them.
/// </summary>
public sealed class GermanStanceTests
{
    private static readonly TextAnalyzer Analyzer = new(DefaultTaxonomy.Load());

    private static double Score(string text) => Analyzer.Analyze(text, "de").Sentiment.Score;

    private static string Label(string text) => Analyzer.Analyze(text, "de").Sentiment.Label;

    [Theory]
    [InlineData("Stellwerksstörung in Hamburg: Zahlreiche Verspätungen im Fernverkehr", "Zahlreiche Verspätungen im Fernverkehr wegen Stellwerksstörung, ich komme zu spät")]
    [InlineData("Laut Bahn fallen am Abend mehrere Züge aus", "Am Abend fallen mehrere Züge aus und ich stehe am Bahnsteig")]
    [InlineData("Reisende werden gebeten, wegen der Störung auf die S-Bahn auszuweichen", "Wegen der Störung muss ich auf die S-Bahn ausweichen")]
    public void Reports_NameEventsWithoutComplaining(string report, string complaint)
    {
        Assert.Equal("neutral", Label(report));
        Assert.Equal("negative", Label(complaint));
        Assert.True(Score(report) > Score(complaint));
    }

    [Fact]
    public void Reports_WithAJudgingWord_StayTheAuthorsOpinion() =>
        Assert.Equal("negative", Label("Stellwerksstörung in Hamburg: eine Frechheit, jeden Tag das gleiche Chaos"));

    [Theory]
    [InlineData("Weiß jemand, ob der ICE nach Berlin heute trotz Streik fährt?")]
    [InlineData("Bekomme ich eine Erstattung, wenn der Zug mehr als 60 Minuten Verspätung hat?")]
    public void InformationQuestions_AboutEvents_AreNeutral(string text) => Assert.Equal("neutral", Label(text));

    [Theory]
    [InlineData("Warum hat der Zug schon wieder Verspätung?")]
    [InlineData("Und warum ist der Zug jetzt schon wieder weg?")]
    public void WhyQuestions_AreComplaints(string text) => Assert.Equal("negative", Label(text));

    [Fact]
    public void Advertising_PraiseIsTheSellers()
    {
        Assert.Equal("neutral", Label("Jetzt Super Sparpreis sichern und günstig ans Meer fahren"));
        Assert.Equal("positive", Label("Super, ich bin günstig und bequem ans Meer gefahren"));
    }

    [Theory]
    [InlineData("Im ICE gibt es WLAN", "Im ICE gibt es kein WLAN")]
    [InlineData("Der Techniker ist gekommen", "Der Techniker ist nicht gekommen")]
    [InlineData("Das WLAN im Zug geht", "Das WLAN im Zug geht mal wieder nicht")]
    public void Services_FailWhenNegated(string plain, string negated)
    {
        Assert.Equal("neutral", Label(plain));
        Assert.Equal("negative", Label(negated));
    }

    [Fact]
    public void Trotz_TheTroubleWasOvercome()
    {
        Assert.Equal("positive", Label("Trotz Streik bin ich gut angekommen, danke an alle, die heute arbeiten!"));
        Assert.True(Score("Trotz Verspätung den Anschluss erreicht") > Score("Verspätung, den Anschluss erreicht"));
    }

    [Theory]
    [InlineData("Danke, Deutsche Bahn. Wieder 40 Minuten zu spät")]
    [InlineData("Vielen Dank auch, liebe Bahn. Wieder zu spät zum Termin")]
    [InlineData("Danke Deutsche Bahn für 50 Minuten Verspätung an einem Montagmorgen")]
    public void SarcasticThanks_AreNegative(string text) => Assert.Equal("negative", Label(text));

    [Fact]
    public void SincereThanks_BeforeAnotherTopic_StayPositive() =>
        Assert.Equal("positive", Label("Vielen Dank an das Team im ICE, super freundlich! Morgen fahre ich weiter nach Wien."));

    [Fact]
    public void Emoji_IsNotNegatedByANichtBeforeIt() =>
        Assert.Equal("negative", Label("Der Techniker hat den Termin zum zweiten Mal nicht eingehalten 😡"));

    [Theory]
    [InlineData("In der 1. Klasse war es ruhig")]
    [InlineData("Ich fahre in der zweiten Klasse nach Hamburg")]
    [InlineData("Bahn bestellt 100 neue Regionalzüge bei Siemens")]
    [InlineData("Gute Fahrt und schönes Wochenende")]
    [InlineData("Hallo Anna, das tut uns leid. Wir schauen uns das an. Viele Grüße")]
    public void RailwayWords_ThatAreNotPraise_StayNeutral(string text) => Assert.Equal("neutral", Label(text));

    [Fact]
    public void LongNewsText_IsReadAsTheMeanOfItsSentences()
    {
        var article = "Die Bahn hat am Donnerstag ihre Bilanz vorgelegt. Der Umsatz stieg, unter dem Strich blieb ein Verlust. "
            + "Als Gründe nannte der Vorstand hohe Energiepreise und die Folgen der Streiks. Die Pünktlichkeit lag unter dem Ziel. "
            + "Für das laufende Jahr erwartet der Konzern eine leichte Verbesserung. Der Bund hat zusätzliche Mittel zugesagt.";
        Assert.Equal("neutral", Label(article));
    }
}
