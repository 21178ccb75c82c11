namespace OpenCem.Organisation.Maturity;

/// <summary>
/// <c>GET /api/v1/assessments/{id}/index</c>: the index, whether every element is rated, the elements with their
/// criteria and data indicators, the gaps ranked, the elements whose high self-rating the data contradicts and, with
/// <c>compareTo</c>, the change against another assessment.
/// </summary>
public sealed record AssessmentIndexView(
    long Id, string Name, DateTimeOffset AssessedAt, string Status, DateTimeOffset IndicatorsAsOf, double? Index, bool Complete,
    IReadOnlyList<string> Unrated, int Assessors, IReadOnlyList<ElementResult> Elements, IReadOnlyList<ElementGap> Gaps,
    IReadOnlyList<string> Contradicted, AssessmentChangeView? Comparison);

/// <summary>The other assessment and this one's change against it (this minus other).</summary>
public sealed record AssessmentChangeView(long Id, string Name, DateTimeOffset AssessedAt, double? Index, double? IndexChange, IReadOnlyList<ElementChange> Elements);

/// <summary>Reads an assessment's ratings and targets and the data indicators at its date, and scores them (<see cref="MaturityScoring"/>).</summary>
public sealed class AssessmentIndex(AssessmentStore store, IndicatorReader indicators, TimeProvider time)
{
    public MaturityCatalogue Catalogue { get; } = MaturityCatalogue.Default;

    /// <summary>Null when the workspace has no assessment <paramref name="id"/>; <paramref name="compareTo"/> must exist (the caller checks).</summary>
    public async Task<AssessmentIndexView?> ReadAsync(long ws, long id, long? compareTo = null, CancellationToken cancellationToken = default)
    {
        if (await ScoreAsync(ws, id, withIndicators: true, cancellationToken) is not var (assessment, result, asOf))
        {
            return null;
        }

        AssessmentChangeView? comparison = null;
        if (compareTo is { } otherId && await ScoreAsync(ws, otherId, withIndicators: false, cancellationToken) is var (other, otherResult, _))
        {
            var change = MaturityScoring.Compare(result, otherResult);
            comparison = new AssessmentChangeView(other.Id, other.Name, other.AssessedAt, otherResult.Index, change.IndexChange, change.Elements);
        }

        return new AssessmentIndexView(
            assessment.Id, assessment.Name, assessment.AssessedAt, assessment.Status, asOf, result.Index, result.Complete, result.Unrated, result.Assessors,
            result.Elements, result.Gaps, [.. result.Elements.Where(e => e.Contradicted).Select(e => e.Key)], comparison);
    }

    private async Task<(Assessment Assessment, MaturityResult Result, DateTimeOffset AsOf)?> ScoreAsync(long ws, long id, bool withIndicators, CancellationToken cancellationToken)
    {
        var assessment = await store.GetAsync(ws, id, cancellationToken);
        if (assessment is null)
        {
            return null;
        }

        var ratings = await store.RatingsAsync(ws, id, cancellationToken) ?? [];
        // An assessment dated in the future is measured on the data there is now.
        var now = time.GetUtcNow();
        var asOf = assessment.AssessedAt < now ? assessment.AssessedAt : now;
        var measured = withIndicators ? await indicators.ReadAsync(ws, asOf, cancellationToken) : [];
        return (assessment, MaturityScoring.Score(Catalogue, ratings, assessment.Targets, measured), asOf);
    }
}
