using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using OpenCem.Actions.Events;
using OpenCem.Storage;

namespace OpenCem.Actions.Cases;

/// <summary>
/// Every change to a case: its fields, its status, notes. Each runs in one transaction with the row locked, writes the
/// audit trail, appends <see cref="EventTypes.CaseUpdated"/> to the outbox and, when a case closes, counts it in the
/// recovery rollup.
/// </summary>
public sealed class CaseChanges(Database database, TimeProvider time)
{
    public async Task<CaseChangeResult> PatchAsync(long workspaceId, long id, CaseChange change, string actor, CancellationToken cancellationToken = default)
    {
        foreach (var (field, value, allowed) in new[] { ("priority", change.Priority, CasePriorities.All), ("outcome", change.Outcome, CaseOutcomes.All) })
        {
            if (value is not null && !allowed.Contains(value))
            {
                return CaseChangeResult.Invalid(field, $"must be one of {string.Join(", ", allowed)}.");
            }
        }

        if (change.Title is { } title && string.IsNullOrWhiteSpace(title))
        {
            return CaseChangeResult.Invalid("title", "must not be empty.");
        }

        return await ChangeAsync(workspaceId, id, actor, cancellationToken, async (connection, transaction, row, now) =>
        {
            if (row.Status == CaseStatuses.Closed)
            {
                return CaseChangeResult.Conflict("status", "A closed case does not change any more.");
            }

            var before = Snapshot(row);
            row.Title = change.Title ?? row.Title;
            row.Reason = change.Reason ?? row.Reason;
            row.Skill = change.Skill ?? row.Skill;
            row.Outcome = change.Outcome ?? row.Outcome;
            row.OutcomeNote = change.OutcomeNote ?? row.OutcomeNote;
            row.ResolutionReason = change.ResolutionReason ?? row.ResolutionReason;
            var rerouted = (change.Priority is not null && change.Priority != row.Priority) || (change.Team is not null && change.Team != row.Team);
            row.Priority = change.Priority ?? row.Priority;
            if (change.Team is not null && change.Team != row.Team)
            {
                row.Team = change.Team;
                row.Owner = change.Owner ?? await AssignAsync(connection, transaction, row, now);
            }
            else
            {
                row.Owner = change.Owner ?? row.Owner;
            }

            if (rerouted)
            {
                var route = await CaseRouting.RouteAsync(connection, transaction, workspaceId, row.Priority, row.Team, row.Owner, row.Skill, row.CreatedAt, null, assign: false);
                row.FirstResponseDueAt = route.FirstResponseDueAt;
                row.ResolutionDueAt = route.ResolutionDueAt;
            }

            if (row.Status == CaseStatuses.New && row.Owner is not null)
            {
                row.Status = CaseStatuses.Assigned;
            }

            foreach (var interaction in change.LinkInteractions ?? [])
            {
                await LinkAsync(connection, transaction, row, "interaction", interaction);
            }

            return await SaveAsync(connection, transaction, row, before, actor, now, null);
        });
    }

    public async Task<CaseChangeResult> TransitionAsync(long workspaceId, long id, CaseTransition transition, string actor, CancellationToken cancellationToken = default)
    {
        if (!CaseStatuses.All.Contains(transition.To))
        {
            return CaseChangeResult.Invalid("to", $"must be one of {string.Join(", ", CaseStatuses.All)}.");
        }

        if (transition.Outcome is not null && !CaseOutcomes.All.Contains(transition.Outcome))
        {
            return CaseChangeResult.Invalid("outcome", $"must be one of {string.Join(", ", CaseOutcomes.All)}.");
        }

        return await ChangeAsync(workspaceId, id, actor, cancellationToken, async (connection, transaction, row, now) =>
        {
            if (!CaseWorkflow.IsAllowed(row.Status, transition.To))
            {
                var allowed = CaseWorkflow.AllowedFrom(row.Status);
                return CaseChangeResult.Conflict(
                    "to",
                    $"A case in status {row.Status} cannot move to {transition.To}; allowed: {(allowed.Count == 0 ? "none (the case is closed)" : string.Join(", ", allowed))}.",
                    allowed);
            }

            var before = Snapshot(row);
            row.Owner = transition.Owner ?? row.Owner;
            if (transition.To == CaseStatuses.Assigned)
            {
                row.Owner ??= await AssignAsync(connection, transaction, row, now);
                if (row.Owner is null)
                {
                    return CaseChangeResult.Invalid("owner", "Assigning needs an owner: name one, or give the case a team with an agent who has room.");
                }
            }

            row.Outcome = transition.Outcome ?? row.Outcome;
            row.OutcomeNote = transition.OutcomeNote ?? row.OutcomeNote;
            row.ResolutionReason = transition.ResolutionReason ?? row.ResolutionReason;
            if (transition.To == CaseStatuses.Closed && row.Outcome is null)
            {
                return CaseChangeResult.Invalid("outcome", $"Closing a case records its outcome: one of {string.Join(", ", CaseOutcomes.All)}.");
            }

            if (row.FirstResponseAt is null && CaseStatuses.CountsAsResponse(transition.To))
            {
                row.FirstResponseAt = now;
            }

            await PauseOrResumeAsync(connection, transaction, row, transition.To, now);
            row.ResolvedAt = transition.To == CaseStatuses.Resolved ? now : transition.To == CaseStatuses.Closed ? row.ResolvedAt ?? now : null;
            row.ClosedAt = transition.To == CaseStatuses.Closed ? now : null;
            row.Status = transition.To;
            return await SaveAsync(connection, transaction, row, before, actor, now, transition.Note, CaseWorkflow.IsReopen(before["status"]!, transition.To));
        });
    }

    public async Task<CaseChangeResult> AddNoteAsync(long workspaceId, long id, string text, string author, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return CaseChangeResult.Invalid("text", "must not be empty.");
        }

        return await ChangeAsync(workspaceId, id, author, cancellationToken, (connection, transaction, row, now) =>
            SaveAsync(connection, transaction, row, Snapshot(row), author, now, text));
    }

    private async Task<CaseChangeResult> ChangeAsync(
        long workspaceId, long id, string actor, CancellationToken cancellationToken, Func<DbConnection, DbTransaction, CaseRow, long, Task<CaseChangeResult>> change)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await CaseReader.RowAsync(connection, transaction, workspaceId, id, forUpdate: true) is not { } row)
        {
            return CaseChangeResult.NotFound;
        }

        var result = await change(connection, transaction, row, now);
        if (result.Status == 200)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Waiting for the customer stops the SLA clock; moving on restarts it with the working time that was left, so an
    /// agent is not held to a due time while the customer has the ball.
    /// </summary>
    private static async Task PauseOrResumeAsync(DbConnection connection, DbTransaction transaction, CaseRow row, string to, long now)
    {
        if (to == CaseStatuses.WaitingForCustomer)
        {
            row.SlaPausedAt ??= now;
            return;
        }

        if (row.SlaPausedAt is { } pausedAt)
        {
            var (_, _, calendar) = await CaseRouting.PolicyAsync(connection, transaction, row.WorkspaceId, row.Priority, row.Team);
            row.ResolutionDueAt = SlaClock.Resume(calendar, pausedAt, now, row.ResolutionDueAt);
            row.SlaPausedAt = null;
        }
    }

    private static async Task<string?> AssignAsync(DbConnection connection, DbTransaction transaction, CaseRow row, long now)
    {
        var team = row.Team is null ? null : (await CaseSetupStore.TeamsAsync(connection, transaction, row.WorkspaceId)).FirstOrDefault(t => t.Key == row.Team);
        return await CaseRouting.AssignAsync(connection, transaction, row.WorkspaceId, team, row.Skill, now);
    }

    private static Task LinkAsync(DbConnection connection, DbTransaction transaction, CaseRow row, string kind, long target) =>
        connection.ExecuteAsync(
            "INSERT INTO case_links (workspace_id, case_id, kind, target_id) VALUES (@WorkspaceId, @Id, @kind, @target) ON CONFLICT DO NOTHING",
            new { row.WorkspaceId, row.Id, kind, target }, transaction);

    /// <summary>The fields the audit trail follows, as text.</summary>
    private static Dictionary<string, string?> Snapshot(CaseRow row) => new(StringComparer.Ordinal)
    {
        ["status"] = row.Status,
        ["title"] = row.Title,
        ["priority"] = row.Priority,
        ["team"] = row.Team,
        ["owner"] = row.Owner,
        ["reason"] = row.Reason,
        ["skill"] = row.Skill,
        ["outcome"] = row.Outcome,
        ["outcomeNote"] = row.OutcomeNote,
        ["resolutionReason"] = row.ResolutionReason,
        ["escalationLevel"] = row.EscalationLevel.ToString(CultureInfo.InvariantCulture),
        ["firstResponseDueAt"] = row.FirstResponseDueAt?.ToString(CultureInfo.InvariantCulture),
        ["resolutionDueAt"] = row.ResolutionDueAt?.ToString(CultureInfo.InvariantCulture),
    };

    private static Task<CaseChangeResult> SaveAsync(
        DbConnection connection, DbTransaction transaction, CaseRow row, Dictionary<string, string?> before, string actor, long now, string? note, bool reopened = false) =>
        SaveAsync(connection, transaction, row, before, actor, now, note, reopened, EventTypes.CaseUpdated);

    /// <summary>Writes the row, the audit trail of what differs from <paramref name="before"/>, the note, the event and the rollup.</summary>
    internal static async Task<CaseChangeResult> SaveAsync(
        DbConnection connection, DbTransaction transaction, CaseRow row, Dictionary<string, string?> before, string actor, long now, string? note, bool reopened,
        string eventType)
    {
        var after = Snapshot(row);
        var changes = after.Where(a => before[a.Key] != a.Value).Select(a => (Field: a.Key, From: before[a.Key], To: a.Value)).ToList();
        if (reopened)
        {
            changes.Add(("reopened", null, "true"));
        }

        row.NextDueAt = row.BreachedAt is null ? SlaClock.NextDue(row.Status, row.FirstResponseAt, row.FirstResponseDueAt, row.ResolutionDueAt) : null;
        row.UpdatedAt = now;
        await connection.ExecuteAsync(
            """
            UPDATE cases SET title = @Title, status = @Status, priority = @Priority, team = @Team, owner = @Owner, reason = @Reason, skill = @Skill,
                outcome = @Outcome, outcome_note = @OutcomeNote, resolution_reason = @ResolutionReason, escalation_level = @EscalationLevel,
                first_response_due_at = @FirstResponseDueAt, first_response_at = @FirstResponseAt, sla_due_at = @ResolutionDueAt, next_due_at = @NextDueAt,
                breached_at = @BreachedAt, breach = @Breach, resolved_at = @ResolvedAt, closed_at = @ClosedAt, updated_at = @UpdatedAt,
                sla_paused_at = @SlaPausedAt
            WHERE workspace_id = @WorkspaceId AND id = @Id
            """,
            row, transaction);
        await CaseAudit.AppendAsync(connection, transaction, row.WorkspaceId, row.Id, actor, now, [.. changes]);
        if (note is not null)
        {
            await connection.ExecuteAsync(
                "INSERT INTO case_notes (workspace_id, case_id, author, text, created_at) VALUES (@WorkspaceId, @Id, @actor, @note, @now)",
                new { row.WorkspaceId, row.Id, actor, note, now }, transaction);
        }

        if (before["status"] != CaseStatuses.Closed && row.Status == CaseStatuses.Closed)
        {
            await CaseRecoveryRollup.CountClosedAsync(connection, transaction, row);
        }

        var payload = JsonSerializer.Serialize(new
        {
            caseId = row.Id,
            row.Status,
            row.Priority,
            row.Team,
            row.Owner,
            row.EscalationLevel,
            actor,
            changes = changes.Select(c => new { field = c.Field, from = c.From, to = c.To }),
            note,
        }, JsonSerializerOptions.Web);
        await EventOutbox.AppendAsync(connection, transaction, new OutboxEvent(
            row.WorkspaceId, eventType, row.CustomerId, row.Id, payload, DateTimeOffset.FromUnixTimeMilliseconds(now)), now);
        return new CaseChangeResult(row.ToView(now));
    }

    internal static Dictionary<string, string?> SnapshotOf(CaseRow row) => Snapshot(row);
}
