using System.Text.Json.Serialization;
using OpenCem.Text.Pipeline;

namespace OpenCem.Text.Insights;

/// <summary>The scored comments of a group: how many, their mean score, and NPS (−100…100) or CSAT (% of 4–5).</summary>
public sealed record ScoreGroup(long N, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Mean, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Score);

/// <summary>
/// A score of comments with a theme against those without it: both groups, the difference of their means with a 95 %
/// Welch interval, and the impact — how many points the overall NPS (or CSAT) moves because of the theme (overall minus
/// without it; negative: the theme drags the score down).
/// </summary>
public sealed record ScoreImpact(
    ScoreGroup With, ScoreGroup Without, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] MeanDifference? Difference, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Impact);

public sealed record ThemeSentiment([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Mean, long Positive, long Negative);

/// <summary>One theme's volume, share of the analysed comments, sentiment, and effect on NPS and CSAT.</summary>
public sealed record ThemeInsight(
    string Key,
    IReadOnlyDictionary<string, string> Names,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Parent,
    long Volume,
    double Share,
    ThemeSentiment Sentiment,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ScoreImpact? Nps,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ScoreImpact? Csat);

/// <summary>Computes a theme's insight from the rollup's tallies (pure).</summary>
public static class ThemeImpact
{
    public static ThemeInsight Of(string key, IReadOnlyDictionary<string, string> names, string? parent, ThemeTally with, ThemeTally all)
    {
        var without = all.Minus(with);
        return new ThemeInsight(
            key,
            names,
            parent,
            with.Items,
            all.Items == 0 ? 0 : Math.Round((double)with.Items / all.Items, 4),
            new ThemeSentiment(with.Items == 0 ? null : Math.Round(with.SentimentSum / with.Items, 3), with.Positive, with.Negative),
            with.NpsN == 0 ? null : Impact(NpsGroup(with), NpsGroup(without), NpsGroup(all),
                Welch.Difference(with.NpsN, with.NpsSum, with.NpsSumSquares, without.NpsN, without.NpsSum, without.NpsSumSquares)),
            with.CsatN == 0 ? null : Impact(CsatGroup(with), CsatGroup(without), CsatGroup(all),
                Welch.Difference(with.CsatN, with.CsatSum, with.CsatSumSquares, without.CsatN, without.CsatSum, without.CsatSumSquares)));
    }

    /// <summary>NPS = %promoters − %detractors, with the mean 0–10 score.</summary>
    public static ScoreGroup NpsGroup(ThemeTally tally) => tally.NpsN == 0
        ? new ScoreGroup(0, null, null)
        : new ScoreGroup(tally.NpsN, Round(tally.NpsSum / tally.NpsN), Round(100.0 * (tally.Promoters - tally.Detractors) / tally.NpsN));

    /// <summary>CSAT = % of answers 4–5, with the mean 1–5 score.</summary>
    public static ScoreGroup CsatGroup(ThemeTally tally) => tally.CsatN == 0
        ? new ScoreGroup(0, null, null)
        : new ScoreGroup(tally.CsatN, Round(tally.CsatSum / tally.CsatN), Round(100.0 * tally.CsatTopTwo / tally.CsatN));

    /// <summary>Themes that cost the most first: by NPS impact, or by CSAT impact when no comment carries an NPS answer.</summary>
    public static IReadOnlyList<ThemeInsight> Sort(IEnumerable<ThemeInsight> themes, bool byNps) => themes
        .OrderBy(t => (byNps ? t.Nps?.Impact : t.Csat?.Impact) is null ? 1 : 0)
        .ThenBy(t => byNps ? t.Nps?.Impact : t.Csat?.Impact)
        .ThenByDescending(t => t.Volume)
        .ThenBy(t => t.Key, StringComparer.Ordinal)
        .ToList();

    private static ScoreImpact Impact(ScoreGroup with, ScoreGroup without, ScoreGroup all, MeanDifference? difference) => new(
        with,
        without,
        difference is null ? null : difference with
        {
            Value = Round(difference.Value),
            CiLow = Round(difference.CiLow),
            CiHigh = Round(difference.CiHigh),
            DegreesOfFreedom = Math.Round(difference.DegreesOfFreedom, 1),
        },
        all.Score is { } overall && without.Score is { } rest ? Round(overall - rest) : null);

    private static double Round(double value) => Math.Round(value, 2);
}
