using System.Data.Common;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Feedback.Distribution;

/// <summary>
/// The trigger scanner's storage: per workspace, a cursor (the last <c>interactions.id</c> considered, a
/// <c>workspace_counters</c> row) and the interactions after it at the watched touchpoints; which of them already
/// have an invitation; and on PostgreSQL a lock, so only one server process scans at a time.
/// </summary>
public sealed class TriggerFeed(Database database)
{
    public const string CursorName = "survey_trigger_cursor";
    private const long ScanLock = 727279;

    /// <summary>The cursors of the workspaces that have one.</summary>
    public async Task<Dictionary<long, long>> CursorsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(long WorkspaceId, long Value)>(new CommandDefinition(
            "SELECT workspace_id, value FROM workspace_counters WHERE name = @CursorName", new { CursorName }, cancellationToken: cancellationToken)))
        .ToDictionary(c => c.WorkspaceId, c => c.Value);

    public Task SaveCursorAsync(DbConnection connection, long workspaceId, long value, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO workspace_counters (workspace_id, name, value) VALUES (@workspaceId, @CursorName, @value)
            ON CONFLICT (workspace_id, name) DO UPDATE SET value = excluded.value
            """,
            new { workspaceId, CursorName, value }, cancellationToken: cancellationToken));

    /// <summary>Drops a workspace's cursor when it has no triggers, so triggers added later start from that moment.</summary>
    public Task DeleteCursorAsync(DbConnection connection, long workspaceId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM workspace_counters WHERE workspace_id = @workspaceId AND name = @CursorName",
            new { workspaceId, CursorName }, cancellationToken: cancellationToken));

    /// <summary>The largest interaction id of all workspaces (one look at the end of the primary key).</summary>
    public Task<long> MaxInteractionIdAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(id), 0) FROM interactions", cancellationToken: cancellationToken));

    /// <summary>
    /// Interactions of the workspace with <paramref name="after"/> &lt; id &lt;= <paramref name="upTo"/> at the touchpoints,
    /// in id order. The unary plus keeps the workspace's indexes out of the plan: without statistics SQLite would scan
    /// all of the workspace's interactions through one of them instead of the short primary-key range.
    /// </summary>
    public async Task<IReadOnlyList<TriggeredInteraction>> ReadAsync(
        DbConnection connection, long workspaceId, long after, long upTo, long[] touchpoints, int limit, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<TriggeredInteraction>(new CommandDefinition(
            $"""
            SELECT id AS Id, customer_id AS CustomerId, touchpoint_id AS TouchpointId, event AS Event, stage AS Stage, outcome AS Outcome, occurred_at AS OccurredAt
            FROM interactions
            WHERE id > @after AND id <= @upTo AND +workspace_id = @workspaceId AND {SqlLists.In(connection, "touchpoint_id", "touchpoints")}
            ORDER BY id LIMIT @limit
            """,
            new { workspaceId, after, upTo, touchpoints, limit }, cancellationToken: cancellationToken))).ToList();

    /// <summary>(survey, interaction) pairs that already have an invitation, in any status, suppressed included.</summary>
    public async Task<HashSet<(long SurveyId, long InteractionId)>> InvitedAsync(
        DbConnection connection, long workspaceId, long[] interactions, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(long SurveyId, long InteractionId)>(new CommandDefinition(
            $"SELECT survey_id, interaction_id FROM survey_invitations WHERE workspace_id = @workspaceId AND {SqlLists.In(connection, "interaction_id", "interactions")}",
            new { workspaceId, interactions }, cancellationToken: cancellationToken))).ToHashSet();

    /// <summary>
    /// Takes the scan lock on PostgreSQL (session-level, on <paramref name="connection"/>), false when another process
    /// holds it; always true on SQLite. Release with <see cref="UnlockAsync"/>.
    /// </summary>
    public async Task<bool> TryLockAsync(DbConnection connection, CancellationToken cancellationToken) =>
        database.Kind != DatabaseKind.Postgres
        || await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@ScanLock)", new { ScanLock }, cancellationToken: cancellationToken));

    public async Task UnlockAsync(DbConnection connection)
    {
        if (database.Kind == DatabaseKind.Postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@ScanLock)", new { ScanLock });
        }
    }
}
