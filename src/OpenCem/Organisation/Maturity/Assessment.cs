namespace OpenCem.Organisation.Maturity;

public sealed record Assessor(string Name, string? Role = null);

/// <summary>An assessment: when the organisation was assessed, its state and notes, who assesses and the targets per element (1–5).</summary>
public sealed record Assessment(
    long Id, string Name, DateTimeOffset AssessedAt, string Status, string? Notes, IReadOnlyList<Assessor> Assessors,
    IReadOnlyDictionary<string, double> Targets, long Ratings, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>An assessment in the list: its counts instead of its assessors and targets.</summary>
public sealed record AssessmentSummary(long Id, string Name, DateTimeOffset AssessedAt, string Status, string? Notes, long Assessors, long Ratings);

/// <summary>A stored rating, with the element its criterion belongs to.</summary>
public sealed record RatingView(string Criterion, string? Element, string Assessor, int Rating, string? Evidence, DateTimeOffset RatedAt);

/// <summary>What a new assessment starts with.</summary>
public sealed record NewAssessment(
    string Name, DateTimeOffset AssessedAt, string Status = AssessmentStatuses.Open, string? Notes = null,
    IReadOnlyList<Assessor>? Assessors = null, IReadOnlyDictionary<string, double>? Targets = null);

/// <summary>The fields a PATCH changes; null leaves a field as it is (<see cref="ClearNotes"/> empties the notes).</summary>
public sealed record AssessmentChange(string? Name = null, DateTimeOffset? AssessedAt = null, string? Status = null, string? Notes = null, bool ClearNotes = false, IReadOnlyList<Assessor>? Assessors = null);
