using System.Data.Common;
using Dapper;
using OpenCem.Analytics.Metrics;
using OpenCem.Interactions;
using OpenCem.Storage;

namespace OpenCem.Organisation.Initiatives;

/// <summary>A KPI's samples over the before and after windows, for its own scope and for the comparison.</summary>
public sealed record KpiReadings(EffectSample? Before, EffectSample? After, EffectSample? ComparisonBefore, EffectSample? ComparisonAfter, string? Note);

/// <summary>
/// Reads a KPI's numbers over windows from what the platform already keeps: survey KPIs from the metrics rollup by
/// day and touchpoint (<c>metric_daily_touchpoints</c>, the same additive counts the metrics endpoint sums, so no
/// response is read), eNPS through the metrics reader itself (so the employee pulse's anonymity rules apply: a group it
/// does not show counts as no data), SLA attainment from the cases opened in the window whose SLA is decided (closed,
/// or breached while open).
/// </summary>
public sealed class KpiMeasurer(Database database, CatalogueStore catalogue, MetricsReader metrics)
{
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
    /// eNPS through the metrics reader (by the pulse's team answer when the KPI names a team): the team's row, and the
    /// other teams' rows summed as the comparison. A row the reader leaves out or blanks (too few answers to show) is no data.
    /// </summary>
    private async Task<(EffectSample? Own, EffectSample? Comparison, string? Note)> EnpsAsync(long workspaceId, InitiativeKpi kpi, EffectWindow window, CancellationToken cancellationToken)
    {
        if (window.IsEmpty)
        {
            return (null, null, null);
        }

        var settings = await metrics.SettingsAsync(workspaceId, cancellationToken);
        var by = kpi.Team is null ? Array.Empty<string>() : [TeamDimension];
        var request = new MetricsRequest(MetricKind.Enps, null, kpi.SurveyId, by, MetricInterval.All, window.From.ToUnixTimeMilliseconds(), window.To.ToUnixTimeMilliseconds(), []);
        var (rows, error) = await metrics.ReadAsync(workspaceId, request, settings, cancellationToken);
        if (error is not null)
        {
            return (null, null, error.Message);
        }

        string? TeamOf(MetricRow row) => row.Group?.GetValueOrDefault(TeamDimension);
        var own = kpi.Team is null ? rows.FirstOrDefault() : rows.FirstOrDefault(r => TeamOf(r) == kpi.Team);
        var others = kpi.Team is null ? [] : rows.Where(r => TeamOf(r) is { } team && team != kpi.Team && (kpi.Comparison is null || kpi.Comparison.Contains(team))).ToList();
        var comparison = default(MetricTally);
        foreach (var row in others)
        {
            comparison.Add(Tally(row));
        }

        return (own is null ? null : EffectSample.Of(Tally(own), KpiMeasure.Nps), others.Count == 0 ? null : EffectSample.Of(comparison, KpiMeasure.Nps), null);
    }

    public const string TeamDimension = "answer.team";

    /// <summary>The counts behind an NPS row: its shares are percentages rounded to two decimals, exact for n below 10,000.</summary>
    private static MetricTally Tally(MetricRow row)
    {
        if (row.Promoters is not { } promoters || row.Detractors is not { } detractors)
        {
            return default;
        }

        return new MetricTally
        {
            N = row.N,
            Promoters = (long)Math.Round(promoters / 100 * row.N),
            Detractors = (long)Math.Round(detractors / 100 * row.N),
        };
    }

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
