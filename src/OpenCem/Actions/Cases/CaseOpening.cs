namespace OpenCem.Actions.Cases;

/// <summary>
/// A request to open a case. <paramref name="SourceKey"/> names what caused it (e.g. <c>rule:7:event:1234</c>); a case
/// with the same key is opened once, however often the cause is processed (retries, two server processes, a crash).
/// <paramref name="SlaDueAt"/>, when given, overrides the policy's resolution due time; <paramref name="Skill"/> is what
/// assignment looks for in the team's agents; <paramref name="Actor"/> is who the audit trail names.
/// </summary>
public sealed record CaseOpening(
    long WorkspaceId,
    string Title,
    long? CustomerId = null,
    string? Reason = null,
    string Priority = CasePriorities.Normal,
    string? Team = null,
    string? Owner = null,
    long? ResponseId = null,
    long? InteractionId = null,
    long? TouchpointId = null,
    long? RuleId = null,
    string? SourceKey = null,
    DateTimeOffset? SlaDueAt = null,
    string? Skill = null,
    string Actor = "system");

public static class CasePriorities
{
    public const string Low = "low";
    public const string Normal = "normal";
    public const string High = "high";
    public const string Urgent = "urgent";

    public static readonly IReadOnlyList<string> All = [Low, Normal, High, Urgent];
}
