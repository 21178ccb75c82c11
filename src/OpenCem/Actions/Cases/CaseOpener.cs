using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Actions.Events;

namespace OpenCem.Actions.Cases;

/// <summary>
/// Opens cases inside the caller's transaction, once per source key, and reports each new case to the outbox
/// (<see cref="EventTypes.CaseOpened"/>) in the same transaction.
/// </summary>
public static class CaseOpener
{
    public const string NewStatus = "new";

    /// <returns>The case's id, and whether this call opened it (false: a case with the source key existed).</returns>
    public static async Task<(long Id, bool Opened)> OpenAsync(DbConnection connection, DbTransaction? transaction, CaseOpening opening, long now)
    {
        var row = new
        {
            opening.WorkspaceId,
            opening.CustomerId,
            opening.Title,
            status = NewStatus,
            now,
            opening.SourceKey,
            opening.Reason,
            opening.Priority,
            opening.Team,
            opening.Owner,
            opening.ResponseId,
            opening.InteractionId,
            opening.TouchpointId,
            opening.RuleId,
            slaDueAt = opening.SlaDueAt?.ToUnixTimeMilliseconds(),
        };
        var id = await connection.ExecuteScalarAsync<long?>(
            """
            INSERT INTO cases (workspace_id, customer_id, title, status, created_at, updated_at, source_key, reason, priority, team, owner,
                               response_id, interaction_id, touchpoint_id, rule_id, sla_due_at)
            VALUES (@WorkspaceId, @CustomerId, @Title, @status, @now, @now, @SourceKey, @Reason, @Priority, @Team, @Owner,
                    @ResponseId, @InteractionId, @TouchpointId, @RuleId, @slaDueAt)
            ON CONFLICT (workspace_id, source_key) WHERE source_key IS NOT NULL DO NOTHING
            RETURNING id
            """,
            row, transaction);
        if (id is null)
        {
            var existing = await connection.ExecuteScalarAsync<long>(
                "SELECT id FROM cases WHERE workspace_id = @WorkspaceId AND source_key = @SourceKey", row, transaction);
            return (existing, false);
        }

        var payload = JsonSerializer.Serialize(new
        {
            caseId = id.Value,
            opening.CustomerId,
            opening.Title,
            opening.Reason,
            opening.Priority,
            opening.Team,
            opening.Owner,
            opening.ResponseId,
            opening.InteractionId,
            opening.TouchpointId,
            opening.RuleId,
            slaDueAt = opening.SlaDueAt,
        }, JsonSerializerOptions.Web);
        await EventOutbox.AppendAsync(connection, transaction, new OutboxEvent(
            opening.WorkspaceId, EventTypes.CaseOpened, opening.CustomerId, id.Value, payload, DateTimeOffset.FromUnixTimeMilliseconds(now)), now);
        return (id.Value, true);
    }
}
