using System.Data.Common;
using Dapper;

namespace OpenCem.Text.Pipeline;

/// <summary>
/// Writes <c>text_theme_daily</c>: adds a batch's deltas (one upsert per touched row), and rebuilds a workspace's rows
/// from the stored analyses, which must give the same numbers.
/// </summary>
public static class ThemeRollupStore
{
    /// <summary><see cref="ThemeTally.Neutral"/> as SQL, written out so no culture can format it.</summary>
    private const string NeutralSql = "0.05";

    private const string Columns =
        "items, sentiment_sum, positive, negative, nps_n, nps_sum, nps_sum_squares, promoters, detractors, csat_n, csat_sum, csat_sum_squares, csat_top_two";

    private const string OnConflict =
        """
        ON CONFLICT (workspace_id, day, item_kind, survey_id, touchpoint_id, theme_key) DO UPDATE SET
            items = text_theme_daily.items + excluded.items, sentiment_sum = text_theme_daily.sentiment_sum + excluded.sentiment_sum,
            positive = text_theme_daily.positive + excluded.positive, negative = text_theme_daily.negative + excluded.negative,
            nps_n = text_theme_daily.nps_n + excluded.nps_n, nps_sum = text_theme_daily.nps_sum + excluded.nps_sum,
            nps_sum_squares = text_theme_daily.nps_sum_squares + excluded.nps_sum_squares, promoters = text_theme_daily.promoters + excluded.promoters,
            detractors = text_theme_daily.detractors + excluded.detractors, csat_n = text_theme_daily.csat_n + excluded.csat_n,
            csat_sum = text_theme_daily.csat_sum + excluded.csat_sum, csat_sum_squares = text_theme_daily.csat_sum_squares + excluded.csat_sum_squares,
            csat_top_two = text_theme_daily.csat_top_two + excluded.csat_top_two
        """;

    /// <param name="removals">Whether items were counted out, so rows may have dropped to nothing and are deleted.</param>
    public static async Task ApplyAsync(DbConnection connection, DbTransaction transaction, long workspaceId, ThemeRollup rollup, bool removals)
    {
        var rows = rollup.Deltas.Where(d => !d.Value.IsZero).ToList();
        if (rows.Count > 0)
        {
            if (connection is Npgsql.NpgsqlConnection)
            {
                await connection.ExecuteAsync(
                    $"""
                    INSERT INTO text_theme_daily (workspace_id, day, item_kind, survey_id, touchpoint_id, theme_key, {Columns})
                    SELECT @workspaceId, u.* FROM unnest(@days, @kinds, @surveys, @touchpoints, @themes, @items, @sentiment, @positive, @negative,
                        @npsN, @npsSum, @npsSquares, @promoters, @detractors, @csatN, @csatSum, @csatSquares, @csatTopTwo) AS u
                    {OnConflict}
                    """,
                    new
                    {
                        workspaceId,
                        days = rows.Select(r => r.Key.Day).ToArray(),
                        kinds = rows.Select(r => r.Key.Kind).ToArray(),
                        surveys = rows.Select(r => r.Key.SurveyId).ToArray(),
                        touchpoints = rows.Select(r => r.Key.TouchpointId).ToArray(),
                        themes = rows.Select(r => r.Key.Theme).ToArray(),
                        items = rows.Select(r => r.Value.Items).ToArray(),
                        sentiment = rows.Select(r => r.Value.SentimentSum).ToArray(),
                        positive = rows.Select(r => r.Value.Positive).ToArray(),
                        negative = rows.Select(r => r.Value.Negative).ToArray(),
                        npsN = rows.Select(r => r.Value.NpsN).ToArray(),
                        npsSum = rows.Select(r => r.Value.NpsSum).ToArray(),
                        npsSquares = rows.Select(r => r.Value.NpsSumSquares).ToArray(),
                        promoters = rows.Select(r => r.Value.Promoters).ToArray(),
                        detractors = rows.Select(r => r.Value.Detractors).ToArray(),
                        csatN = rows.Select(r => r.Value.CsatN).ToArray(),
                        csatSum = rows.Select(r => r.Value.CsatSum).ToArray(),
                        csatSquares = rows.Select(r => r.Value.CsatSumSquares).ToArray(),
                        csatTopTwo = rows.Select(r => r.Value.CsatTopTwo).ToArray(),
                    },
                    transaction);
            }
            else
            {
                await connection.ExecuteAsync(
                    $"""
                    INSERT INTO text_theme_daily (workspace_id, day, item_kind, survey_id, touchpoint_id, theme_key, {Columns})
                    VALUES (@workspaceId, @Day, @Kind, @SurveyId, @TouchpointId, @Theme, @Items, @SentimentSum, @Positive, @Negative,
                        @NpsN, @NpsSum, @NpsSumSquares, @Promoters, @Detractors, @CsatN, @CsatSum, @CsatSumSquares, @CsatTopTwo)
                    {OnConflict}
                    """,
                    rows.Select(r => new
                    {
                        workspaceId,
                        r.Key.Day,
                        r.Key.Kind,
                        r.Key.SurveyId,
                        r.Key.TouchpointId,
                        r.Key.Theme,
                        r.Value.Items,
                        r.Value.SentimentSum,
                        r.Value.Positive,
                        r.Value.Negative,
                        r.Value.NpsN,
                        r.Value.NpsSum,
                        r.Value.NpsSumSquares,
                        r.Value.Promoters,
                        r.Value.Detractors,
                        r.Value.CsatN,
                        r.Value.CsatSum,
                        r.Value.CsatSumSquares,
                        r.Value.CsatTopTwo,
                    }),
                    transaction);
            }
        }

        if (removals)
        {
            await connection.ExecuteAsync("DELETE FROM text_theme_daily WHERE workspace_id = @workspaceId AND items = 0", new { workspaceId }, transaction);
        }
    }

    /// <summary>Recounts a workspace's rollup from its stored analyses and mentions (after a reanalysis, or to check the increments).</summary>
    public static async Task RebuildAsync(DbConnection connection, DbTransaction transaction, long workspaceId)
    {
        var args = new { workspaceId };
        await connection.ExecuteAsync("DELETE FROM text_theme_daily WHERE workspace_id = @workspaceId", args, transaction);
        const string Scores =
            """
            count(a.nps), coalesce(sum(a.nps), 0), coalesce(sum(a.nps * a.nps), 0),
            sum(CASE WHEN a.nps >= 9 THEN 1 ELSE 0 END), sum(CASE WHEN a.nps <= 6 THEN 1 ELSE 0 END),
            count(a.csat), coalesce(sum(a.csat), 0), coalesce(sum(a.csat * a.csat), 0), sum(CASE WHEN a.csat >= 4 THEN 1 ELSE 0 END)
            """;
        await connection.ExecuteAsync(
            $"""
            INSERT INTO text_theme_daily (workspace_id, day, item_kind, survey_id, touchpoint_id, theme_key, {Columns})
            SELECT a.workspace_id, a.day, a.item_kind, a.survey_id, a.touchpoint_id, '', count(*), sum(a.sentiment),
                sum(CASE WHEN a.sentiment > {NeutralSql} THEN 1 ELSE 0 END), sum(CASE WHEN a.sentiment < -{NeutralSql} THEN 1 ELSE 0 END),
                {Scores}
            FROM text_analyses a WHERE a.workspace_id = @workspaceId
            GROUP BY a.workspace_id, a.day, a.item_kind, a.survey_id, a.touchpoint_id
            """,
            args, transaction);
        await connection.ExecuteAsync(
            $"""
            INSERT INTO text_theme_daily (workspace_id, day, item_kind, survey_id, touchpoint_id, theme_key, {Columns})
            SELECT a.workspace_id, a.day, a.item_kind, a.survey_id, a.touchpoint_id, m.theme_key, count(*), sum(m.sentiment),
                sum(CASE WHEN m.sentiment > {NeutralSql} THEN 1 ELSE 0 END), sum(CASE WHEN m.sentiment < -{NeutralSql} THEN 1 ELSE 0 END),
                {Scores}
            FROM text_theme_mentions m JOIN text_analyses a
                ON a.workspace_id = m.workspace_id AND a.item_kind = m.item_kind AND a.item_id = m.item_id
            WHERE m.workspace_id = @workspaceId
            GROUP BY a.workspace_id, a.day, a.item_kind, a.survey_id, a.touchpoint_id, m.theme_key
            """,
            args, transaction);
    }
}
