using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using OpenCem.Actions.Events;
using OpenCem.Actions.Notifications;

namespace OpenCem.Actions.Cases;

/// <summary>
/// Escalation levels of breached cases. The breach (level 1, <see cref="CaseClock.BreachAsync"/>) fixes the plan of the
/// further levels from the SLA policy; each level then fires in its own transaction through a conditional UPDATE
/// (… WHERE escalation_level = the level before), so with two server processes it fires exactly once: the second
/// process's UPDATE waits for the first's row lock and then matches nothing. Each level writes the audit trail, appends
/// <see cref="EventTypes.CaseEscalated"/> and queues its notifications in that transaction.
/// </summary>
public static class CaseEscalations
{
    /// <summary>Open statuses in which escalations run; a case waiting for the customer has its clock stopped.</summary>
    private const string Running = $"('{CaseStatuses.New}', '{CaseStatuses.Assigned}', '{CaseStatuses.InProgress}')";

    /// <summary>At the breach, in its transaction: plans levels 2, 3, … and reports level 1.</summary>
    internal static async Task PlanAsync(
        DbConnection connection, DbTransaction transaction, CaseRow row, SlaPolicy policy, BusinessCalendar calendar, long missedDueAt, long now)
    {
        var plan = EscalationPlan.For(policy.Escalations, calendar, missedDueAt, (int)row.EscalationLevel);
        await connection.ExecuteAsync(
            "UPDATE cases SET escalation_plan = @plan, next_escalation_at = @next WHERE workspace_id = @WorkspaceId AND id = @Id",
            new { plan = plan.Count == 0 ? null : EscalationPlan.Write(plan), next = plan.FirstOrDefault()?.At, row.WorkspaceId, row.Id }, transaction);
        await ReportAsync(connection, transaction, row, policy.BreachNotify ?? [], now);
    }

    /// <summary>Cases whose next escalation level is due, oldest first.</summary>
    public static async Task<IReadOnlyList<(long WorkspaceId, long Id)>> DueAsync(DbConnection connection, long now, int limit) =>
        (await connection.QueryAsync<(long, long)>(
            $"SELECT workspace_id, id FROM cases WHERE next_escalation_at IS NOT NULL AND next_escalation_at <= @now AND status IN {Running} ORDER BY next_escalation_at LIMIT @limit",
            new { now, limit })).ToList();

    /// <summary>Fires the case's next due level, unless another process did first (or it is not due). True when this call fired it.</summary>
    public static async Task<bool> EscalateAsync(DbConnection connection, long workspaceId, long id, long now, CancellationToken cancellationToken = default)
    {
        var state = await connection.QuerySingleOrDefaultAsync<PlanRow>(
            "SELECT escalation_level AS Level, escalation_plan AS PlanJson FROM cases WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id });
        if (state is null || EscalationPlan.After(EscalationPlan.Read(state.PlanJson), (int)state.Level) is not { } step || step.At > now)
        {
            return false;
        }

        var plan = EscalationPlan.Read(state.PlanJson);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var marked = await connection.ExecuteAsync(
            $"""
            UPDATE cases SET escalation_level = @level, next_escalation_at = @next
            WHERE workspace_id = @workspaceId AND id = @id AND escalation_level = @previous AND next_escalation_at <= @now AND status IN {Running}
            """,
            new { workspaceId, id, level = step.Level, previous = state.Level, next = EscalationPlan.After(plan, step.Level)?.At, now }, transaction);
        if (marked == 0)
        {
            return false;
        }

        var row = (await CaseReader.RowAsync(connection, transaction, workspaceId, id))!;
        var before = CaseChanges.SnapshotOf(row);
        before["escalationLevel"] = state.Level.ToString(CultureInfo.InvariantCulture);
        if (step.RaisePriority)
        {
            row.Priority = SlaPolicy.Raise(row.Priority);
        }

        await CaseChanges.SaveAsync(connection, transaction, row, before, "sla", now, note: null, reopened: false, EventTypes.CaseEscalated);
        await NotifyAsync(connection, transaction, row, step.Notify, now);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Level 1 as an event of its own next to <see cref="EventTypes.CaseSlaBreached"/>, so a rule on escalations sees every level.</summary>
    private static async Task ReportAsync(DbConnection connection, DbTransaction transaction, CaseRow row, IReadOnlyList<string> notify, long now)
    {
        var payload = JsonSerializer.Serialize(
            new { caseId = row.Id, row.Status, row.Priority, row.Team, row.Owner, row.EscalationLevel, actor = "sla", breach = row.Breach }, JsonSerializerOptions.Web);
        await EventOutbox.AppendAsync(connection, transaction, new OutboxEvent(
            row.WorkspaceId, EventTypes.CaseEscalated, row.CustomerId, row.Id, payload, DateTimeOffset.FromUnixTimeMilliseconds(now)), now);
        await NotifyAsync(connection, transaction, row, notify, now);
    }

    private static async Task NotifyAsync(DbConnection connection, DbTransaction transaction, CaseRow row, IReadOnlyList<string> recipients, long now)
    {
        var subject = $"Case #{row.Id} escalated to level {row.EscalationLevel}: {row.Title}";
        var body = string.Create(
            CultureInfo.InvariantCulture,
            $"Case #{row.Id} \"{row.Title}\" missed its SLA and is at escalation level {row.EscalationLevel}.\nStatus: {row.Status}. Priority: {row.Priority}. Team: {row.Team ?? "none"}. Owner: {row.Owner ?? "nobody"}.\n");
        foreach (var recipient in recipients.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            await NotificationQueue.EnqueueAsync(connection, transaction, row.WorkspaceId, null, recipient, subject, body, now);
        }
    }

    private sealed class PlanRow
    {
        public long Level { get; set; }

        public string? PlanJson { get; set; }
    }
}
