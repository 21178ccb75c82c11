namespace OpenCem.Organisation.Maturity;

// The shapes of the request bodies, for the OpenAPI document only: the endpoints read the JSON themselves
// (AssessmentRequests) so that every problem names its field.

/// <summary>POST and PATCH <c>/assessments</c>: assessors as names or {name, role}; targets per element 1–5.</summary>
public sealed record AssessmentBody(
    string? Name, string? AssessedAt, string? Status, string? Notes, IReadOnlyList<Assessor>? Assessors, IReadOnlyDictionary<string, double>? Targets);

/// <summary>One rating of PUT <c>/assessments/{id}/ratings</c>.</summary>
public sealed record RatingBody(string Criterion, string Assessor, int Rating, string? Evidence);
