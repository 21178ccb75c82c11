using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Actions.Events;

namespace OpenCem.Actions.Cases;

/// <summary>
/// Opens cases inside the caller's transaction, once per source key: routes them (the team's assignment rule, the SLA
/// policy's due times in business hours, <see cref="CaseRouting"/>), starts the audit trail, and reports each new case
/// to the outbox (<see cref="EventTypes.CaseOpened"/>) in the same transaction.
/// </summary>
public static class CaseOpener
{
    public const string NewStatus = CaseStatuses.New;

    /// <returns>The case's id, and whether this call opened it (false: a case with the source key existed).</returns>
    public static async Task<(long Id, bool Opened)> OpenAsync(DbConnection connection, DbTransaction? transaction, CaseOpening opening, long now)
    {
        if (opening.SourceKey is not null && await ExistingAsync(connection, transaction, opening) is { } known)
        {
            return (known, false);
        }

        var route = await CaseRouting.RouteAsync(
            connection, transaction, opening.WorkspaceId, opening.Priority, opening.Team, opening.Owner, opening.Skill, now, opening.SlaDueAt?.ToUnixTimeMilliseconds());
        var row = new
        {
            opening.WorkspaceId,
            opening.CustomerId,
            opening.Title,
            route.Status,
            now,
            opening.SourceKey,
            opening.Reason,
            opening.Priority,
            opening.Team,
            route.Owner,
            opening.ResponseId,
            opening.InteractionId,
            opening.TouchpointId,
            opening.RuleId,
            route.FirstResponseDueAt,
            route.ResolutionDueAt,
            nextDue = Math.Min(route.FirstResponseDueAt, route.ResolutionDueAt),
            opening.Skill,
        };
        var id = await connection.ExecuteScalarAsync<long?>(
            """
            INSERT INTO cases (workspace_id, customer_id, title, status, created_at, updated_at, source_key, reason, priority, team, owner,
                               response_id, interaction_id, touchpoint_id, rule_id, sla_due_at, first_response_due_at, next_due_at, skill)
            VALUES (@WorkspaceId, @CustomerId, @Title, @Status, @now, @now, @SourceKey, @Reason, @Priority, @Team, @Owner,
                    @ResponseId, @InteractionId, @TouchpointId, @RuleId, @ResolutionDueAt, @FirstResponseDueAt, @nextDue, @Skill)
            ON CONFLICT (workspace_id, source_key) WHERE source_key IS NOT NULL DO NOTHING
            RETURNING id
            """,
            row, transaction);
        if (id is null)
        {
            return (await ExistingAsync(connection, transaction, opening) ?? throw new InvalidOperationException("The conflicting case vanished."), false);
        }

        await CaseAudit.AppendAsync(connection, transaction, opening.WorkspaceId, id.Value, opening.Actor, now, ("status", null, route.Status), ("owner", null, route.Owner));
        var payload = JsonSerializer.Serialize(new
        {
            caseId = id.Value,
            opening.CustomerId,
            opening.Title,
            opening.Reason,
            opening.Priority,
            opening.Team,
            route.Owner,
            route.Status,
            opening.ResponseId,
            opening.InteractionId,
            opening.TouchpointId,
            opening.RuleId,
            firstResponseDueAt = DateTimeOffset.FromUnixTimeMilliseconds(route.FirstResponseDueAt),
            slaDueAt = DateTimeOffset.FromUnixTimeMilliseconds(route.ResolutionDueAt),
        }, JsonSerializerOptions.Web);
        await EventOutbox.AppendAsync(connection, transaction, new OutboxEvent(
            opening.WorkspaceId, EventTypes.CaseOpened, opening.CustomerId, id.Value, payload, DateTimeOffset.FromUnixTimeMilliseconds(now)), now);
        return (id.Value, true);
    }

    private static Task<long?> ExistingAsync(DbConnection connection, DbTransaction? transaction, CaseOpening opening) =>
        connection.ExecuteScalarAsync<long?>(
            "SELECT id FROM cases WHERE workspace_id = @WorkspaceId AND source_key = @SourceKey", new { opening.WorkspaceId, opening.SourceKey }, transaction);
}
