using Dapper;
using OpenCem.Analytics.Metrics;
using OpenCem.Storage;

namespace OpenCem.Text.Insights;

/// <summary>One period of the sentiment trend: comments analysed, their mean sentiment (−1…1) and the positive and negative shares.</summary>
public sealed record SentimentPoint(long PeriodStart, long Items, double? Mean, double? PositiveShare, double? NegativeShare);

/// <summary>
/// Sentiment over time, of all comments or of one theme's, from <c>text_theme_daily</c> (the theme rollup; its row
/// with the empty theme key counts every analysed item): the cost is the days × surveys × touchpoints in the period.
/// </summary>
public sealed class SentimentTrend(Database database)
{
    public async Task<IReadOnlyList<SentimentPoint>> ReadAsync(
        long workspaceId, ThemeFilter filter, string? themeKey, MetricInterval interval, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DayRow>(new CommandDefinition(
            $"""
            SELECT day AS Day, sum(items) AS Items, sum(sentiment_sum) AS SentimentSum, sum(positive) AS Positive, sum(negative) AS Negative
            FROM text_theme_daily
            WHERE workspace_id = @workspaceId AND theme_key = @theme AND day >= @from AND day < @to
                {(filter.Kind is null ? "" : "AND item_kind = @Kind")}
                {(filter.SurveyId is null ? "" : "AND survey_id = @SurveyId")}
                {(filter.TouchpointId is null ? "" : "AND touchpoint_id = @TouchpointId")}
            GROUP BY day
            """,
            new
            {
                workspaceId,
                theme = themeKey ?? "",
                from = filter.From?.ToUnixTimeMilliseconds() ?? long.MinValue,
                to = filter.To?.ToUnixTimeMilliseconds() ?? long.MaxValue,
                filter.Kind,
                filter.SurveyId,
                filter.TouchpointId,
            },
            cancellationToken: cancellationToken));
        return Bucket(rows.Select(r => (r.Day, r.Items, r.SentimentSum, r.Positive, r.Negative)), interval);
    }

    /// <summary>Sums days into periods of <paramref name="interval"/>, oldest first. Pure.</summary>
    public static IReadOnlyList<SentimentPoint> Bucket(IEnumerable<(long Day, long Items, double SentimentSum, long Positive, long Negative)> days, MetricInterval interval) =>
        days.GroupBy(d => MetricPeriods.Start(interval, d.Day))
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var items = g.Sum(d => d.Items);
                return items == 0
                    ? new SentimentPoint(g.Key, 0, null, null, null)
                    : new SentimentPoint(
                        g.Key, items, Math.Round(g.Sum(d => d.SentimentSum) / items, 3),
                        Math.Round((double)g.Sum(d => d.Positive) / items, 4), Math.Round((double)g.Sum(d => d.Negative) / items, 4));
            })
            .ToList();

    private sealed class DayRow
    {
        public long Day { get; set; }

        public long Items { get; set; }

        public double SentimentSum { get; set; }

        public long Positive { get; set; }

        public long Negative { get; set; }
    }
}
