namespace OpenCem.Actions.Cases;

/// <summary>
/// A change to a case's fields (PATCH): null leaves a field as it is. A new owner on a new case assigns it; a new team
/// without an owner hands the case to the team's assignment rule; a new priority or team recomputes the SLA due times
/// from the opening under the policy that now applies.
/// </summary>
public sealed record CaseChange(
    string? Title = null, string? Priority = null, string? Team = null, string? Owner = null, string? Reason = null, string? Skill = null,
    string? Outcome = null, string? OutcomeNote = null, string? ResolutionReason = null, IReadOnlyList<long>? LinkInteractions = null);

/// <summary>A move to another status (<c>POST /cases/{id}/transitions</c>), with what that status may need.</summary>
public sealed record CaseTransition(
    string To, string? Owner = null, string? Outcome = null, string? OutcomeNote = null, string? ResolutionReason = null, string? Note = null);

/// <summary>What a change came to: the case after it, or why it was refused (status 404, 409 or 422 and the field).</summary>
public sealed record CaseChangeResult(CaseView? Case, int Status = 200, string? Field = null, string? Message = null, IReadOnlyList<string>? Allowed = null)
{
    public static CaseChangeResult NotFound { get; } = new(null, 404, "id", "No case has this id.");

    public static CaseChangeResult Invalid(string field, string message) => new(null, 422, field, message);

    public static CaseChangeResult Conflict(string field, string message, IReadOnlyList<string>? allowed = null) => new(null, 409, field, message, allowed);
}
