using System.Data.Common;
using Dapper;
using OpenCem.Feedback.Responses;
using OpenCem.Storage;

namespace OpenCem.Analytics.Metrics;

/// <summary>
/// The one updater of the metrics rollups. Every path that completes responses (the response writer behind the API,
/// intercept and demo, the CSV import, the respondent page) calls <see cref="AddAsync"/> in the transaction that
/// stores them, so the rollups never disagree with the responses; <see cref="RebuildAsync"/> recounts a workspace
/// from its stored responses (after migration 6, or on <c>opencem analytics rebuild</c>).
/// </summary>
public static partial class MetricRollup
{
    /// <summary>Workspace setting that asks for a rebuild at the next start (migration 6 sets it where responses exist).</summary>
    public const string RebuildSetting = "metrics_rebuild";

    private const int RebuildPage = 20_000;
    private const int FlushRows = 200_000;

    /// <summary>Counts newly stored, completed responses into the rollups (their customers' traits as they are now).</summary>
    public static async Task AddAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ResponseItem> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        var rows = new MetricRollupRows();
        foreach (var workspace in items.GroupBy(i => i.WorkspaceId))
        {
            var responses = workspace.Select(i => new StoredResponse
            {
                SurveyId = i.SurveyId,
                CustomerId = i.CustomerId,
                TouchpointId = i.TouchpointId,
                Channel = i.Channel,
                Language = i.Language,
                Answers = i.AnswersJson,
                Nps = i.Scores.Nps,
                Csat = i.Scores.Csat,
                Ces = i.Scores.Ces,
                SubmittedAt = i.SubmittedAt,
            }).ToList();
            await FoldAsync(connection, transaction, workspace.Key, responses, rows);
            await DataVersions.BumpAsync(connection, transaction, workspace.Key, DataVersions.Responses);
        }

        await MetricRollupWriter.WriteAsync(connection, transaction, rows);
    }

    /// <summary>Recounts a workspace's rollups from its completed responses, holding writers off meanwhile.</summary>
    public static async Task<long> RebuildAsync(OpenCem.Storage.Database database, long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await OpenCem.Customers.IdentityService.LockAsync(connection, transaction, database.Kind, workspaceId, shared: false);
        foreach (var cube in MetricCube.All)
        {
            await connection.ExecuteAsync($"DELETE FROM {cube.Table} WHERE workspace_id = @workspaceId", new { workspaceId }, transaction);
        }

        var rows = new MetricRollupRows();
        long after = 0, count = 0;
        while (true)
        {
            var page = (await connection.QueryAsync<StoredResponse>(
                """
                SELECT id AS Id, survey_id AS SurveyId, customer_id AS CustomerId, touchpoint_id AS TouchpointId, channel AS Channel, language AS Language,
                    answers AS Answers, nps AS Nps, csat AS Csat, ces AS Ces, submitted_at AS SubmittedAt
                FROM survey_responses WHERE workspace_id = @workspaceId AND status = 'completed' AND id > @after ORDER BY id LIMIT @limit
                """,
                new { workspaceId, after, limit = RebuildPage }, transaction)).ToList();
            if (page.Count == 0)
            {
                break;
            }

            after = page[^1].Id;
            count += page.Count;
            await FoldAsync(connection, transaction, workspaceId, page, rows);
            if (rows.Count >= FlushRows)
            {
                await MetricRollupWriter.WriteAsync(connection, transaction, rows);
                rows.Clear();
            }
        }

        await MetricRollupWriter.WriteAsync(connection, transaction, rows);
        await connection.ExecuteAsync("DELETE FROM workspace_settings WHERE workspace_id = @workspaceId AND name = @name", new { workspaceId, name = RebuildSetting }, transaction);
        await DataVersions.BumpAsync(connection, transaction, workspaceId, DataVersions.Responses);
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    /// <summary>Rebuilds the workspaces migration 6 (or a settings change) marked; called at start-up.</summary>
    public static async Task RebuildPendingAsync(OpenCem.Storage.Database database, CancellationToken cancellationToken = default)
    {
        List<long> pending;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            pending = (await connection.QueryAsync<long>("SELECT workspace_id FROM workspace_settings WHERE name = @name", new { name = RebuildSetting })).ToList();
        }

        foreach (var workspaceId in pending)
        {
            await RebuildAsync(database, workspaceId, cancellationToken);
        }
    }

    private static async Task FoldAsync(DbConnection connection, DbTransaction transaction, long workspaceId, List<StoredResponse> responses, MetricRollupRows rows)
    {
        var settings = await MetricsSettingsStore.ReadAsync(connection, transaction, workspaceId);
        var definitions = (await MetricSurveys.ListAsync(connection, transaction, workspaceId, responses.Select(r => r.SurveyId).Distinct().ToArray()))
            .ToDictionary(s => s.Id, s => s.Definition);
        var customers = new Dictionary<long, Dictionary<string, string>>();
        var customerIds = responses.Where(r => r.CustomerId is not null).Select(r => r.CustomerId!.Value).Distinct().ToArray();
        foreach (var chunk in customerIds.Chunk(1000))
        {
            foreach (var (id, traits) in await connection.QueryAsync<(long, string?)>(
                $"SELECT id, traits FROM customers WHERE {OpenCem.Storage.SqlLists.In(connection, "id", "ids")}", new { ids = chunk }, transaction))
            {
                customers[id] = ResponseFacts.CustomerDimensions(traits, settings);
            }
        }

        var facts = new List<MetricResponse>(responses.Count);
        var numbers = new List<AnswerFact>();
        var choices = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var none = new Dictionary<string, string>();
        foreach (var response in responses)
        {
            if (definitions.GetValueOrDefault(response.SurveyId) is not { } definition)
            {
                continue;
            }

            ResponseFacts.Read(definition, response.Answers, response.Nps, response.Csat, response.Ces, numbers, choices);
            var customer = response.CustomerId is { } c ? customers.GetValueOrDefault(c) ?? none : none;
            var dimensions = ResponseFacts.SegmentDimensions(response.Language, customer, choices);
            facts.Add(new MetricResponse(
                workspaceId, response.SurveyId, response.SubmittedAt, response.TouchpointId, response.Channel,
                System.Text.Json.JsonSerializer.Serialize(dimensions), dimensions, numbers.ToArray()));
        }

        var segments = await MetricSegments.ResolveAsync(connection, transaction, workspaceId, facts.Select(f => f.SegmentKey).ToHashSet(StringComparer.Ordinal));
        foreach (var fact in facts)
        {
            rows.Fold(fact, segments[fact.SegmentKey]);
        }
    }

    /// <summary>A stored response as the rollup reads it (a class with setters: the providers' integer widths differ).</summary>
    private sealed class StoredResponse
    {
        public long Id { get; set; }

        public long SurveyId { get; set; }

        public long? CustomerId { get; set; }

        public long? TouchpointId { get; set; }

        public string? Channel { get; set; }

        public string? Language { get; set; }

        public string Answers { get; set; } = "{}";

        public int? Nps { get; set; }

        public int? Csat { get; set; }

        public int? Ces { get; set; }

        public long SubmittedAt { get; set; }
    }
}
