using System.Text.Json.Serialization;

namespace OpenCem.Actions.Cases;

/// <summary>The filters of the case list; null means any.</summary>
public sealed record CaseQuery(
    string? Status = null, string? Team = null, string? Owner = null, string? Priority = null, long? CustomerId = null, bool? Breached = null,
    long? TouchpointId = null, long? After = null, int Limit = 100);

/// <summary>Open cases and, of them, those past an SLA deadline.</summary>
public sealed record CaseCounts(long Open, long Breached);

public sealed record CasePage(IReadOnlyList<CaseView> Cases, string? NextCursor);

/// <summary>A note on a case.</summary>
public sealed record CaseNote(long Id, string Author, string Text, DateTimeOffset CreatedAt);

/// <summary>One change in the audit trail: who changed which field from what to what, when.</summary>
public sealed record CaseAuditEntry(
    long Id, string Actor, string Field,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? From,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? To,
    DateTimeOffset At);

/// <summary>The response a case is about, with what its text analysis found.</summary>
public sealed record CaseResponse(
    long Id, long SurveyId, DateTimeOffset SubmittedAt, int? Nps, int? Csat, int? Ces, System.Text.Json.Nodes.JsonNode? Answers, string? Comment,
    IReadOnlyList<string> Themes);

public sealed record CaseInteraction(long Id, string? Event, DateTimeOffset OccurredAt, long? TouchpointId, string? Channel, string? Outcome);

public sealed record CaseCustomer(long Id, string? Name, IReadOnlyList<string> Identifiers);

/// <summary>A case with everything an agent needs on one page.</summary>
public sealed record CaseDetail(
    CaseView Case, IReadOnlyList<CaseNote> Notes, IReadOnlyList<CaseAuditEntry> Audit, CaseResponse? Response,
    IReadOnlyList<CaseInteraction> Interactions, CaseCustomer? Customer);
