using System.Text.Json.Serialization;
using Dapper;
using OpenCem.Feedback.Metrics;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;

namespace OpenCem.Feedback.Responses;

public sealed record NpsSummary(double Value, double CiLow, double CiHigh, long N, long Promoters, long Passives, long Detractors);

public sealed record CsatSummary(double Value, double CiLow, double CiHigh, long N, double Mean, double MeanCiLow, double MeanCiHigh);

public sealed record CesSummary(double Value, double CiLow, double CiHigh, long N);

/// <summary>
/// A survey's results: responses, invitations answered, response rate (always present; null without personal invitations),
/// and each metric its roles define, with 95 % intervals. For an employee survey <see cref="Anonymity"/> says whether the
/// period's result is shown; suppressed, n and the scores are null.
/// </summary>
public sealed record SurveySummaryView(
    long SurveyId, long? N, long Invited, long Suppressed, long Answered, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? ResponseRate, NpsSummary? Nps, NpsSummary? Enps, CsatSummary? Csat, CesSummary? Ces,
    DateTimeOffset? From, DateTimeOffset? To, SummaryAnonymity? Anonymity = null);

/// <summary>How an employee survey's summary was protected: the minimum group, and whether this period's result is withheld (and why).</summary>
public sealed record SummaryAnonymity(int MinimumGroup, bool Suppressed, string? Period, string? Reason);

/// <summary>Reads summaries from the rollups: the cost is the number of days in the period, not the number of responses.</summary>
public sealed class SurveySummary(Database database)
{
    public async Task<SurveySummaryView> GetAsync(StoredSurvey survey, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var args = new { ws = survey.WorkspaceId, survey = survey.Id, from = from?.ToUnixTimeMilliseconds() ?? long.MinValue, to = to?.ToUnixTimeMilliseconds() ?? long.MaxValue };
        var row = await connection.QuerySingleAsync<Totals>(
            """
            SELECT coalesce(sum(responses), 0) AS Responses, coalesce(sum(nps_n), 0) AS NpsN, coalesce(sum(promoters), 0) AS Promoters,
                coalesce(sum(detractors), 0) AS Detractors, coalesce(sum(csat_n), 0) AS CsatN, coalesce(sum(csat_top_two), 0) AS CsatTopTwo,
                coalesce(sum(csat_sum), 0) AS CsatSum, coalesce(sum(csat_sum_squares), 0) AS CsatSumSquares, coalesce(sum(ces_n), 0) AS CesN,
                coalesce(sum(ces_sum), 0) AS CesSum, coalesce(sum(ces_sum_squares), 0) AS CesSumSquares
            FROM survey_daily WHERE workspace_id = @ws AND survey_id = @survey AND day >= @from AND day < @to
            """,
            args);
        var stats = (await connection.QueryAsync<(string Name, long Value)>(
            "SELECT name, value FROM survey_stats WHERE workspace_id = @ws AND survey_id = @survey", args)).ToDictionary(s => s.Name, s => s.Value);
        var tally = new ScoreTally(row.NpsN, row.Promoters, row.Detractors, row.CsatN, row.CsatTopTwo, row.CsatSum, row.CsatSumSquares, row.CesN, row.CesSum, row.CesSumSquares);
        var roles = survey.Definition.MetricRoles.ToHashSet();
        var invited = stats.GetValueOrDefault(SurveyStats.Invited);
        var nps = roles.Contains(QuestionRole.Nps) && tally.Nps is { } n
            ? new NpsSummary(n.Value, n.CiLow, n.CiHigh, n.N, tally.Promoters, tally.NpsN - tally.Promoters - tally.Detractors, tally.Detractors)
            : null;
        var employees = survey.Definition.Audience == SurveyAudience.Employees;
        return new SurveySummaryView(
            survey.Id,
            row.Responses,
            invited,
            stats.GetValueOrDefault(SurveyStats.Suppressed),
            stats.GetValueOrDefault(SurveyStats.CompletedInvited),
            invited > 0 ? Math.Round((double)stats.GetValueOrDefault(SurveyStats.CompletedInvited) / invited, 4) : null,
            nps,
            employees ? nps : null,
            roles.Contains(QuestionRole.Csat) && tally.Csat is { } c && tally.CsatMean is { } m ? new CsatSummary(c.Value, c.CiLow, c.CiHigh, c.N, m.Value, m.CiLow, m.CiHigh) : null,
            roles.Contains(QuestionRole.Ces) && tally.Ces is { } e ? new CesSummary(e.Value, e.CiLow, e.CiHigh, e.N) : null,
            from,
            to);
    }

    private sealed class Totals
    {
        public long Responses { get; set; }

        public long NpsN { get; set; }

        public long Promoters { get; set; }

        public long Detractors { get; set; }

        public long CsatN { get; set; }

        public long CsatTopTwo { get; set; }

        public double CsatSum { get; set; }

        public double CsatSumSquares { get; set; }

        public long CesN { get; set; }

        public double CesSum { get; set; }

        public double CesSumSquares { get; set; }
    }
}
