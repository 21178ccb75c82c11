using System.Data.Common;
using Dapper;
using OpenCem.Feedback.Metrics;

namespace OpenCem.Feedback.Responses;

/// <summary>The rollup key of a completed response: survey, UTC day, touchpoint, channel and language.</summary>
public readonly record struct SurveyDay(long WorkspaceId, long SurveyId, long Day, long TouchpointId, string Channel, string Language)
{
    public const long DayMilliseconds = 86_400_000;

    public static SurveyDay Of(long workspaceId, long surveyId, long submittedAt, long? touchpointId, string? channel, string? language) =>
        new(workspaceId, surveyId, submittedAt - (((submittedAt % DayMilliseconds) + DayMilliseconds) % DayMilliseconds), touchpointId ?? 0, channel ?? "", language ?? "");
}

/// <summary>
/// Keeps <c>survey_daily</c> (score counts per day and dimension) and <c>survey_stats</c> (invitation and response
/// counters) in step with the responses, in the same transaction that stores them: summaries read these, never
/// the responses.
/// </summary>
public static class SurveyRollup
{
    public static async Task AddAsync(DbConnection connection, DbTransaction transaction, IReadOnlyDictionary<SurveyDay, (long Responses, ScoreTally Tally)> deltas)
    {
        if (deltas.Count == 0)
        {
            return;
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO survey_daily (workspace_id, survey_id, day, touchpoint_id, channel, language, responses, nps_n, promoters, detractors,
                csat_n, csat_top_two, csat_sum, csat_sum_squares, ces_n, ces_sum, ces_sum_squares)
            VALUES (@WorkspaceId, @SurveyId, @Day, @TouchpointId, @Channel, @Language, @Responses, @NpsN, @Promoters, @Detractors,
                @CsatN, @CsatTopTwo, @CsatSum, @CsatSumSquares, @CesN, @CesSum, @CesSumSquares)
            ON CONFLICT (workspace_id, survey_id, day, touchpoint_id, channel, language) DO UPDATE SET
                responses = survey_daily.responses + excluded.responses, nps_n = survey_daily.nps_n + excluded.nps_n,
                promoters = survey_daily.promoters + excluded.promoters, detractors = survey_daily.detractors + excluded.detractors,
                csat_n = survey_daily.csat_n + excluded.csat_n, csat_top_two = survey_daily.csat_top_two + excluded.csat_top_two,
                csat_sum = survey_daily.csat_sum + excluded.csat_sum, csat_sum_squares = survey_daily.csat_sum_squares + excluded.csat_sum_squares,
                ces_n = survey_daily.ces_n + excluded.ces_n, ces_sum = survey_daily.ces_sum + excluded.ces_sum,
                ces_sum_squares = survey_daily.ces_sum_squares + excluded.ces_sum_squares
            """,
            deltas.Select(d => new
            {
                d.Key.WorkspaceId,
                d.Key.SurveyId,
                d.Key.Day,
                d.Key.TouchpointId,
                d.Key.Channel,
                d.Key.Language,
                d.Value.Responses,
                d.Value.Tally.NpsN,
                d.Value.Tally.Promoters,
                d.Value.Tally.Detractors,
                d.Value.Tally.CsatN,
                d.Value.Tally.CsatTopTwo,
                d.Value.Tally.CsatSum,
                d.Value.Tally.CsatSumSquares,
                d.Value.Tally.CesN,
                d.Value.Tally.CesSum,
                d.Value.Tally.CesSumSquares,
            }),
            transaction);
    }

    /// <summary>Adds to the survey's counters: invited, suppressed, completed (all), completedInvited, partial.</summary>
    public static async Task CountAsync(DbConnection connection, DbTransaction? transaction, IEnumerable<(long WorkspaceId, long SurveyId, string Name, long Delta)> counts) =>
        await connection.ExecuteAsync(
            """
            INSERT INTO survey_stats (workspace_id, survey_id, name, value) VALUES (@WorkspaceId, @SurveyId, @Name, @Delta)
            ON CONFLICT (workspace_id, survey_id, name) DO UPDATE SET value = survey_stats.value + excluded.value
            """,
            counts.GroupBy(c => (c.WorkspaceId, c.SurveyId, c.Name))
                .Select(g => new { g.Key.WorkspaceId, g.Key.SurveyId, g.Key.Name, Delta = g.Sum(c => c.Delta) })
                .Where(c => c.Delta != 0),
            transaction);

    /// <summary>Folds completed responses into per-day deltas.</summary>
    public static Dictionary<SurveyDay, (long Responses, ScoreTally Tally)> Deltas(IEnumerable<ResponseItem> completed)
    {
        var deltas = new Dictionary<SurveyDay, (long Responses, ScoreTally Tally)>();
        foreach (var item in completed)
        {
            Fold(deltas, item);
        }

        return deltas;
    }

    /// <summary>Folds one completed response into per-day deltas.</summary>
    public static void Fold(Dictionary<SurveyDay, (long Responses, ScoreTally Tally)> deltas, ResponseItem item)
    {
        var key = SurveyDay.Of(item.WorkspaceId, item.SurveyId, item.SubmittedAt, item.TouchpointId, item.Channel, item.Language);
        var (responses, tally) = deltas.GetValueOrDefault(key);
        tally.Add(item.Scores.Nps, item.Scores.Csat, item.Scores.Ces);
        deltas[key] = (responses + 1, tally);
    }
}
