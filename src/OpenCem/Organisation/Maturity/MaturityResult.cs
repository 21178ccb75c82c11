namespace OpenCem.Organisation.Maturity;

/// <summary>
/// The Customer Care Concept Index of one assessment: 0–100 over the rated elements (<see cref="Complete"/> is false when
/// an element has no rating yet, listed in <see cref="Unrated"/>), each element's result and the gaps to target, largest first.
/// </summary>
public sealed record MaturityResult(
    double? Index, bool Complete, IReadOnlyList<string> Unrated, int Assessors, IReadOnlyList<ElementResult> Elements, IReadOnlyList<ElementGap> Gaps);

/// <summary>
/// An element's score (1–5: the mean over its rated criteria of each criterion's mean over assessors), how many assessors
/// rated it, how far they are apart, its target and gap, its criteria and the indicators measured from OpenCem's data.
/// </summary>
public sealed record ElementResult(
    string Key, string Name, string NameDe, double? Score, int AssessorCount, int CriteriaRated, ElementSpread? Spread, double? Target, double? Gap,
    bool Contradicted, IReadOnlyList<CriterionResult> Criteria, IReadOnlyList<IndicatorResult> Indicators);

/// <summary>
/// How far the assessors are apart on an element: over each assessor's mean of the element's criteria they rated, the
/// sample standard deviation (null with one assessor), the lowest and highest; <see cref="Disagreement"/> when those two
/// are 2 points or more apart.
/// </summary>
public sealed record ElementSpread(double? StandardDeviation, double Min, double Max, bool Disagreement);

/// <summary>A criterion's mean over its assessors (null when nobody rated it), with the number of ratings and their range.</summary>
public sealed record CriterionResult(string Key, string Name, double? Mean, int Ratings, int? Min, int? Max);

/// <summary>
/// A measurement from OpenCem's own data next to the self-rating: its value (a share 0–1; null without data), how many
/// items it rests on, the 1–5 band the value falls in by <see cref="Thresholds"/>, the self-rating it stands next to (its
/// criterion's mean, or the element's score when the criterion is unrated) and whether the data contradicts it
/// (self-rating 4 or more, band 2 or less).
/// </summary>
public sealed record IndicatorResult(
    string Key, string Criterion, string Name, string Definition, double? Value, long Basis, int? Band, IReadOnlyList<double> Thresholds,
    double? SelfRating, bool Contradicted);

/// <summary>Target minus score of an element (positive: still to go), ranked largest first.</summary>
public sealed record ElementGap(int Rank, string Element, string Name, double Target, double Score, double Gap);

/// <summary>How an assessment differs from an earlier (or any other) one: the index change and each element's change.</summary>
public sealed record MaturityComparison(double? IndexChange, IReadOnlyList<ElementChange> Elements);

public sealed record ElementChange(string Element, double? Score, double? OtherScore, double? Change);
