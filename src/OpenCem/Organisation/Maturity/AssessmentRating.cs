namespace OpenCem.Organisation.Maturity;

/// <summary>One assessor's rating (1–5) of one criterion, with the evidence they point to; one per assessor and criterion.</summary>
public sealed record AssessmentRating(string Criterion, string Assessor, int Rating, string? Evidence = null, long RatedAt = 0);

/// <summary>The states of an assessment: being prepared, open for ratings, closed (its ratings are final).</summary>
public static class AssessmentStatuses
{
    public const string Draft = "draft";
    public const string Open = "open";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [Draft, Open, Closed];
}
