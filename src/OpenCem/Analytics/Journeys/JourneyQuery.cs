using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Caching.Memory;
using OpenCem.Interactions;
using OpenCem.Storage;

namespace OpenCem.Analytics.Journeys;

/// <summary>
/// Reads a journey's analytics. Stages, waits and paths come from the daily rollups (the cost is days × channels ×
/// stages in the period, not the interactions); with a trait filter, from the instances that started in the period,
/// joined to their customers (the cost is those instances, still never raw events). The emotion curve aggregates the
/// responses and signals at the stage's touchpoints in the period, through their touchpoint indexes.
/// </summary>
public sealed class JourneyQuery(Database database, CatalogueStore catalogue, JourneyOptions options, IMemoryCache? cache = null)
{
    /// <summary>The journey by numeric id or key, or null.</summary>
    public async Task<Journey?> FindAsync(long workspaceId, string id, CancellationToken cancellationToken = default)
    {
        var key = id;
        if (long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var numeric))
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            key = await connection.QuerySingleOrDefaultAsync<string>(
                "SELECT key FROM journeys WHERE workspace_id = @workspaceId AND id = @numeric", new { workspaceId, numeric }) ?? id;
        }

        return await catalogue.FindJourneyAsync(workspaceId, key, cancellationToken);
    }

    public async Task<JourneyAnalyticsView> GetAsync(long workspaceId, Journey journey, JourneyQueryOptions query, CancellationToken cancellationToken = default)
    {
        var builder = new JourneyInstanceBuilder(journey, options.Gap);
        var touchpoints = (await catalogue.ListTouchpointsAsync(workspaceId, cancellationToken))
            .Where(t => t.Journey == journey.Key && t.Stage is not null && (query.Channel is null || t.Channel == query.Channel))
            .ToDictionary(t => t.Id, t => t.Stage!);
        await using var connection = await database.OpenAsync(cancellationToken);
        var tally = query.Traits.Any()
            ? await RememberedTallyAsync(connection, workspaceId, builder, query)
            : await ReadRollupsAsync(connection, workspaceId, journey.Key, query);
        var feedback = await FeedbackAsync(connection, workspaceId, touchpoints, query);
        return JourneyReport.Create(builder, tally, feedback, query);
    }

    private static async Task<JourneyTally> ReadRollupsAsync(DbConnection connection, long workspaceId, string journeyKey, JourneyQueryOptions query)
    {
        var args = new { workspaceId, journeyKey, fromDay = query.FromDay, toDay = query.ToDay, channel = query.Channel };
        var where = "workspace_id = @workspaceId AND journey_key = @journeyKey AND day >= @fromDay AND day < @toDay" + (query.Channel is null ? "" : " AND channel = @channel");
        var tally = new JourneyTally();
        foreach (var row in await connection.QueryAsync<StageRow>(
            $"SELECT stage AS Stage, CAST(sum(entered) AS BIGINT) AS Entered, CAST(sum(converted) AS BIGINT) AS Converted, CAST(sum(dropped) AS BIGINT) AS Dropped FROM journey_stage_daily WHERE {where} GROUP BY stage", args))
        {
            tally.AddStage(row.Stage, row.Entered, row.Converted, row.Dropped);
        }

        foreach (var row in await connection.QueryAsync<WaitRow>(
            $"SELECT stage AS Stage, bucket AS Bucket, CAST(sum(instances) AS BIGINT) AS Instances FROM journey_wait_daily WHERE {where} GROUP BY stage, bucket", args))
        {
            tally.Waits[(default, row.Stage, (int)row.Bucket)] = row.Instances;
        }

        foreach (var row in await connection.QueryAsync<PathRow>(
            $"SELECT path AS Path, CAST(sum(instances) AS BIGINT) AS Instances FROM journey_path_daily WHERE {where} GROUP BY path", args))
        {
            tally.Paths[(default, row.Path)] = row.Instances;
        }

        return tally;
    }

    // With a trait filter every instance of the period is read and joined to its customer (seconds for a persona's
    // scenario at 10 million interactions): remembered per version of the instances and of the traits it read.
    private async Task<JourneyTally> RememberedTallyAsync(DbConnection connection, long workspaceId, JourneyInstanceBuilder journey, JourneyQueryOptions query)
    {
        if (cache is null)
        {
            return await TallyInstancesAsync(connection, workspaceId, journey, query);
        }

        var versions = await DataVersions.ReadAsync(connection, null, workspaceId, DataVersions.Journeys, DataVersions.Traits);
        var asked = string.Join("\n", query.Traits.Select(t => t.Text));
        var key = (typeof(JourneyQuery), workspaceId, JsonSerializer.Serialize(journey.Journey), journey.Gap, query.FromDay, query.ToDay, query.Channel, asked, versions[0], versions[1]);
        if (cache.TryGetValue(key, out JourneyTally? tally) && tally is not null)
        {
            return tally;
        }

        tally = await TallyInstancesAsync(connection, workspaceId, journey, query);
        cache.Set(key, tally, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromHours(1) });
        return tally;
    }

    private static async Task<JourneyTally> TallyInstancesAsync(DbConnection connection, long workspaceId, JourneyInstanceBuilder journey, JourneyQueryOptions query)
    {
        var parameters = new DynamicParameters(new { workspaceId, journeyKey = journey.Journey.Key, fromMs = query.FromMs, toMs = query.ToMs, channel = query.Channel });
        var traits = TraitSql.Conditions(connection, "c", query.Traits.Select(t => (t.Trait!, t.Value)).ToList(), parameters);
        var rows = await connection.QueryAsync<JourneyStore.InstanceRow>(
            $"""
            SELECT i.id AS Id, i.journey_key AS JourneyKey, i.customer_id AS CustomerId, i.channel AS Channel, i.started_at AS StartedAt, i.ended AS Ended, i.path AS Path, i.times AS Times
            FROM journey_instances i JOIN customers c ON c.id = i.customer_id
            WHERE i.workspace_id = @workspaceId AND i.journey_key = @journeyKey AND i.started_at >= @fromMs AND i.started_at < @toMs
            {(query.Channel is null ? "" : "AND i.channel = @channel")} AND {traits}
            """,
            parameters);
        var tally = new JourneyTally();
        foreach (var row in rows)
        {
            tally.Add(row.ToStored().Instance, journey, 1, byCell: false);
        }

        return tally;
    }

    private static async Task<Dictionary<string, StageFeedback>> FeedbackAsync(
        DbConnection connection, long workspaceId, Dictionary<long, string> touchpoints, JourneyQueryOptions query)
    {
        var feedback = new Dictionary<string, StageFeedback>(StringComparer.Ordinal);
        if (touchpoints.Count == 0)
        {
            return feedback;
        }

        var parameters = new DynamicParameters(new { workspaceId, touchpoints = touchpoints.Keys.ToArray(), fromMs = query.FromMs, toMs = query.ToMs });
        var traits = query.Traits.Select(t => (t.Trait!, t.Value)).ToList();
        var customers = traits.Count == 0 ? "" : "JOIN customers c ON c.id = x.customer_id AND " + TraitSql.Conditions(connection, "c", traits, parameters);
        var responses = $"{SqlLists.In(connection, "x.touchpoint_id", "touchpoints")} AND x.workspace_id = @workspaceId AND x.submitted_at >= @fromMs AND x.submitted_at < @toMs";
        var signals = responses.Replace("submitted_at", "occurred_at", StringComparison.Ordinal);
        responses += " AND x.status = 'completed'";
        var rows = (await connection.QueryAsync<FeedbackRow>(
            $"""
            SELECT x.touchpoint_id AS TouchpointId, count(x.nps) AS NpsN, coalesce(sum(CAST(x.nps AS DOUBLE PRECISION)), 0.0) AS NpsSum,
                count(x.csat) AS CsatN, coalesce(sum(CAST(x.csat AS DOUBLE PRECISION)), 0.0) AS CsatSum,
                count(x.ces) AS CesN, coalesce(sum(CAST(x.ces AS DOUBLE PRECISION)), 0.0) AS CesSum, 0 AS SentimentN, 0.0 AS SentimentSum
            FROM survey_responses x {customers} WHERE {responses} GROUP BY x.touchpoint_id
            UNION ALL
            SELECT x.touchpoint_id, 0, 0.0, 0, 0.0, 0, 0.0, count(*), coalesce(sum(t.sentiment), 0.0)
            FROM survey_responses x JOIN text_analyses t ON t.workspace_id = x.workspace_id AND t.item_kind = 'response' AND t.item_id = x.id {customers}
            WHERE {responses} GROUP BY x.touchpoint_id
            UNION ALL
            SELECT x.touchpoint_id, 0, 0.0, 0, 0.0, 0, 0.0, count(*), coalesce(sum(t.sentiment), 0.0)
            FROM signals x JOIN text_analyses t ON t.workspace_id = x.workspace_id AND t.item_kind = 'signal' AND t.item_id = x.id {customers}
            WHERE {signals} GROUP BY x.touchpoint_id
            """,
            parameters)).ToList();
        foreach (var row in rows)
        {
            if (touchpoints.TryGetValue(row.TouchpointId, out var stage))
            {
                var add = new StageFeedback(row.NpsN, row.NpsSum, row.CsatN, row.CsatSum, row.CesN, row.CesSum, row.SentimentN, row.SentimentSum);
                feedback[stage] = feedback.TryGetValue(stage, out var sum) ? sum.Plus(add) : add;
            }
        }

        return feedback;
    }

    private sealed class StageRow
    {
        public string Stage { get; set; } = "";

        public long Entered { get; set; }

        public long Converted { get; set; }

        public long Dropped { get; set; }
    }

    private sealed class WaitRow
    {
        public string Stage { get; set; } = "";

        public long Bucket { get; set; }

        public long Instances { get; set; }
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = "";

        public long Instances { get; set; }
    }

    private sealed class FeedbackRow
    {
        public long TouchpointId { get; set; }

        public long NpsN { get; set; }

        public double NpsSum { get; set; }

        public long CsatN { get; set; }

        public double CsatSum { get; set; }

        public long CesN { get; set; }

        public double CesSum { get; set; }

        public long SentimentN { get; set; }

        public double SentimentSum { get; set; }
    }
}
