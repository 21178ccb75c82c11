using Dapper;
using OpenCem.Storage;
using OpenCem.Text.Pipeline;
using OpenCem.Text.Themes;

namespace OpenCem.Text.Insights;

/// <summary>Which analysed items the themes are counted over.</summary>
public sealed record ThemeFilter(DateTimeOffset? From, DateTimeOffset? To, long? SurveyId, long? TouchpointId, string? Kind);

/// <summary>The answer of <c>GET /api/v1/text/themes</c>.</summary>
public sealed record ThemesView(
    DateTimeOffset? From, DateTimeOffset? To, long? SurveyId, string? Touchpoint, string Kind, long Comments, ScoreGroup Nps, ScoreGroup Csat,
    string SortedBy, IReadOnlyList<ThemeInsight> Themes, IReadOnlyList<ThemeSuggestion> Suggested);

/// <summary>
/// Reads theme volumes, sentiment and NPS/CSAT impact from <c>text_theme_daily</c> only: the cost is the number of
/// days × surveys × touchpoints × themes in the period, never the number of comments.
/// </summary>
public sealed class ThemeInsights(Database database, TaxonomyStore taxonomy, ThemeSuggestions suggestions)
{
    public async Task<ThemesView> GetAsync(long workspaceId, ThemeFilter filter, string? touchpointKey, CancellationToken cancellationToken = default)
    {
        var themes = (await taxonomy.ListAsync(workspaceId, cancellationToken)).ToDictionary(t => t.Key, StringComparer.Ordinal);
        List<Row> rows;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            // Employee comments stay out: a theme's NPS over a few anonymous answers could single one out (see Organisation/Pulse).
            rows = (await connection.QueryAsync<Row>(
                $"""
                SELECT theme_key AS Theme, sum(items) AS Items, sum(sentiment_sum) AS SentimentSum, sum(positive) AS Positive, sum(negative) AS Negative,
                    sum(nps_n) AS NpsN, sum(nps_sum) AS NpsSum, sum(nps_sum_squares) AS NpsSumSquares, sum(promoters) AS Promoters, sum(detractors) AS Detractors,
                    sum(csat_n) AS CsatN, sum(csat_sum) AS CsatSum, sum(csat_sum_squares) AS CsatSumSquares, sum(csat_top_two) AS CsatTopTwo
                FROM text_theme_daily
                WHERE workspace_id = @workspaceId AND day >= @from AND day < @to
                    {(filter.Kind is null ? "" : "AND item_kind = @Kind")}
                    {(filter.SurveyId is null ? "" : "AND survey_id = @SurveyId")}
                    {(filter.TouchpointId is null ? "" : "AND touchpoint_id = @TouchpointId")}
                    AND NOT EXISTS (SELECT 1 FROM surveys s WHERE s.workspace_id = @workspaceId AND s.id = text_theme_daily.survey_id AND s.audience = 'employees')
                GROUP BY theme_key
                """,
                new
                {
                    workspaceId,
                    from = filter.From?.ToUnixTimeMilliseconds() ?? long.MinValue,
                    to = filter.To?.ToUnixTimeMilliseconds() ?? long.MaxValue,
                    filter.Kind,
                    filter.SurveyId,
                    filter.TouchpointId,
                })).ToList();
        }

        var all = rows.FirstOrDefault(r => r.Theme == "")?.Tally ?? default;
        var byNps = all.NpsN > 0;
        var insights = rows.Where(r => r.Theme != "" && r.Items > 0)
            .Select(r => themes.TryGetValue(r.Theme, out var theme)
                ? ThemeImpact.Of(r.Theme, theme.Names, theme.Parent, r.Tally, all)
                : ThemeImpact.Of(r.Theme, new Dictionary<string, string>(), null, r.Tally, all));
        return new ThemesView(
            filter.From, filter.To, filter.SurveyId, touchpointKey, filter.Kind ?? "all", all.Items, ThemeImpact.NpsGroup(all), ThemeImpact.CsatGroup(all),
            byNps ? "npsImpact" : "csatImpact", ThemeImpact.Sort(insights, byNps), await suggestions.ListAsync(workspaceId, cancellationToken));
    }

    /// <summary>Sums of the rollup columns; <c>sum</c> of BIGINT is NUMERIC on PostgreSQL, so every column is read as decimal-safe double or long.</summary>
    private sealed class Row
    {
        public string Theme { get; set; } = "";

        public long Items { get; set; }

        public double SentimentSum { get; set; }

        public long Positive { get; set; }

        public long Negative { get; set; }

        public long NpsN { get; set; }

        public double NpsSum { get; set; }

        public double NpsSumSquares { get; set; }

        public long Promoters { get; set; }

        public long Detractors { get; set; }

        public long CsatN { get; set; }

        public double CsatSum { get; set; }

        public double CsatSumSquares { get; set; }

        public long CsatTopTwo { get; set; }

        public ThemeTally Tally => new(Items, SentimentSum, Positive, Negative, NpsN, NpsSum, NpsSumSquares, Promoters, Detractors, CsatN, CsatSum, CsatSumSquares, CsatTopTwo);
    }
}
