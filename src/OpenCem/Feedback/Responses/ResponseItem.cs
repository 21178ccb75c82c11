using OpenCem.Customers;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Responses;

/// <summary>How a respondent is known: a profile id, or identifiers to look up (userId, e-mail, customer number ...).</summary>
public sealed record Respondent(long? CustomerId, IReadOnlyList<Identifier> Identifiers)
{
    public static Respondent Anonymous { get; } = new(null, []);

    public bool IsAnonymous => CustomerId is null && Identifiers.Count == 0;
}

/// <summary>A validated, complete response waiting for its commit; the writer fills in what it stored.</summary>
public sealed class ResponseItem
{
    public required long WorkspaceId { get; init; }

    public required long SurveyId { get; init; }

    public required Respondent Respondent { get; init; }

    public long? InvitationId { get; init; }

    public long? InteractionId { get; init; }

    public long? TouchpointId { get; init; }

    public string? Channel { get; init; }

    public string? Language { get; init; }

    /// <summary>Where the answer came from: api, import, web, intercept.</summary>
    public required string Source { get; init; }

    /// <summary>The caller's id for the response; a second submission with the same id is a no-op.</summary>
    public string? ExternalId { get; init; }

    public required string AnswersJson { get; init; }

    public required ResponseScores Scores { get; init; }

    public required long SubmittedAt { get; init; }

    /// <summary>An employee survey's response: stored without respondent and never reported as an event (<see cref="AnonymousResponses"/>).</summary>
    public bool Anonymous { get; init; }

    /// <summary>The stored response's id (set by the writer).</summary>
    public long Id { get; set; }

    /// <summary>The profile the response was stored against (set by the writer; null when anonymous).</summary>
    public long? CustomerId { get; set; }

    /// <summary>True when an earlier submission with the same external id was already stored.</summary>
    public bool Duplicate { get; set; }
}
