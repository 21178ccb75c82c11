namespace OpenCem.Feedback.Ideas;

public sealed record IdeaRequest(long? CustomerId, string? Title, string? Body, string? Language, long? CaseId);

public sealed record IdeaPatchRequest(string? Title, string? Body, string? Language, long? CaseId);

public sealed record VoteRequest(long? CustomerId);

public sealed record IdeaStatusRequest(string? Status, string? Answer, string? By);

public sealed record IdeaCommentRequest(long? CustomerId, string? Staff, string? Body);

public sealed record ModerationRequest(string? Decision);

public sealed record BoardLinkRequest(long? CustomerId, int? Days);

public sealed record BoardLinkResult(long CustomerId, string Url, DateTimeOffset ExpiresAt);
