using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Actions.Rules;

/// <summary>
/// Rules in the <c>rules</c> table. A rule acts on what happens after it is saved: it keeps the outbox and interaction
/// positions of its creation (history is for the dry-run). Deleting keeps the row (firings point to it) but ends it.
/// </summary>
public sealed class RuleStore(Database database, TimeProvider time)
{
    private const string Select =
        """
        SELECT id AS Id, workspace_id AS WorkspaceId, name AS Name, enabled AS Enabled, trigger_type AS TriggerType, schedule AS Schedule,
               condition AS Condition, actions AS Actions, cooldown_minutes AS CooldownMinutes, cooldown_scope AS CooldownScope, start_event_id AS StartEventId,
               start_interaction_id AS StartInteractionId, failures AS Failures, last_error AS LastError, last_error_at AS LastErrorAt,
               paused_at AS PausedAt, last_scheduled_at AS LastScheduledAt, created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM rules
        """;

    public async Task<StoredRule> CreateAsync(long workspaceId, RuleDefinition rule, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO rules (workspace_id, name, enabled, trigger_type, schedule, condition, actions, cooldown_minutes, cooldown_scope,
                               start_event_id, start_interaction_id, failures, last_scheduled_at, created_at, updated_at)
            VALUES (@workspaceId, @Name, @enabled, @Trigger, @Schedule, @Condition, @actions, @CooldownMinutes, @CooldownScope,
                    (SELECT COALESCE(MAX(id), 0) FROM events), (SELECT COALESCE(MAX(id), 0) FROM interactions), 0, @now, @now, @now)
            RETURNING id
            """,
            Parameters(workspaceId, rule, now));
        return (await GetAsync(connection, workspaceId, id, null))!;
    }

    /// <summary>Replaces the rule's definition; a paused rule starts again with no failures counted.</summary>
    public async Task<StoredRule?> UpdateAsync(long workspaceId, long id, RuleDefinition rule, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            """
            UPDATE rules SET name = @Name, enabled = @enabled, trigger_type = @Trigger, schedule = @Schedule, condition = @Condition, actions = @actions,
                             cooldown_minutes = @CooldownMinutes, cooldown_scope = @CooldownScope, failures = 0, paused_at = NULL, updated_at = @now
            WHERE workspace_id = @workspaceId AND id = @id AND deleted_at IS NULL
            """,
            WithId(Parameters(workspaceId, rule, now), id));
        return changed == 0 ? null : await GetAsync(connection, workspaceId, id, null);
    }

    public async Task<bool> DeleteAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE rules SET deleted_at = @now, enabled = 0 WHERE workspace_id = @workspaceId AND id = @id AND deleted_at IS NULL",
            new { workspaceId, id, now = time.GetUtcNow().ToUnixTimeMilliseconds() }) == 1;
    }

    public async Task<StoredRule?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, workspaceId, id, null);
    }

    /// <summary>The rule's run log (schedule rules), newest first, at most <see cref="RuleRuns.ListLimit"/>: what the API and the rule's page show.</summary>
    public async Task<IReadOnlyList<RuleRun>> RunsAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await RuleRuns.ListAsync(connection, workspaceId, id, cancellationToken);
    }

    /// <summary>Up to <paramref name="limit"/> of the rule's firings, newest first (see <see cref="RuleFirings.ListAsync"/>): what the API and the rule's page show.</summary>
    public async Task<IReadOnlyList<RuleFiring>> FiringsAsync(
        long workspaceId, long id, long? olderThan, long? newerThan, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await RuleFirings.ListAsync(connection, workspaceId, id, olderThan, newerThan, limit, cancellationToken);
    }

    /// <summary>How often the rule (already found in its workspace) fired in the last 24 hours and 7 days.</summary>
    public async Task<RuleFiringCounts> FiringCountsAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await RuleFirings.CountAsync(connection, id, time.GetUtcNow(), cancellationToken);
    }

    public async Task<IReadOnlyList<StoredRule>> ListAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<RuleRow>(new CommandDefinition(
            $"{Select} WHERE workspace_id = @workspaceId AND deleted_at IS NULL ORDER BY id", new { workspaceId }, cancellationToken: cancellationToken)))
            .Select(r => r.ToRule()).ToList();
    }

    /// <summary>The switched-on, unpaused rules of every workspace, read in the worker's transaction.</summary>
    public static async Task<IReadOnlyList<StoredRule>> ActiveAsync(DbConnection connection, DbTransaction? transaction) =>
        (await connection.QueryAsync<RuleRow>(
            $"{Select} WHERE enabled = 1 AND paused_at IS NULL AND deleted_at IS NULL ORDER BY id", transaction: transaction))
        .Select(r => r.ToRule()).ToList();

    internal static async Task<StoredRule?> GetAsync(DbConnection connection, long workspaceId, long id, DbTransaction? transaction) =>
        (await connection.QuerySingleOrDefaultAsync<RuleRow>(
            $"{Select} WHERE workspace_id = @workspaceId AND id = @id AND deleted_at IS NULL", new { workspaceId, id }, transaction))?.ToRule();

    private static object Parameters(long workspaceId, RuleDefinition rule, long now) => new
    {
        workspaceId,
        rule.Name,
        enabled = rule.Enabled ? 1 : 0,
        rule.Trigger,
        rule.Schedule,
        rule.Condition,
        actions = ActionsJson(rule.Actions),
        rule.CooldownMinutes,
        rule.CooldownScope,
        now,
    };

    private static DynamicParameters WithId(object parameters, long id)
    {
        var all = new DynamicParameters(parameters);
        all.Add("id", id);
        return all;
    }

    internal static string ActionsJson(IEnumerable<RuleAction> actions) =>
        new JsonArray(actions.Select(a =>
        {
            var item = new JsonObject { ["type"] = a.Type };
            foreach (var (key, value) in a.Settings)
            {
                item[key] = value?.DeepClone();
            }

            return (JsonNode)item;
        }).ToArray()).ToJsonString();

    private sealed class RuleRow
    {
        public long Id { get; set; }

        public long WorkspaceId { get; set; }

        public string Name { get; set; } = "";

        public long Enabled { get; set; }

        public string TriggerType { get; set; } = "";

        public string? Schedule { get; set; }

        public string? Condition { get; set; }

        public string Actions { get; set; } = "[]";

        public long? CooldownMinutes { get; set; }

        public string? CooldownScope { get; set; }

        public long StartEventId { get; set; }

        public long StartInteractionId { get; set; }

        public long Failures { get; set; }

        public string? LastError { get; set; }

        public long? LastErrorAt { get; set; }

        public long? PausedAt { get; set; }

        public long? LastScheduledAt { get; set; }

        public long CreatedAt { get; set; }

        public long UpdatedAt { get; set; }

        public StoredRule ToRule()
        {
            var actions = (JsonNode.Parse(Actions) as JsonArray ?? []).OfType<JsonObject>().Select(item =>
            {
                var settings = (JsonObject)item.DeepClone();
                var type = settings["type"]?.GetValue<string>() ?? "";
                settings.Remove("type");
                return new RuleAction(type, settings);
            }).ToList();
            return new StoredRule(
                Id, WorkspaceId,
                new RuleDefinition(Name, Enabled != 0, TriggerType, Schedule, Condition, actions, (int?)CooldownMinutes, CooldownScope ?? RuleCooldownScopes.Customer),
                StartEventId, StartInteractionId, (int)Failures, LastError, At(LastErrorAt), At(PausedAt), At(LastScheduledAt),
                DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
        }

        private static DateTimeOffset? At(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
    }
}
