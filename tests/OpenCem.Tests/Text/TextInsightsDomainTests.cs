using OpenCem.Analytics.Statistics;
using OpenCem.Text;
using OpenCem.Text.Insights;
using OpenCem.Text.Pipeline;
using OpenCem.Text.Themes;

namespace OpenCem.Tests.Text;

/// <summary>The pure parts: Welch's interval, the theme rollup's arithmetic, the taxonomy's rules and the phrase miner.</summary>
public sealed class TextInsightsDomainTests
{
    [Theory]
    [InlineData(1, 12.7062047)]
    [InlineData(2, 4.3026527)]
    [InlineData(4, 2.7764451)]
    [InlineData(10, 2.2281389)]
    [InlineData(30, 2.0422725)]
    [InlineData(1000, 1.9623391)]
    public void TQuantile_MatchesTheTTable(double df, double expected) =>
        Assert.Equal(expected, StudentT.Quantile(0.975, df), 5);

    [Fact]
    public void Welch_UnequalGroups_GivesTheWelchSatterthwaiteInterval()
    {
        // Group 1: 1, 2, 3, 4 (mean 2.5, variance 5/3); group 2: 6, 8 (mean 7, variance 2).
        var difference = Welch.Difference(4, 10, 30, 2, 14, 100)!;
        var v1 = 5.0 / 3 / 4;
        var v2 = 2.0 / 2;
        var df = Math.Pow(v1 + v2, 2) / ((v1 * v1 / 3) + (v2 * v2 / 1));
        Assert.Equal(-4.5, difference.Value, 10);
        Assert.Equal(df, difference.DegreesOfFreedom, 10);
        Assert.Equal(-4.5 - (StudentT.Quantile(0.975, df) * Math.Sqrt(v1 + v2)), difference.CiLow, 10);
        Assert.Null(Welch.Difference(1, 5, 25, 10, 50, 260));
    }

    [Fact]
    public void ThemeImpact_WithoutIsAllLessWith_AndImpactIsPointsOfTheOverallScore()
    {
        var all = default(ThemeTally);
        var with = default(ThemeTally);
        foreach (var (nps, waiting) in new[] { (2, true), (4, true), (6, true), (6, false), (8, false), (10, false) })
        {
            all.Add(0, nps, null, 1);
            if (waiting)
            {
                with.Add(-0.5, nps, null, 1);
            }
        }

        var insight = ThemeImpact.Of("waiting-time", new Dictionary<string, string>(), null, with, all);
        Assert.Equal(3, insight.Volume);
        Assert.Equal(0.5, insight.Share);
        Assert.Equal(-0.5, insight.Sentiment.Mean);
        Assert.Equal(3, insight.Sentiment.Negative);
        Assert.Equal(-100, insight.Nps!.With.Score);
        Assert.Equal(0, insight.Nps.Without.Score);
        Assert.Equal(-50, insight.Nps.Impact);
        Assert.Null(insight.Csat);
    }

    [Fact]
    public void ThemeRollup_CountingInAndOut_LeavesNothing()
    {
        var rollup = new ThemeRollup();
        var facts = new RollupFacts("response", 0, 1, 2, 0.4, 9, 5, [new ThemeMention("price", 0.6), new ThemeMention("price", 0.6), new ThemeMention("billing", -0.2)]);
        rollup.Add(facts, 1);
        Assert.Equal(3, rollup.Deltas.Count);
        Assert.Equal(1, rollup.Deltas[new ThemeRollupKey(0, "response", 1, 2, "price")].Items);
        Assert.Equal(1, rollup.Deltas[new ThemeRollupKey(0, "response", 1, 2, "billing")].Negative);
        rollup.Add(facts, -1);
        Assert.All(rollup.Deltas.Values, tally => Assert.True(tally.IsZero));
    }

    [Fact]
    public void TaxonomyRules_RefuseDuplicatesUnknownParentsCyclesAndOrphans()
    {
        var themes = TaxonomySeed.Themes;
        var staff = themes.Single(t => t.Key == "customer-service");
        Assert.Equal("key", TaxonomyRules.CheckSave(themes, staff, create: true)!.Field);
        Assert.Null(TaxonomyRules.CheckSave(themes, staff, create: false));
        Assert.Equal("parent", TaxonomyRules.CheckSave(themes, staff with { Parent = "nowhere" }, create: false)!.Field);
        Assert.Equal("parent", TaxonomyRules.CheckSave(themes, staff with { Parent = "competence" }, create: false)!.Field);
        Assert.Null(TaxonomyRules.CheckSave(themes, staff with { Parent = "billing" }, create: false));
        Assert.Equal(409, TaxonomyRules.CheckDelete(themes, "customer-service")!.Status);
        Assert.Null(TaxonomyRules.CheckDelete(themes, "competence"));
    }

    [Fact]
    public void PhraseMiner_FindsFrequentPhrasesPerComment_PrefersTheLongerOne()
    {
        var comments = new (long, string, string)[]
        {
            (1, "The <b>router keeps rebooting</b> at night", "en"),
            (2, "router keeps rebooting router keeps rebooting", "en"),
            (3, "Again: my router keeps rebooting!!", "en"),
            (4, "the the the of and", "en"),
            (5, "Straßenbau vor der Tür, Straßenbau überall", "de"),
            (6, "Straßenbau nervt", "de"),
            (7, "Wieder Straßenbau", "de"),
        };
        var phrases = PhraseMiner.Mine(comments);
        var router = phrases.Single(p => p.Phrase == "router keeps rebooting");
        Assert.Equal(3, router.Count);
        Assert.Equal([1, 2, 3], router.Examples);
        Assert.DoesNotContain(phrases, p => p.Phrase is "keeps rebooting" or "rebooting" or "the");
        Assert.Equal(3, phrases.Single(p => p.Phrase == "straßenbau" && p.Language == "de").Count);
        Assert.DoesNotContain(phrases, p => p.Phrase.Contains('<', StringComparison.Ordinal) || p.Phrase.Contains('b', StringComparison.Ordinal) && p.Phrase.Length == 1);
    }
}
