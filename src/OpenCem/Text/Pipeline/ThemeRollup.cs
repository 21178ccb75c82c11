namespace OpenCem.Text.Pipeline;

/// <summary>A row key of <c>text_theme_daily</c>; the theme key "" holds all analysed items of the slice.</summary>
public readonly record struct ThemeRollupKey(long Day, string Kind, long SurveyId, long TouchpointId, string Theme);

/// <summary>
/// Additive counts of the analysed items of a slice: how many, their sentiment, and their NPS (0–10) and CSAT (1–5)
/// answers as counts, sums and sums of squares, so means, variances and NPS of any union of days follow exactly.
/// </summary>
public record struct ThemeTally(
    long Items, double SentimentSum, long Positive, long Negative,
    long NpsN, double NpsSum, double NpsSumSquares, long Promoters, long Detractors,
    long CsatN, double CsatSum, double CsatSumSquares, long CsatTopTwo)
{
    /// <summary>A theme's sentiment above this counts as positive, below its negative as negative (the usual ±0.05).</summary>
    public const double Neutral = 0.05;

    public void Add(double sentiment, int? nps, int? csat, int sign)
    {
        Items += sign;
        SentimentSum += sign * sentiment;
        Positive += sentiment > Neutral ? sign : 0;
        Negative += sentiment < -Neutral ? sign : 0;
        if (nps is { } n)
        {
            NpsN += sign;
            NpsSum += sign * n;
            NpsSumSquares += sign * (double)n * n;
            Promoters += n >= 9 ? sign : 0;
            Detractors += n <= 6 ? sign : 0;
        }

        if (csat is { } c)
        {
            CsatN += sign;
            CsatSum += sign * c;
            CsatSumSquares += sign * (double)c * c;
            CsatTopTwo += c >= 4 ? sign : 0;
        }
    }

    public void Add(ThemeTally other)
    {
        Items += other.Items;
        SentimentSum += other.SentimentSum;
        Positive += other.Positive;
        Negative += other.Negative;
        NpsN += other.NpsN;
        NpsSum += other.NpsSum;
        NpsSumSquares += other.NpsSumSquares;
        Promoters += other.Promoters;
        Detractors += other.Detractors;
        CsatN += other.CsatN;
        CsatSum += other.CsatSum;
        CsatSumSquares += other.CsatSumSquares;
        CsatTopTwo += other.CsatTopTwo;
    }

    /// <summary>This tally less another: the items of a slice without a theme are all items less those with it.</summary>
    public readonly ThemeTally Minus(ThemeTally other) => new(
        Items - other.Items, SentimentSum - other.SentimentSum, Positive - other.Positive, Negative - other.Negative,
        NpsN - other.NpsN, NpsSum - other.NpsSum, NpsSumSquares - other.NpsSumSquares, Promoters - other.Promoters, Detractors - other.Detractors,
        CsatN - other.CsatN, CsatSum - other.CsatSum, CsatSumSquares - other.CsatSumSquares, CsatTopTwo - other.CsatTopTwo);

    public readonly bool IsZero => this == default;
}

/// <summary>The facts of one stored analysis that the rollup counts (pure); <see cref="ItemId"/> names the item when read back.</summary>
public sealed record RollupFacts(
    string Kind, long Day, long SurveyId, long TouchpointId, double Sentiment, int? Nps, int? Csat, IReadOnlyList<ThemeMention> Themes)
{
    public long ItemId { get; init; }
}

/// <summary>Changes to <c>text_theme_daily</c>, gathered in memory per batch and written as one upsert per touched row.</summary>
public sealed class ThemeRollup
{
    public Dictionary<ThemeRollupKey, ThemeTally> Deltas { get; } = [];

    /// <summary>Counts an analysis in (<paramref name="sign"/> 1) or out (−1): once under "" and once under each distinct theme.</summary>
    public void Add(RollupFacts facts, int sign)
    {
        Add(new ThemeRollupKey(facts.Day, facts.Kind, facts.SurveyId, facts.TouchpointId, ""), facts.Sentiment, facts, sign);
        foreach (var theme in facts.Themes.DistinctBy(t => t.Key))
        {
            Add(new ThemeRollupKey(facts.Day, facts.Kind, facts.SurveyId, facts.TouchpointId, theme.Key), theme.Sentiment, facts, sign);
        }
    }

    private void Add(ThemeRollupKey key, double sentiment, RollupFacts facts, int sign)
    {
        var tally = Deltas.GetValueOrDefault(key);
        tally.Add(sentiment, facts.Nps, facts.Csat, sign);
        Deltas[key] = tally;
    }
}
