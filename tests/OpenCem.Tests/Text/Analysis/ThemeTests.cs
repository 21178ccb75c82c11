using OpenCem.Demo;
using OpenCem.Text;
using OpenCem.Text.Analysis;

namespace OpenCem.Tests.Text.Analysis;

/// <summary>Theme keywords per language (prefixes, plurals, German compounds) and each theme's own clause sentiment.</summary>
public sealed class ThemeTests
{
    private static readonly TextAnalyzer Analyzer = new(DefaultTaxonomy.Load());

    private static Dictionary<string, double> Themes(string text, string? language = null) =>
        Analyzer.Analyze(text, language).Themes.ToDictionary(t => t.Key, t => t.Sentiment);

    [Fact]
    public void EachTheme_TakesTheSentimentOfItsOwnClause()
    {
        var themes = Themes("the technician was friendly but I waited three weeks");
        Assert.True(themes["technician-visit"] > 0);
        Assert.True(themes["waiting-time"] < 0);

        var german = Themes("Der Techniker war sehr freundlich, aber ich habe drei Wochen auf die Reparatur gewartet", "de");
        Assert.True(german["technician-visit"] > 0);
        Assert.True(german["waiting-time"] < 0);

        var billing = Themes("The app is great. My bill was wrong again.");
        Assert.True(billing["app-website"] > 0);
        Assert.True(billing["billing"] < 0);
    }

    [Theory]
    [InlineData("Zugausfall in Hannover", "punctuality", "de")]
    [InlineData("Der Reparaturtermin wurde verschoben", "technician-visit", "de")]
    [InlineData("Die Rechnungen stimmen nicht", "billing", "de")]
    [InlineData("Die Router-Einrichtung ist fehlgeschlagen", "product-quality", "de")]
    [InlineData("Warteschleife ohne Ende", "hold-time", "de")]
    [InlineData("Ich habe ewig gewartet", "waiting-time", "de")]
    [InlineData("two invoices in one month", "billing", "en")]
    [InlineData("the technicians were great", "technician-visit", "en")]
    [InlineData("I was on hold forever", "hold-time", "en")]
    [InlineData("the deliveries are always late", "delivery", "en")]
    public void Keywords_MatchPrefixesPluralsAndCompounds(string text, string theme, string language) =>
        Assert.Contains(theme, Themes(text, language).Keys);

    [Fact]
    public void DefaultTaxonomy_HasNamesInBothLanguages_AndValidParents()
    {
        var taxonomy = DefaultTaxonomy.Load();
        var keys = taxonomy.Themes.Select(t => t.Key).ToHashSet();
        Assert.Equal(taxonomy.Themes.Count, keys.Count);
        foreach (var key in (string[])["billing", "price", "network", "product-quality", "staff-friendliness", "competence", "waiting-time", "reachability",
            "technician-visit", "app-website", "contract", "delivery", "cancellation"])
        {
            Assert.Contains(key, keys);
        }

        Assert.All(taxonomy.Themes, t =>
        {
            Assert.False(string.IsNullOrWhiteSpace(t.Names["en"]));
            Assert.False(string.IsNullOrWhiteSpace(t.Names["de"]));
            Assert.NotEmpty(t.Keywords["en"]);
            Assert.NotEmpty(t.Keywords["de"]);
            Assert.True(t.Parent is null || keys.Contains(t.Parent), t.Key);
        });
    }

    [Fact]
    public void CustomTaxonomy_IsUsed_AndChangesTheVersion()
    {
        var taxonomy = new ThemeTaxonomy([new ThemeDefinition("legroom", null, new Dictionary<string, string> { ["en"] = "Legroom", ["de"] = "Beinfreiheit" },
            new Dictionary<string, IReadOnlyList<string>> { ["en"] = ["legroom", "knee*"], ["de"] = ["beinfreiheit"] })]);
        var analyzer = new TextAnalyzer(taxonomy);
        Assert.Equal(["legroom"], analyzer.Analyze("my knees hurt, no legroom at all").Themes.Select(t => t.Key));
        Assert.Equal(["legroom"], analyzer.Analyze("Kaum Beinfreiheit im ICE", "de").Themes.Select(t => t.Key));
        Assert.NotEqual(Analyzer.Version, analyzer.Version);
        Assert.Equal(analyzer.Version, new TextAnalyzer(taxonomy).Version);
    }

    [Theory]
    [InlineData(nameof(Theme.Waiting), "waiting-time")]
    [InlineData(nameof(Theme.HoldTime), "waiting-time")]
    [InlineData(nameof(Theme.Technician), "technician-visit")]
    [InlineData(nameof(Theme.Billing), "billing")]
    [InlineData(nameof(Theme.Price), "price")]
    [InlineData(nameof(Theme.App), "app-website")]
    [InlineData(nameof(Theme.Hotline), "customer-service")]
    public void DemoComplaints_AreFoundUnderTheirTheme_InBothLanguages(string themeName, string key)
    {
        var theme = Enum.Parse<Theme>(themeName);
        var random = new Random(11);
        foreach (var language in (string[])["en", "de"])
        {
            var clauses = Enumerable.Range(0, 60).Select(_ => DemoComments.Clause(random, new Mention(theme, false, 5), language == "de")).Distinct().ToList();
            var found = clauses.Count(c => Analyzer.Analyze(c, language).Themes.Any(t => Covers(t.Key, key)));
            Assert.True(found >= clauses.Count * 0.75, $"{theme} {language}: {found} of {clauses.Count}: " +
                string.Join(" | ", clauses.Where(c => !Analyzer.Analyze(c, language).Themes.Any(t => Covers(t.Key, key)))));
        }
    }

    [Fact]
    public void DemoWaitingComplaints_AreAllWaitingTime_AndNegative()
    {
        var random = new Random(3);
        foreach (var german in (bool[])[false, true])
        {
            for (var i = 0; i < 40; i++)
            {
                var text = DemoComments.Compose(random, german ? "de" : "en", new Mention(Theme.Waiting, false, 2 + (i % 12)), null, -2);
                var analysis = Analyzer.Analyze(text);
                Assert.Equal(german ? "de" : "en", analysis.Language);
                var waiting = Assert.Single(analysis.Themes, t => t.Key == "waiting-time");
                Assert.True(waiting.Sentiment < 0, text);
                Assert.True(analysis.Sentiment.Label == "negative", text);
            }
        }
    }

    /// <summary>A theme counts for its parent key too (hold time is waiting time, staff friendliness is customer service).</summary>
    private static bool Covers(string found, string key)
    {
        for (var theme = DefaultTaxonomy.Load().Themes.FirstOrDefault(t => t.Key == found); theme is not null;
            theme = DefaultTaxonomy.Load().Themes.FirstOrDefault(t => t.Key == theme.Parent))
        {
            if (theme.Key == key)
            {
                return true;
            }
        }

        return false;
    }
}
