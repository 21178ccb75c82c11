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
        var feedback = await RememberedFeedbackAsync(connection, workspaceId, touchpoints, query);
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
    // scenario at 10 million interactions): remembered per version of the instances and of the traits it read. The gap
    // ends open instances every few seconds somewhere; those are not read again: when instances have ended since, the
    // remembered open ones are looked up and counted as ended.
    private async Task<JourneyTally> RememberedTallyAsync(DbConnection connection, long workspaceId, JourneyInstanceBuilder journey, JourneyQueryOptions query)
    {
        if (cache is null)
        {
            return (await TallyInstancesAsync(connection, workspaceId, journey, query)).Tally;
        }

        var versions = await DataVersions.ReadAsync(connection, null, workspaceId, DataVersions.Journeys, DataVersions.Traits, DataVersions.JourneyEnds);
        var asked = string.Join("\n", query.Traits.Select(t => t.Text));
        var key = (typeof(JourneyQuery), workspaceId, JsonSerializer.Serialize(journey.Journey), journey.Gap, query.FromDay, query.ToDay, query.Channel, asked);
        var read = (versions[0], versions[1]);
        if (cache.TryGetValue(key, out RememberedTally? remembered) && remembered is not null && remembered.Read == read)
        {
            if (remembered.EndsVersion == versions[2])
            {
                return remembered.Tally;
            }

            remembered = await EndAsync(connection, journey, remembered, versions[2]);
        }
        else
        {
            var (tally, open) = await TallyInstancesAsync(connection, workspaceId, journey, query);
            remembered = new RememberedTally(tally, open, read, versions[2]);
        }

        cache.Set(key, remembered, RememberedResults.Sliding);
        return remembered.Tally;
    }

    /// <summary>The remembered tally with the open instances the gap has ended since counted as ended (a new tally: others may be reading the old one).</summary>
    private static async Task<RememberedTally> EndAsync(DbConnection connection, JourneyInstanceBuilder journey, RememberedTally remembered, long endsVersion)
    {
        var ended = new HashSet<long>();
        foreach (var chunk in remembered.Open.Select(i => i.Id).Chunk(2000))
        {
            ended.UnionWith(await connection.QueryAsync<long>(
                $"SELECT id FROM journey_instances WHERE {SqlLists.In(connection, "id", "chunk")} AND ended = 1", new { chunk }));
        }

        if (ended.Count == 0)
        {
            return remembered with { EndsVersion = endsVersion };
        }

        var tally = remembered.Tally.Copy();
        var open = new List<JourneyInstance>(remembered.Open.Count - ended.Count);
        foreach (var instance in remembered.Open)
        {
            if (!ended.Contains(instance.Id))
            {
                open.Add(instance);
                continue;
            }

            var closed = new JourneyInstance(instance.Channel) { Id = instance.Id, Ended = true };
            closed.Steps.AddRange(instance.Steps);
            tally.Add(instance, journey, -1, byCell: false);
            tally.Add(closed, journey, 1, byCell: false);
        }

        return remembered with { Tally = tally, Open = open, EndsVersion = endsVersion };
    }

    /// <summary>One per query (the versions it was read at are compared, not keyed: an older version's tally is never asked for again).</summary>
    private sealed record RememberedTally(JourneyTally Tally, List<JourneyInstance> Open, (long Journeys, long Traits) Read, long EndsVersion);

    // The emotion curve of a trait filter joins each response and signal at the stages to its customer: remembered per
    // version of the responses, the traits and the text analyses it read.
    private async Task<Dictionary<string, StageFeedback>> RememberedFeedbackAsync(
        DbConnection connection, long workspaceId, Dictionary<long, string> touchpoints, JourneyQueryOptions query)
    {
        if (cache is null || !query.Traits.Any())
        {
            return await FeedbackAsync(connection, workspaceId, touchpoints, query);
        }

        var stages = string.Join(",", touchpoints.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"));
        var asked = string.Join("\n", query.Traits.Select(t => t.Text));
        return await RememberedResults.GetAsync(cache, connection, workspaceId, [DataVersions.Responses, DataVersions.Traits, DataVersions.Text],
            (typeof(StageFeedback), workspaceId, stages, query.FromMs, query.ToMs, asked), () => FeedbackAsync(connection, workspaceId, touchpoints, query));
    }

    /// <summary>The tally of the instances the trait filter selects, and those of them still open.</summary>
    private static async Task<(JourneyTally Tally, List<JourneyInstance> Open)> TallyInstancesAsync(
        DbConnection connection, long workspaceId, JourneyInstanceBuilder journey, JourneyQueryOptions query)
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
        var open = new List<JourneyInstance>();
        foreach (var row in rows)
        {
            var instance = row.ToStored().Instance;
            tally.Add(instance, journey, 1, byCell: false);
            if (!instance.Ended)
            {
                open.Add(instance);
            }
        }

        return (tally, open);
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
