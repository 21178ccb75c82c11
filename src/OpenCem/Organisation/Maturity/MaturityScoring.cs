namespace OpenCem.Organisation.Maturity;

/// <summary>
/// The index arithmetic (pure): criterion mean = mean over its assessors; element score = mean over its rated criteria of
/// the criterion means (so an assessor who rated more criteria does not weigh more); index = (mean of the rated elements'
/// scores − 1) / 4 × 100. Scores are rounded to 3 decimals and the index to 2 for presentation; flags are decided unrounded.
/// </summary>
public static class MaturityScoring
{
    /// <summary>Assessor element means this far apart (or more) are a disagreement worth discussing.</summary>
    public const double DisagreementPoints = 2;

    /// <summary>A self-rating this high next to a data band this low is contradicted.</summary>
    public const double HighRating = 4;

    public const int LowBand = 2;

    public static MaturityResult Score(
        MaturityCatalogue catalogue, IReadOnlyCollection<AssessmentRating> ratings, IReadOnlyDictionary<string, double> targets,
        IReadOnlyCollection<IndicatorMeasurement>? measurements = null)
    {
        var byCriterion = ratings.Where(r => catalogue.Criterion(r.Criterion) is not null).ToLookup(r => r.Criterion, StringComparer.Ordinal);
        var measured = (measurements ?? []).ToDictionary(m => m.Key, StringComparer.Ordinal);
        var elements = new List<ElementResult>();
        foreach (var element in catalogue.Elements)
        {
            var criteria = catalogue.CriteriaOf(element.Key).Select(c =>
            {
                var given = byCriterion[c.Key].ToList();
                return (Criterion: c, Ratings: given, Mean: given.Count > 0 ? given.Average(r => r.Rating) : (double?)null);
            }).ToList();
            var rated = criteria.Where(c => c.Mean is not null).ToList();
            double? score = rated.Count > 0 ? rated.Average(c => c.Mean!.Value) : null;
            var assessorMeans = rated.SelectMany(c => c.Ratings).GroupBy(r => r.Assessor, StringComparer.Ordinal)
                .Select(g => g.Average(r => r.Rating)).ToList();
            double? target = targets.TryGetValue(element.Key, out var t) ? t : null;
            var indicators = DataIndicators.Of(element.Key).Select(definition =>
            {
                var m = measured.GetValueOrDefault(definition.Key);
                var self = criteria.FirstOrDefault(c => c.Criterion.Key == definition.Criterion).Mean ?? score;
                var band = definition.Band(m?.Value);
                return new IndicatorResult(
                    definition.Key, definition.Criterion, definition.Name, definition.Definition, Round(m?.Value, 4), m?.Basis ?? 0, band, definition.Thresholds,
                    Round(self, 3), self >= HighRating && band <= LowBand);
            }).ToList();
            elements.Add(new ElementResult(
                element.Key, element.Name, element.NameDe, Round(score, 3), assessorMeans.Count, rated.Count, Spread(assessorMeans),
                target, score is { } s && target is { } goal ? Round(goal - s, 3) : null,
                indicators.Any(i => i.Contradicted),
                [.. criteria.Select(c => new CriterionResult(
                    c.Criterion.Key, c.Criterion.Name, Round(c.Mean, 3), c.Ratings.Count,
                    c.Ratings.Count > 0 ? c.Ratings.Min(r => r.Rating) : null, c.Ratings.Count > 0 ? c.Ratings.Max(r => r.Rating) : null))],
                indicators));
        }

        var scored = elements.Where(e => e.Score is not null).ToList();
        // The index from the unrounded scores: rounding each element first would move it by up to 0.0125 points per element.
        var exact = catalogue.Elements.Select(e => ElementScore(catalogue, byCriterion, e.Key)).Where(s => s is not null).ToList();
        double? index = exact.Count > 0 ? Round((exact.Average()!.Value - 1) / 4 * 100, 2) : null;
        return new MaturityResult(
            index, scored.Count == elements.Count, [.. elements.Where(e => e.Score is null).Select(e => e.Key)],
            ratings.Where(r => catalogue.Criterion(r.Criterion) is not null).Select(r => r.Assessor).Distinct(StringComparer.Ordinal).Count(),
            elements, Gaps(catalogue, elements));
    }

    /// <summary>Each element's score and the index of <paramref name="current"/> minus those of <paramref name="other"/>.</summary>
    public static MaturityComparison Compare(MaturityResult current, MaturityResult other)
    {
        var before = other.Elements.ToDictionary(e => e.Key, e => e.Score, StringComparer.Ordinal);
        return new MaturityComparison(
            current.Index is { } now && other.Index is { } then ? Round(now - then, 2) : null,
            [.. current.Elements.Select(e =>
            {
                var previous = before.GetValueOrDefault(e.Key);
                return new ElementChange(e.Key, e.Score, previous, e.Score is { } a && previous is { } b ? Round(a - b, 3) : null);
            })]);
    }

    /// <summary>The sample standard deviation of the assessors' element means, their lowest and highest; null without ratings.</summary>
    public static ElementSpread? Spread(IReadOnlyList<double> assessorMeans)
    {
        if (assessorMeans.Count == 0)
        {
            return null;
        }

        double? deviation = null;
        if (assessorMeans.Count > 1)
        {
            var mean = assessorMeans.Average();
            deviation = Math.Sqrt(assessorMeans.Sum(m => (m - mean) * (m - mean)) / (assessorMeans.Count - 1));
        }

        var (min, max) = (assessorMeans.Min(), assessorMeans.Max());
        return new ElementSpread(Round(deviation, 3), Round(min, 3)!.Value, Round(max, 3)!.Value, max - min >= DisagreementPoints);
    }

    private static IReadOnlyList<ElementGap> Gaps(MaturityCatalogue catalogue, IReadOnlyList<ElementResult> elements)
    {
        var order = catalogue.Elements.ToDictionary(e => e.Key, e => e.Order, StringComparer.Ordinal);
        return [.. elements.Where(e => e.Gap is not null)
            .OrderByDescending(e => e.Gap).ThenBy(e => order[e.Key])
            .Select((e, i) => new ElementGap(i + 1, e.Key, e.Name, e.Target!.Value, e.Score!.Value, e.Gap!.Value))];
    }

    private static double? ElementScore(MaturityCatalogue catalogue, ILookup<string, AssessmentRating> byCriterion, string element)
    {
        var means = catalogue.CriteriaOf(element).Select(c => byCriterion[c.Key].ToList()).Where(r => r.Count > 0).Select(r => r.Average(x => x.Rating)).ToList();
        return means.Count > 0 ? means.Average() : null;
    }

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits, MidpointRounding.AwayFromZero) : null;
}
