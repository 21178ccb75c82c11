using System.Data.Common;
using Dapper;
using OpenCem.Analytics.Metrics;
using OpenCem.Feedback.Surveys;
using OpenCem.Organisation.Pulse;
using OpenCem.Storage;

namespace OpenCem.Organisation.Targets;

/// <summary>
/// The four strategic targets on one page — customer loyalty, increase in sales, employee loyalty, efficiency — for the
/// last complete quarter or year against the one before. Every figure comes from a rollup or a small table
/// (<c>survey_daily</c>, <c>interaction_daily</c>, the pulse cube, <c>transactions</c> summed in SQL, cases of the
/// periods, the latest CLV fit), so the page costs a handful of queries whatever the data volume.
/// </summary>
public sealed class StrategicTargets(Database database, PulseStore pulse, PulseSettingsStore pulseSettings, TimeProvider time)
{
    private const int TrendPeriods = 8;

    /// <param name="at">The moment the page is for; default: now, or the last day with interactions if that is earlier (a loaded history).</param>
    public async Task<TargetsView> GetAsync(long workspaceId, PulseLevel level, long? at, long? relationshipSurvey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var moment = at ?? await DefaultMomentAsync(connection, workspaceId);
        var periods = TargetPeriods.Ending(level, moment, level == PulseLevel.Quarter ? TrendPeriods : 3);
        var (current, previous) = (periods[^1], periods[^2]);
        var targets = new List<StrategicTarget>
        {
            new("customerLoyalty", "Customer loyalty", [await CustomerNpsAsync(connection, workspaceId, periods, relationshipSurvey)]),
            new("salesIncrease", "Increase in sales", await SalesAsync(connection, workspaceId, periods)),
            new("employeeLoyalty", "Employee loyalty", [await EmployeeNpsAsync(workspaceId, level, periods, cancellationToken)]),
            new("efficiency", "Efficiency", await EfficiencyAsync(connection, workspaceId, current, previous)),
        };
        return new TargetsView(current.Name, Time(current.Start), Time(current.End), previous.Name, targets);
    }

    private async Task<long> DefaultMomentAsync(DbConnection connection, long workspaceId)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var last = await connection.ExecuteScalarAsync<long?>("SELECT max(day) FROM interaction_daily WHERE workspace_id = @workspaceId", new { workspaceId });
        // interaction_daily counts days since 1970 (not milliseconds like survey_daily).
        return last is { } day ? Math.Min(now, (day + 1) * MetricPeriods.DayMilliseconds) : now;
    }

    private static async Task<TargetKpi> CustomerNpsAsync(DbConnection connection, long workspaceId, List<TargetPeriod> periods, long? surveyId)
    {
        const string definition = "NPS of the relationship survey (the customer survey answered most without a touchpoint, or ?survey=): " +
            "% promoters (9-10) − % detractors (0-6); significant when |Δ| > 1.96·sqrt(SE₁² + SE₂²).";
        var surveys = await MetricSurveys.ListAsync(connection, null, workspaceId);
        var candidates = surveys.Where(s => s.Definition.Audience == SurveyAudience.Customers && s.Definition.WithRole(QuestionRole.Nps) is not null).Select(s => s.Id).ToArray();
        surveyId ??= candidates.Length == 0 ? null : await connection.ExecuteScalarAsync<long?>(
            $"""
            SELECT survey_id FROM survey_daily WHERE workspace_id = @workspaceId AND touchpoint_id = 0 AND {SqlLists.In(connection, "survey_id", "candidates")}
            GROUP BY survey_id ORDER BY sum(nps_n) DESC, survey_id LIMIT 1
            """,
            new { workspaceId, candidates });
        var tallies = new MetricTally[periods.Count];
        if (surveyId is { } id)
        {
            foreach (var row in await connection.QueryAsync<NpsRow>(
                """
                SELECT day AS Day, sum(nps_n) AS N, sum(promoters) AS Promoters, sum(detractors) AS Detractors FROM survey_daily
                WHERE workspace_id = @workspaceId AND survey_id = @id AND day >= @start AND day < @end GROUP BY day
                """,
                new { workspaceId, id, start = periods[0].Start, end = periods[^1].End }))
            {
                if (TargetPeriods.IndexOf(periods, row.Day) is var i and >= 0)
                {
                    tallies[i].N += row.N;
                    tallies[i].Promoters += row.Promoters;
                    tallies[i].Detractors += row.Detractors;
                }
            }
        }

        var (current, previous, change, significant) = TargetMath.Nps(tallies[^1], tallies[^2]);
        return new TargetKpi("nps", definition + (surveyId is { } s ? $" Survey {s}." : " No customer NPS survey has answers."), "points", current, previous, change, significant,
            tallies[^1].N, [.. periods.Select((p, i) => new TrendPoint(p.Name, tallies[i].Evaluate(MetricKind.Nps)?.Value))]);
    }

    private async Task<TargetKpi> EmployeeNpsAsync(long workspaceId, PulseLevel level, List<TargetPeriod> periods, CancellationToken cancellationToken)
    {
        const string definition = "eNPS: NPS of the employee pulse (\"audience\": \"employees\") per closed quarter or complete year, " +
            "withheld when the anonymity policy suppresses the whole period.";
        var survey = PulseStore.Pick(await pulse.SurveysAsync(workspaceId, cancellationToken), null);
        if (survey is null)
        {
            return new TargetKpi("enps", definition + " No employee survey.", "points", null, null, null, null);
        }

        var cube = await pulse.CubeAsync(workspaceId, survey, cancellationToken);
        var minimum = await pulseSettings.MinimumGroupAsync(workspaceId, cancellationToken);
        var rows = PulseReport.Rows(cube, survey.Definition.WithRole(QuestionRole.Nps)!.Name, MetricKind.Enps,
            new PulseQuery(level, new Dictionary<int, int>(), [], periods[0].Start, periods[^1].End), minimum).ToDictionary(r => r.Period);
        var now = rows.GetValueOrDefault(periods[^1].Name);
        var before = rows.GetValueOrDefault(periods[^2].Name);
        return new TargetKpi("enps", definition, "points", now?.Value, before?.Value, now?.Change, now?.Significant, now?.N, [.. periods.Select(p => new TrendPoint(p.Name, rows.GetValueOrDefault(p.Name)?.Value))], now?.Suppressed == true);
    }

    private static async Task<List<TargetKpi>> SalesAsync(DbConnection connection, long workspaceId, List<TargetPeriod> periods)
    {
        // One pass over the periods' transactions: a sum per period in SQL, nothing per row sent back.
        var parameters = new DynamicParameters(new { workspaceId, start = periods[0].Start, end = periods[^1].End });
        var sums = string.Join(", ", periods.Select((p, i) =>
        {
            parameters.Add($"s{i}", p.Start);
            parameters.Add($"e{i}", p.End);
            return $"coalesce(sum(CASE WHEN occurred_at >= @s{i} AND occurred_at < @e{i} THEN amount END), 0) AS r{i}";
        }));
        var row = (IDictionary<string, object>)await connection.QuerySingleAsync(
            $"SELECT {sums} FROM transactions WHERE workspace_id = @workspaceId AND occurred_at >= @start AND occurred_at < @end", parameters);
        var revenue = periods.Select((_, i) => Convert.ToDouble(row[$"r{i}"], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var tracked = new double[periods.Count];
        foreach (var (day, sum) in await connection.QueryAsync<(long, double)>(
            "SELECT day, sum(revenue_sum) FROM interaction_daily WHERE workspace_id = @workspaceId AND day >= @start AND day < @end GROUP BY day",
            new { workspaceId, start = Days(periods[0].Start), end = Days(periods[^1].End) }))
        {
            if (TargetPeriods.IndexOf(periods, day * MetricPeriods.DayMilliseconds) is var i and >= 0)
            {
                tracked[i] += sum;
            }
        }

        var fit = await LatestEquityAsync(connection, workspaceId);
        return
        [
            new("revenue", "Revenue: the sum of purchase transactions in the period; change = growth in % of the previous period.", "currency",
                Math.Round(revenue[^1], 2), Math.Round(revenue[^2], 2), TargetMath.Growth(revenue[^1], revenue[^2]), null,
                Trend: [.. periods.Select((p, i) => new TrendPoint(p.Name, Math.Round(revenue[i], 2)))]),
            new("trackedRevenue", "Tracked revenue: the revenue tracking calls reported (interactions with revenue); change = growth in %.", "currency",
                Math.Round(tracked[^1], 2), Math.Round(tracked[^2], 2), TargetMath.Growth(tracked[^1], tracked[^2]), null,
                Trend: [.. periods.Select((p, i) => new TrendPoint(p.Name, Math.Round(tracked[i], 2)))]),
            new("customerEquity", "Customer equity: the sum of CLV over current customers from the latest CLV fit (not per period).", "currency",
                fit, null, null, null),
        ];
    }

    private static async Task<double?> LatestEquityAsync(DbConnection connection, long workspaceId)
    {
        var result = await connection.ExecuteScalarAsync<string?>(
            "SELECT result FROM clv_fits WHERE workspace_id = @workspaceId AND status = 'done' ORDER BY id DESC LIMIT 1", new { workspaceId });
        if (result is null)
        {
            return null;
        }

        using var json = System.Text.Json.JsonDocument.Parse(result);
        return json.RootElement.TryGetProperty("customerEquity", out var equity) && equity.TryGetDouble(out var value) ? Math.Round(value, 2) : null;
    }

    private static async Task<List<TargetKpi>> EfficiencyAsync(DbConnection connection, long workspaceId, TargetPeriod current, TargetPeriod previous)
    {
        var now = await EfficiencyFactsAsync(connection, workspaceId, current);
        var before = await EfficiencyFactsAsync(connection, workspaceId, previous);
        var customers = await connection.ExecuteScalarAsync<long>(
            """
            SELECT count(*) FROM customers c WHERE c.workspace_id = @workspaceId
                AND NOT EXISTS (SELECT 1 FROM customer_redirects r WHERE r.workspace_id = c.workspace_id AND r.old_customer_id = c.id)
            """,
            new { workspaceId });
        var share = TargetMath.Shares(now.SelfService, now.Interactions, before.SelfService, before.Interactions);
        var success = TargetMath.Shares(now.SelfServiceSuccess, now.SelfServiceWithOutcome, before.SelfServiceSuccess, before.SelfServiceWithOutcome);
        var perCustomer = (TargetMath.Ratio(now.Interactions, customers), TargetMath.Ratio(before.Interactions, customers));
        var cases = (TargetMath.Ratio(now.CasesOpened, customers, 1000), TargetMath.Ratio(before.CasesOpened, customers, 1000));
        var median = (TargetMath.Median(now.ResolutionHours), TargetMath.Median(before.ResolutionHours));
        return
        [
            new("interactionsPerCustomer", "Interactions in the period per customer profile (profiles as of today).", "interactions",
                perCustomer.Item1, perCustomer.Item2, Difference(perCustomer.Item1, perCustomer.Item2), null, now.Interactions),
            new("selfServiceShare", $"Share of interactions in the self-service channels ({string.Join(", ", SelfServiceChannels)}); two-proportion test.", "%",
                share.Current, share.Previous, share.Change, share.Significant, now.Interactions),
            new("selfServiceSuccess", "Share of self-service interactions with an outcome that succeeded; two-proportion test.", "%",
                success.Current, success.Previous, success.Change, success.Significant, now.SelfServiceWithOutcome),
            new("casesPer1000Customers", "Cases opened in the period per 1,000 customer profiles.", "cases", cases.Item1, cases.Item2, Difference(cases.Item1, cases.Item2), null, now.CasesOpened),
            new("medianResolutionHours", "Median hours from opening to resolution of the cases resolved in the period.", "hours",
                Round(median.Item1), Round(median.Item2), Difference(Round(median.Item1), Round(median.Item2)), null, now.ResolutionHours.Count),
        ];
    }

    /// <summary>Channels where customers serve themselves.</summary>
    public static readonly IReadOnlyList<string> SelfServiceChannels = ["web", "app"];

    private static async Task<EfficiencyFacts> EfficiencyFactsAsync(DbConnection connection, long workspaceId, TargetPeriod period)
    {
        var facts = new EfficiencyFacts();
        foreach (var (channel, outcome, count) in await connection.QueryAsync<(string, string, long)>(
            "SELECT channel, outcome, sum(interactions) FROM interaction_daily WHERE workspace_id = @workspaceId AND day >= @start AND day < @end GROUP BY channel, outcome",
            new { workspaceId, start = Days(period.Start), end = Days(period.End) }))
        {
            facts.Interactions += count;
            if (SelfServiceChannels.Contains(channel))
            {
                facts.SelfService += count;
                facts.SelfServiceWithOutcome += outcome.Length > 0 ? count : 0;
                facts.SelfServiceSuccess += outcome == "success" ? count : 0;
            }
        }

        foreach (var (created, resolved) in await connection.QueryAsync<(long, long?)>(
            """
            SELECT created_at, resolved_at FROM cases WHERE workspace_id = @workspaceId
                AND ((created_at >= @Start AND created_at < @End) OR (resolved_at >= @Start AND resolved_at < @End))
            """,
            new { workspaceId, period.Start, period.End }))
        {
            facts.CasesOpened += created >= period.Start && created < period.End ? 1 : 0;
            if (resolved is { } r && r >= period.Start && r < period.End)
            {
                facts.ResolutionHours.Add((r - created) / 3_600_000.0);
            }
        }

        return facts;
    }

    /// <summary>A period bound (UTC midnight, milliseconds) as interaction_daily's day number.</summary>
    private static long Days(long ms) => ms / MetricPeriods.DayMilliseconds;

    private static double? Difference(double? current, double? previous) => current is { } a && previous is { } b ? Math.Round(a - b, 2) : null;

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private sealed class EfficiencyFacts
    {
        public long Interactions { get; set; }

        public long SelfService { get; set; }

        public long SelfServiceWithOutcome { get; set; }

        public long SelfServiceSuccess { get; set; }

        public long CasesOpened { get; set; }

        public List<double> ResolutionHours { get; } = [];
    }

    private sealed class NpsRow
    {
        public long Day { get; set; }

        public long N { get; set; }

        public long Promoters { get; set; }

        public long Detractors { get; set; }
    }
}
