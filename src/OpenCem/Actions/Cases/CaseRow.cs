namespace OpenCem.Actions.Cases;

/// <summary>A row of <c>cases</c> as Dapper reads it (setters: integer widths differ between the databases).</summary>
public sealed class CaseRow
{
    public const string Columns = """
        id AS Id, workspace_id AS WorkspaceId, customer_id AS CustomerId, title AS Title, status AS Status, priority AS Priority, team AS Team,
        owner AS Owner, reason AS Reason, skill AS Skill, source_key AS SourceKey, response_id AS ResponseId, interaction_id AS InteractionId,
        touchpoint_id AS TouchpointId, rule_id AS RuleId, created_at AS CreatedAt, updated_at AS UpdatedAt, first_response_due_at AS FirstResponseDueAt,
        first_response_at AS FirstResponseAt, sla_due_at AS ResolutionDueAt, next_due_at AS NextDueAt, breached_at AS BreachedAt, breach AS Breach,
        escalation_level AS EscalationLevel, resolved_at AS ResolvedAt, closed_at AS ClosedAt, outcome AS Outcome, outcome_note AS OutcomeNote,
        resolution_reason AS ResolutionReason, recovery AS Recovery, recovery_measured_at AS RecoveryMeasuredAt, sla_paused_at AS SlaPausedAt
        """;

    public long Id { get; set; }

    public long WorkspaceId { get; set; }

    public long? CustomerId { get; set; }

    public string Title { get; set; } = "";

    public string Status { get; set; } = CaseStatuses.New;

    public string Priority { get; set; } = CasePriorities.Normal;

    public string? Team { get; set; }

    public string? Owner { get; set; }

    public string? Reason { get; set; }

    public string? Skill { get; set; }

    public string? SourceKey { get; set; }

    public long? ResponseId { get; set; }

    public long? InteractionId { get; set; }

    public long? TouchpointId { get; set; }

    public long? RuleId { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public long? FirstResponseDueAt { get; set; }

    public long? FirstResponseAt { get; set; }

    public long? ResolutionDueAt { get; set; }

    public long? NextDueAt { get; set; }

    public long? BreachedAt { get; set; }

    public string? Breach { get; set; }

    public long EscalationLevel { get; set; }

    public long? ResolvedAt { get; set; }

    public long? ClosedAt { get; set; }

    public string? Outcome { get; set; }

    public string? OutcomeNote { get; set; }

    public string? ResolutionReason { get; set; }

    public string? Recovery { get; set; }

    public long? RecoveryMeasuredAt { get; set; }

    /// <summary>When the case started waiting for the customer: its SLA clock stands still until it moves on.</summary>
    public long? SlaPausedAt { get; set; }

    public CaseView ToView(long now) => new(
        Id, Title, Status, Priority, Team, Owner, Reason, Skill, CustomerId, ResponseId, InteractionId, TouchpointId, RuleId, SourceKey,
        (int)EscalationLevel, Time(CreatedAt)!.Value, Time(UpdatedAt)!.Value, Time(FirstResponseDueAt), Time(FirstResponseAt), Time(ResolutionDueAt),
        Time(ResolvedAt), Time(ClosedAt), Outcome, OutcomeNote, ResolutionReason, Recovery, Breach,
        SlaClock.Of(Status, FirstResponseAt, FirstResponseDueAt, ResolutionDueAt, BreachedAt, now, SlaPausedAt));

    private static DateTimeOffset? Time(long? ms) => ms is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms.Value);
}

/// <summary>A case as the API shows it, with its SLA clock at the time of the request.</summary>
public sealed record CaseView(
    long Id, string Title, string Status, string Priority, string? Team, string? Owner, string? Reason, string? Skill, long? CustomerId,
    long? ResponseId, long? InteractionId, long? TouchpointId, long? RuleId, string? SourceKey, int EscalationLevel, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? FirstResponseDueAt, DateTimeOffset? FirstResponseAt, DateTimeOffset? ResolutionDueAt,
    DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt, string? Outcome, string? OutcomeNote, string? ResolutionReason, string? Recovery,
    string? Breach, SlaClock Sla);
