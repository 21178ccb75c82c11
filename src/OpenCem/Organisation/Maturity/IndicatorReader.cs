using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Analytics.Ladder;
using OpenCem.Customers;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;
using OpenCem.Text.Pipeline;

namespace OpenCem.Organisation.Maturity;

/// <summary>
/// Measures <see cref="DataIndicators"/> for a workspace as of a time: from the rollups where one exists (interactions
/// per day and channel, responses per day and touchpoint, the case recovery rollup, the loyalty ladder), otherwise with
/// one aggregate query each. Interactions are counted per profile with a range probe on the covering
/// <c>ix_interactions_customer</c> index (no row is read; a grouping over the time index read every row of the window
/// and took 4x longer on the demo), so the identity and score lookups run once per active customer. Seven queries per
/// index request.
/// </summary>
public sealed class IndicatorReader(Database database)
{
    private const long Day = 86_400_000;

    public async Task<IReadOnlyList<IndicatorMeasurement>> ReadAsync(long ws, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var to = asOf.ToUnixTimeMilliseconds();
        var from = to - DataIndicators.RecentDays * Day;
        var measurements = new List<IndicatorMeasurement>();
        measurements.AddRange(await CustomersAsync(connection, ws, from, to));
        measurements.Add(await SurveyedChannelsAsync(connection, ws, from, to));
        measurements.Add(await CrossChannelAsync(connection, ws, from, to));
        measurements.AddRange(await CasesAsync(connection, ws));
        measurements.Add(await AdvocatesAsync(connection, ws, to));
        measurements.Add(await AnalysedTextsAsync(connection, ws, from, to));
        measurements.Add(await MeasuredEquityAsync(connection, ws, to - DataIndicators.ValueDays * Day, to));
        return measurements;
    }

    private const string Scored = "(r.nps IS NOT NULL OR r.csat IS NOT NULL OR r.ces IS NOT NULL)";

    private static async Task<IndicatorMeasurement[]> CustomersAsync(DbConnection connection, long ws, long from, long to)
    {
        var row = await connection.QuerySingleAsync<CustomerRow>(
            $"""
            SELECT COALESCE(sum(a.n), 0) AS Interactions,
                   COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM customer_identities ci WHERE ci.customer_id = a.customer_id AND ci.kind <> @anonymous)
                                       OR EXISTS (SELECT 1 FROM source_records s WHERE s.workspace_id = @ws AND s.customer_id = a.customer_id)
                                     THEN a.n ELSE 0 END), 0) AS Known,
                   count(*) AS Customers,
                   COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM survey_responses r WHERE r.workspace_id = @ws AND r.customer_id = a.customer_id
                                                  AND r.submitted_at >= @from AND r.submitted_at < @to AND {Scored})
                                     THEN 1 ELSE 0 END), 0) AS ScoredCustomers
            FROM (SELECT c.id AS customer_id,
                         (SELECT count(*) FROM interactions i WHERE i.workspace_id = @ws AND i.customer_id = c.id AND i.occurred_at >= @from AND i.occurred_at < @to) AS n
                  FROM customers c WHERE c.workspace_id = @ws) a
            WHERE a.n > 0
            """,
            new { ws, from, to, anonymous = IdentifierKinds.AnonymousId });
        return
        [
            IndicatorMeasurement.Share(DataIndicators.KnownInteractions, row.Known, row.Interactions, row.Interactions),
            IndicatorMeasurement.Share(DataIndicators.ScoredCustomers, row.ScoredCustomers, row.Customers, row.Customers),
        ];
    }

    private static async Task<IndicatorMeasurement> SurveyedChannelsAsync(DbConnection connection, long ws, long from, long to)
    {
        var active = (await connection.QueryAsync<string>(
            "SELECT DISTINCT channel FROM interaction_daily WHERE workspace_id = @ws AND day >= @fromDay AND day < @toDay AND channel <> ''",
            new { ws, fromDay = from / Day, toDay = (to + Day - 1) / Day })).ToHashSet(StringComparer.Ordinal);
        var covered = (await connection.QueryAsync<string>(
            """
            SELECT DISTINCT t.channel FROM survey_daily d JOIN touchpoints t ON t.id = d.touchpoint_id
            WHERE d.workspace_id = @ws AND d.day >= @from AND d.day < @to AND d.responses > 0
            """,
            new { ws, from, to })).ToHashSet(StringComparer.Ordinal);
        var triggered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var settings in await connection.QueryAsync<string>(
            "SELECT settings FROM surveys WHERE workspace_id = @ws AND deleted_at IS NULL AND audience = 'customers'", new { ws }))
        {
            try
            {
                if (JsonSerializer.Deserialize<SurveySettings>(settings, SurveySettings.Json) is { Closed: false } open)
                {
                    triggered.UnionWith(open.Triggers.Select(t => t.Touchpoint));
                }
            }
            catch (JsonException)
            {
                // Settings an older version wrote: such a survey has no triggers this version can read.
            }
        }

        if (triggered.Count > 0)
        {
            covered.UnionWith(await connection.QueryAsync<string>(
                $"SELECT DISTINCT channel FROM touchpoints WHERE workspace_id = @ws AND {SqlLists.In(connection, "key", "keys")}",
                new { ws, keys = triggered.ToArray() }));
        }

        return IndicatorMeasurement.Share(DataIndicators.SurveyedChannels, active.Count(covered.Contains), active.Count, active.Count);
    }

    private static async Task<IndicatorMeasurement> CrossChannelAsync(DbConnection connection, long ws, long from, long to)
    {
        var row = await connection.QuerySingleAsync<PartRow>(
            """
            SELECT count(*) AS Whole, COALESCE(sum(CASE WHEN c.channels >= 2 THEN 1 ELSE 0 END), 0) AS Part
            FROM (SELECT customer_id, count(DISTINCT channel) AS channels FROM journey_instances
                  WHERE workspace_id = @ws AND started_at >= @from AND started_at < @to GROUP BY customer_id) c
            """,
            new { ws, from, to });
        return IndicatorMeasurement.Share(DataIndicators.CrossChannelCustomers, row.Part, row.Whole, (long)row.Whole);
    }

    private static async Task<IndicatorMeasurement[]> CasesAsync(DbConnection connection, long ws)
    {
        // The SLA dimension splits every closed case into met or missed, so its rows add up to all closed cases once.
        var rows = (await connection.QueryAsync<RollupRow>(
            "SELECT grp AS Grp, closed AS Closed, measured AS Measured, recovered AS Recovered FROM case_recovery_rollup WHERE workspace_id = @ws AND dimension = 'sla'",
            new { ws })).ToList();
        var closed = rows.Sum(r => r.Closed);
        var measured = rows.Sum(r => r.Measured);
        return
        [
            IndicatorMeasurement.Share(DataIndicators.SlaAttainment, rows.Where(r => r.Grp == "met").Sum(r => r.Closed), closed, closed),
            IndicatorMeasurement.Share(DataIndicators.RecoveryRate, rows.Sum(r => r.Recovered), measured, measured),
        ];
    }

    private static async Task<IndicatorMeasurement> AdvocatesAsync(DbConnection connection, long ws, long to)
    {
        var row = await connection.QuerySingleAsync<PartRow>(
            """
            SELECT count(*) AS Whole, COALESCE(sum(CASE WHEN rung = @advocate OR nps_rung = @promoter THEN 1 ELSE 0 END), 0) AS Part
            FROM ladder_states WHERE workspace_id = @ws AND rung <> @unrated
              AND month = (SELECT max(month) FROM ladder_states WHERE workspace_id = @ws AND month < @to)
            """,
            new { ws, to, advocate = Rungs.Advocate, promoter = Rungs.Promoter, unrated = Rungs.Unrated });
        return IndicatorMeasurement.Share(DataIndicators.Advocates, row.Part, row.Whole, (long)row.Whole);
    }

    private static async Task<IndicatorMeasurement> AnalysedTextsAsync(DbConnection connection, long ws, long from, long to)
    {
        var row = await connection.QuerySingleAsync<PartRow>(
            """
            SELECT (SELECT count(*) FROM survey_responses r WHERE r.workspace_id = @ws AND r.submitted_at >= @from AND r.submitted_at < @to AND r.comment IS NOT NULL AND r.comment <> '')
                 + (SELECT count(*) FROM signals s WHERE s.workspace_id = @ws AND s.occurred_at >= @from AND s.occurred_at < @to) AS Whole,
                   (SELECT count(*) FROM survey_responses r WHERE r.workspace_id = @ws AND r.submitted_at >= @from AND r.submitted_at < @to AND r.comment IS NOT NULL AND r.comment <> ''
                      AND EXISTS (SELECT 1 FROM text_analyses t WHERE t.workspace_id = @ws AND t.item_kind = @response AND t.item_id = r.id))
                 + (SELECT count(*) FROM signals s WHERE s.workspace_id = @ws AND s.occurred_at >= @from AND s.occurred_at < @to
                      AND EXISTS (SELECT 1 FROM text_analyses t WHERE t.workspace_id = @ws AND t.item_kind = @signal AND t.item_id = s.id)) AS Part
            """,
            new { ws, from, to, response = TextItemKind.Response, signal = TextItemKind.Signal });
        return IndicatorMeasurement.Share(DataIndicators.AnalysedTexts, row.Part, row.Whole, (long)row.Whole);
    }

    private static async Task<IndicatorMeasurement> MeasuredEquityAsync(DbConnection connection, long ws, long from, long to)
    {
        var row = await connection.QuerySingleAsync<PartRow>(
            $"""
            SELECT COALESCE(sum(v.clv), 0) AS Whole,
                   COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM survey_responses r WHERE r.workspace_id = @ws AND r.customer_id = v.customer_id
                                                  AND r.submitted_at >= @from AND r.submitted_at < @to AND {Scored})
                                     THEN v.clv ELSE 0 END), 0) AS Part,
                   count(*) AS Customers
            FROM customer_values v WHERE v.workspace_id = @ws AND v.clv > 0
            """,
            new { ws, from, to });
        return IndicatorMeasurement.Share(DataIndicators.MeasuredEquity, row.Part, row.Whole, row.Customers);
    }

    private sealed class CustomerRow
    {
        public long Interactions { get; set; }

        public long Known { get; set; }

        public long Customers { get; set; }

        public long ScoredCustomers { get; set; }
    }

    private sealed class PartRow
    {
        public double Whole { get; set; }

        public double Part { get; set; }

        public long Customers { get; set; }
    }

    private sealed class RollupRow
    {
        public string Grp { get; set; } = "";

        public long Closed { get; set; }

        public long Measured { get; set; }

        public long Recovered { get; set; }
    }
}
