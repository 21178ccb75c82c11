namespace OpenCem.Actions.Cases;

/// <summary>
/// A request to open a case. <paramref name="SourceKey"/> names what caused it (e.g. <c>rule:7:event:1234</c>); a case
/// with the same key is opened once, however often the cause is processed (retries, two server processes, a crash).
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
    DateTimeOffset? SlaDueAt = null);

public static class CasePriorities
{
    public const string Low = "low";
    public const string Normal = "normal";
    public const string High = "high";
    public const string Urgent = "urgent";

    public static readonly IReadOnlyList<string> All = [Low, Normal, High, Urgent];
}
