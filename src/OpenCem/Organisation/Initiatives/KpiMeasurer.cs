using System.Data.Common;
using Dapper;
using OpenCem.Analytics.Metrics;
using OpenCem.Feedback.Surveys;
using OpenCem.Interactions;
using OpenCem.Organisation.Pulse;
using OpenCem.Storage;

namespace OpenCem.Organisation.Initiatives;

/// <summary>A KPI's samples over the before and after windows, for its own scope and for the comparison.</summary>
public sealed record KpiReadings(EffectSample? Before, EffectSample? After, EffectSample? ComparisonBefore, EffectSample? ComparisonAfter, string? Note);

/// <summary>
/// Reads a KPI's numbers over windows from what the platform already keeps: survey KPIs from the metrics rollup by
/// day and touchpoint (<c>metric_daily_touchpoints</c>, the same additive counts the metrics endpoint sums, so no
/// response is read), eNPS from the employee pulse under its anonymity policy (a group it does not show counts as no
/// data), SLA attainment from the cases opened in the window whose SLA is decided (closed,
/// or breached while open).
/// </summary>
public sealed class KpiMeasurer(Database database, CatalogueStore catalogue, MetricsReader metrics, PulseStore pulse, PulseSettingsStore pulseSettings)
{
    /// <summary>A measurer outside the server (the demo, the CLI): the metrics and pulse readers on one database, the default pulse minimum unless the workspace sets one.</summary>
    public static KpiMeasurer Create(Database database, TimeProvider time)
    {
        var catalogue = new CatalogueStore(database, time);
        return new KpiMeasurer(
            database, catalogue, new MetricsReader(database, catalogue, new MetricsSettingsStore(database)), new PulseStore(database, time),
            new PulseSettingsStore(database, new PulseOptions()));
    }

    public async Task<long> MinimumNAsync(long workspaceId, CancellationToken cancellationToken) =>
        (await metrics.SettingsAsync(workspaceId, cancellationToken)).MinimumN;

    public async Task<KpiReadings> ReadAsync(long workspaceId, InitiativeKpi kpi, EffectWindow before, EffectWindow after, CancellationToken cancellationToken)
    {
        if (kpi.Kind == KpiKinds.Enps)
        {
            var (b, cb, noteBefore) = await EnpsAsync(workspaceId, kpi, before, cancellationToken);
            var (a, ca, noteAfter) = await EnpsAsync(workspaceId, kpi, after, cancellationToken);
            return new(b, a, cb, ca, noteBefore ?? noteAfter);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var touchpoints = (await catalogue.ListTouchpointsAsync(workspaceId, cancellationToken)).ToDictionary(t => t.Key, t => t.Id, StringComparer.Ordinal);
        var scope = Ids(kpi.Touchpoints, touchpoints);
        var comparison = kpi.Comparison is null ? null : Ids(kpi.Comparison, touchpoints);
        if (kpi.Kind == KpiKinds.SlaAttainment)
        {
            return new(
                await CasesAsync(connection, workspaceId, kpi, scope, null, before, cancellationToken),
                await CasesAsync(connection, workspaceId, kpi, scope, null, after, cancellationToken),
                await CasesAsync(connection, workspaceId, kpi, scope, comparison ?? [], before, cancellationToken, compare: true),
                await CasesAsync(connection, workspaceId, kpi, scope, comparison ?? [], after, cancellationToken, compare: true),
                null);
        }

        var surveys = await MetricSurveys.ListAsync(connection, null, workspaceId);
        var targets = MetricSurveys.Targets(Request(kpi, kpi.SurveyId), surveys, out var error);
        if (error is not null)
        {
            return new(null, null, null, null, error.Message);
        }

        // nps, csat and ces compare with the same role over every customer survey at the other touchpoints (a
        // touchpoint's own survey is often asked nowhere else); a metric question belongs to its survey.
        var comparisonTargets = kpi.Kind == KpiKinds.Metric ? targets : MetricSurveys.Targets(Request(kpi, null), surveys, out _);
        var hasComparison = scope.Count > 0;
        return new(
            await AnswersAsync(connection, workspaceId, kpi, targets, scope, before, exclude: false, cancellationToken),
            await AnswersAsync(connection, workspaceId, kpi, targets, scope, after, exclude: false, cancellationToken),
            hasComparison ? await AnswersAsync(connection, workspaceId, kpi, comparisonTargets, comparison ?? scope, before, exclude: comparison is null, cancellationToken) : null,
            hasComparison ? await AnswersAsync(connection, workspaceId, kpi, comparisonTargets, comparison ?? scope, after, exclude: comparison is null, cancellationToken) : null,
            null);
    }

    /// <summary>Whether the KPI's touchpoints, comparison touchpoints, survey and question exist; problems go under <paramref name="prefix"/>.</summary>
    public async Task CheckAsync(long workspaceId, InitiativeKpi kpi, string prefix, IDictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var touchpoints = (await catalogue.ListTouchpointsAsync(workspaceId, cancellationToken)).Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        if (kpi.Touchpoints.FirstOrDefault(t => !touchpoints.Contains(t)) is { } unknown)
        {
            errors[prefix + "touchpoints"] = [$"no touchpoint has the key \"{unknown}\"."];
        }

        if (kpi.Touchpoints.Count > 0 && kpi.Comparison?.FirstOrDefault(t => !touchpoints.Contains(t)) is { } unknownComparison)
        {
            errors[prefix + "comparison"] = [$"no touchpoint has the key \"{unknownComparison}\"."];
        }

        // Without a survey the KPI reads whichever surveys have the role when measured (the effect's note says when none has).
        if (kpi.Kind == KpiKinds.SlaAttainment || kpi.SurveyId is null)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        MetricSurveys.Targets(Request(kpi, kpi.SurveyId), await MetricSurveys.ListAsync(connection, null, workspaceId), out var error);
        if (error is not null)
        {
            errors[prefix + (error.Field == "question" ? "question" : "survey")] = [error.Message];
        }
    }

    private static MetricsRequest Request(InitiativeKpi kpi, long? surveyId) => new(
        kpi.Kind switch
        {
            KpiKinds.Nps => MetricKind.Nps,
            KpiKinds.Enps => MetricKind.Enps,
            KpiKinds.Csat => MetricKind.Csat,
            KpiKinds.Ces => MetricKind.Ces,
            _ => MetricKind.Mean,
        },
        kpi.Kind == KpiKinds.Metric ? kpi.Question : null, surveyId, [], MetricInterval.All, null, null, []);

    private static List<long> Ids(IReadOnlyList<string> keys, Dictionary<string, long> touchpoints) =>
        [.. keys.Select(k => touchpoints.GetValueOrDefault(k, -1))];

    /// <summary>The KPI's answers in the window at the touchpoints (all when none are given), or at every other touchpoint when <paramref name="exclude"/>.</summary>
    private static async Task<EffectSample?> AnswersAsync(
        DbConnection connection, long workspaceId, InitiativeKpi kpi, IReadOnlyList<MetricTarget> targets, List<long> touchpoints, EffectWindow window, bool exclude,
        CancellationToken cancellationToken)
    {
        if (window.IsEmpty)
        {
            return null;
        }

        var place = touchpoints.Count == 0 && !exclude ? ""
            : exclude ? $"AND touchpoint_id <> 0 AND NOT ({SqlLists.In(connection, "touchpoint_id", "touchpoints")})"
            : $"AND {SqlLists.In(connection, "touchpoint_id", "touchpoints")}";
        var sql = $"""
            SELECT score AS Score, sum(n) AS N, sum(total) AS Total, sum(total_squares) AS TotalSquares FROM {MetricCube.DailyTouchpoints.Table}
            WHERE workspace_id = @workspaceId AND survey_id = @survey AND question = @question AND period >= @from AND period < @to {place}
            GROUP BY score
            """;
        var tally = default(MetricTally);
        foreach (var target in targets)
        {
            var parameters = new
            {
                workspaceId,
                survey = target.SurveyId,
                question = target.Question,
                from = window.From.ToUnixTimeMilliseconds(),
                to = window.To.ToUnixTimeMilliseconds(),
                touchpoints = touchpoints.ToArray(),
            };
            foreach (var row in await connection.QueryAsync<ScoreRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)))
            {
                tally.Add(row.Score, row.N, row.Total, row.TotalSquares);
            }
        }

        return EffectSample.Of(tally, kpi.Statistic);
    }

    /// <summary>
    /// SLA attainment: of the cases opened in the window whose SLA is decided (closed, or breached), the share never
    /// breached. The comparison is the other touchpoints (or the listed ones) for a touchpoint-scoped KPI, else the other teams.
    /// </summary>
    private static async Task<EffectSample?> CasesAsync(
        DbConnection connection, long workspaceId, InitiativeKpi kpi, List<long> touchpoints, List<long>? comparison, EffectWindow window,
        CancellationToken cancellationToken, bool compare = false)
    {
        if (window.IsEmpty || (compare && touchpoints.Count == 0 && kpi.Team is null))
        {
            return null;
        }

        var teams = kpi.Comparison is { } listed && touchpoints.Count == 0 ? listed.ToArray() : [];
        var place = !compare
            ? (touchpoints.Count > 0 ? $"AND {SqlLists.In(connection, "touchpoint_id", "touchpoints")} " : "") + (kpi.Team is null ? "" : "AND team = @team")
            : touchpoints.Count > 0
                ? (comparison is { Count: > 0 } ? $"AND {SqlLists.In(connection, "touchpoint_id", "others")}" : $"AND touchpoint_id IS NOT NULL AND NOT ({SqlLists.In(connection, "touchpoint_id", "touchpoints")})")
                    + (kpi.Team is null ? "" : " AND team = @team")
                : teams.Length > 0 ? $"AND {SqlLists.In(connection, "team", "teams")}" : "AND team IS NOT NULL AND team <> @team";
        var row = await connection.QuerySingleAsync<CaseCount>(new CommandDefinition(
            $"""
            SELECT count(*) AS N, coalesce(sum(CASE WHEN breached_at IS NULL THEN 1 ELSE 0 END), 0) AS Attained FROM cases
            WHERE workspace_id = @workspaceId AND created_at >= @from AND created_at < @to AND (status = 'closed' OR breached_at IS NOT NULL) {place}
            """,
            new
            {
                workspaceId,
                from = window.From.ToUnixTimeMilliseconds(),
                to = window.To.ToUnixTimeMilliseconds(),
                touchpoints = touchpoints.ToArray(),
                others = (comparison ?? []).ToArray(),
                team = kpi.Team,
                teams,
            },
            cancellationToken: cancellationToken));
        return row.N == 0 ? null : EffectSample.Share(row.N, row.Attained);
    }

    /// <summary>
    /// eNPS from the employee pulse under its anonymity policy: the closed quarters that begin in the window, for the
    /// KPI's team (else everyone) and, as the comparison, the other teams. A quarter the policy does not show for a
    /// group makes that group's window no data — an initiative's effect never reads what the pulse pages withhold.
    /// </summary>
    private async Task<(EffectSample? Own, EffectSample? Comparison, string? Note)> EnpsAsync(long workspaceId, InitiativeKpi kpi, EffectWindow window, CancellationToken cancellationToken)
    {
        if (window.IsEmpty)
        {
            return (null, null, null);
        }

        if (PulseStore.Pick(await pulse.SurveysAsync(workspaceId, cancellationToken), kpi.SurveyId) is not { } survey
            || survey.Definition.WithRole(QuestionRole.Nps)?.Name is not { } question)
        {
            return (null, null, "no employee survey with an eNPS question.");
        }

        var cube = await pulse.CubeAsync(workspaceId, survey, cancellationToken);
        var shown = cube.Shown(question, await pulseSettings.MinimumGroupAsync(workspaceId, cancellationToken));
        var from = window.From.ToUnixTimeMilliseconds();
        var to = window.To.ToUnixTimeMilliseconds();
        var quarters = cube.Periods.Select((p, i) => (p, i)).Where(x => x.p.Level == PulseLevel.Quarter && x.p.Start >= from && x.p.Start < to).Select(x => x.i).ToList();
        if (quarters.Count == 0)
        {
            return (null, null, "eNPS is read per closed quarter: no quarter that has ended begins in this window.");
        }

        var teamAttribute = cube.Attributes.ToList().IndexOf(TeamDimension["answer.".Length..]);
        MetricTally? Sum(int value)
        {
            var total = default(MetricTally);
            foreach (var quarter in quarters)
            {
                var group = value == 0 ? new PulseGroup(quarter, 0) : new PulseGroup(quarter, 0).With(teamAttribute, value);
                if (!shown.Contains(group))
                {
                    return null;
                }

                total.Add(cube.Tally(question, group));
            }

            return total;
        }

        if (kpi.Team is null || teamAttribute < 0)
        {
            return (Sum(0) is { } everyone ? EffectSample.Of(everyone, KpiMeasure.Nps) : null, null, kpi.Team is null ? null : "the employee survey has no team question.");
        }

        var teams = cube.Values[teamAttribute];
        var own = teams.ToList().IndexOf(kpi.Team) is >= 0 and var index ? Sum(index + 1) : null;
        var comparison = default(MetricTally);
        var compared = 0;
        for (var t = 0; t < teams.Count; t++)
        {
            if (teams[t] != kpi.Team && (kpi.Comparison is null || kpi.Comparison.Contains(teams[t])) && Sum(t + 1) is { } other)
            {
                comparison.Add(other);
                compared++;
            }
        }

        return (own is { } o ? EffectSample.Of(o, KpiMeasure.Nps) : null, compared == 0 ? null : EffectSample.Of(comparison, KpiMeasure.Nps), null);
    }

    public const string TeamDimension = "answer.team";

    private sealed class ScoreRow
    {
        public long Score { get; set; }

        public long N { get; set; }

        public double Total { get; set; }

        public double TotalSquares { get; set; }
    }

    private sealed class CaseCount
    {
        public long N { get; set; }

        public long Attained { get; set; }
    }
}
