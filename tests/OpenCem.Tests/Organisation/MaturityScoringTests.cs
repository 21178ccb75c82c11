using OpenCem.Organisation.Maturity;

namespace OpenCem.Tests.Organisation;

/// <summary>The index arithmetic on hand-computed cases.</summary>
public sealed class MaturityScoringTests
{
    private static readonly MaturityCatalogue Catalogue = MaturityCatalogue.Default;

    private static AssessmentRating R(string criterion, string assessor, int rating) => new(criterion, assessor, rating);

    /// <summary>
    /// Service processes: sla 5/3/4 (mean 4), complaint recovery 2/2 (mean 2) → 3.0; customer insight: feedback loop 5/1 (3),
    /// analytics 4 → 3.5; technology: integration 5 → 5. Index = ((3 + 3.5 + 5) / 3 − 1) / 4 × 100 = 70.83.
    /// </summary>
    private static readonly AssessmentRating[] Ratings =
    [
        R("service-processes.sla", "ana", 5), R("service-processes.sla", "ben", 3), R("service-processes.sla", "cem", 4),
        R("service-processes.complaint-recovery", "ana", 2), R("service-processes.complaint-recovery", "ben", 2),
        R("customer-insight.feedback-loop", "ana", 5), R("customer-insight.feedback-loop", "ben", 1),
        R("customer-insight.analytics", "ana", 4),
        R("technology.integration", "ana", 5),
    ];

    [Fact]
    public void Score_PartlyRated_ElementMeansOfCriterionMeansAndIndexOverRatedElements()
    {
        var result = MaturityScoring.Score(Catalogue, Ratings, new Dictionary<string, double>());

        Assert.Equal(70.83, result.Index);
        Assert.False(result.Complete);
        Assert.Equal(7, result.Unrated.Count);
        Assert.Contains("people", result.Unrated);
        Assert.Equal(3, result.Assessors);
        var service = Element(result, "service-processes");
        Assert.Equal(3.0, service.Score);
        Assert.Equal(2, service.CriteriaRated);
        Assert.Equal(3, service.AssessorCount);
        Assert.Equal(4.0, service.Criteria.Single(c => c.Key == "service-processes.sla").Mean);
        Assert.Equal((3, 5), (service.Criteria[0].Min, service.Criteria[0].Max));
        Assert.Null(service.Criteria.Single(c => c.Key == "service-processes.first-contact-resolution").Mean);
        Assert.Equal(3.5, Element(result, "customer-insight").Score);
        Assert.Null(Element(result, "people").Score);
        Assert.Null(Element(result, "people").Spread);
    }

    [Fact]
    public void Score_Spread_SampleDeviationAndRangeOfAssessorMeans()
    {
        var result = MaturityScoring.Score(Catalogue, Ratings, new Dictionary<string, double>());

        // Assessor means on service processes: ana (5 + 2) / 2 = 3.5, ben 2.5, cem 4; sd = sqrt(((1/6)² + (5/6)² + (2/3)²) / 2) = 0.764.
        var service = Element(result, "service-processes").Spread!;
        Assert.Equal(0.764, service.StandardDeviation);
        Assert.Equal((2.5, 4.0), (service.Min, service.Max));
        Assert.False(service.Disagreement);
        // Customer insight: ana 4.5, ben 1: 3.5 points apart, sd = 3.5 / sqrt 2 = 2.475.
        var insight = Element(result, "customer-insight").Spread!;
        Assert.Equal(2.475, insight.StandardDeviation);
        Assert.True(insight.Disagreement);
        // One assessor: no deviation, no disagreement.
        var technology = Element(result, "technology").Spread!;
        Assert.Null(technology.StandardDeviation);
        Assert.False(technology.Disagreement);
    }

    [Fact]
    public void Spread_TwoPointsApart_IsADisagreement()
    {
        Assert.True(MaturityScoring.Spread([2, 4])!.Disagreement);
        Assert.False(MaturityScoring.Spread([2, 3.99])!.Disagreement);
        Assert.Null(MaturityScoring.Spread([]));
    }

    [Fact]
    public void Score_Targets_GapsRankedLargestFirstTiesByElementOrder()
    {
        var targets = new Dictionary<string, double> { ["service-processes"] = 4, ["customer-insight"] = 4.5, ["technology"] = 4, ["people"] = 3 };

        var result = MaturityScoring.Score(Catalogue, Ratings, targets);

        // Customer insight 4.5 − 3.5 = 1 and service processes 4 − 3 = 1 tie: customer insight is the earlier element.
        Assert.Equal(
            [(1, "customer-insight", 1.0), (2, "service-processes", 1.0), (3, "technology", -1.0)],
            result.Gaps.Select(g => (g.Rank, g.Element, g.Gap)).ToArray());
        var people = Element(result, "people");
        Assert.Equal(3, people.Target);
        Assert.Null(people.Gap);
    }

    [Fact]
    public void Score_EveryElementRated_CompleteAndMappedTo0To100()
    {
        var lowest = Catalogue.Elements.Select(e => R(Catalogue.CriteriaOf(e.Key).First().Key, "ana", 1)).ToList();
        var highest = Catalogue.Elements.Select(e => R(Catalogue.CriteriaOf(e.Key).First().Key, "ana", 5)).ToList();
        // Half the elements at 2, half at 4: mean 3 → 50.
        var middle = Catalogue.Elements.Select((e, i) => R(Catalogue.CriteriaOf(e.Key).First().Key, "ana", i % 2 == 0 ? 2 : 4)).ToList();

        var result = MaturityScoring.Score(Catalogue, lowest, new Dictionary<string, double>());
        Assert.True(result.Complete);
        Assert.Empty(result.Unrated);
        Assert.Equal(0, result.Index);
        Assert.Equal(100, MaturityScoring.Score(Catalogue, highest, new Dictionary<string, double>()).Index);
        Assert.Equal(50, MaturityScoring.Score(Catalogue, middle, new Dictionary<string, double>()).Index);
    }

    [Fact]
    public void Score_NoRatings_NoIndex()
    {
        var result = MaturityScoring.Score(Catalogue, [], new Dictionary<string, double>());

        Assert.Null(result.Index);
        Assert.False(result.Complete);
        Assert.Equal(10, result.Unrated.Count);
        Assert.Empty(result.Gaps);
    }

    [Fact]
    public void Score_Indicators_HighSelfRatingOverLowBandIsContradicted()
    {
        IndicatorMeasurement[] measured =
        [
            new(DataIndicators.SlaAttainment, 0.57, 7157),
            new(DataIndicators.RecoveryRate, 0.5, 2841),
            new(DataIndicators.KnownInteractions, 0.1, 1000),
            new(DataIndicators.ScoredCustomers, null, 0),
            new(DataIndicators.AnalysedTexts, 0.3, 100),
        ];

        var result = MaturityScoring.Score(Catalogue, Ratings, new Dictionary<string, double>(), measured);

        // SLA 0.57 reaches the first cut (0.5) only: band 2, next to the SLA criterion's mean of 4 → contradicted.
        var sla = Indicator(result, "service-processes", DataIndicators.SlaAttainment);
        Assert.Equal((2, 4.0, true), (sla.Band, sla.SelfRating!.Value, sla.Contradicted));
        Assert.Equal(7157, sla.Basis);
        // Recovery 0.5 reaches 0.15, 0.3 and 0.45: band 4.
        Assert.Equal((4, false), (Indicator(result, "service-processes", DataIndicators.RecoveryRate).Band, Indicator(result, "service-processes", DataIndicators.RecoveryRate).Contradicted));
        Assert.True(Element(result, "service-processes").Contradicted);
        // Its criterion unrated, an indicator stands next to the element's score: 3.5 is not high, 5 is.
        var known = Indicator(result, "customer-insight", DataIndicators.KnownInteractions);
        Assert.Equal((1, 3.5, false), (known.Band, known.SelfRating!.Value, known.Contradicted));
        var texts = Indicator(result, "technology", DataIndicators.AnalysedTexts);
        Assert.Equal((2, 5.0, true), (texts.Band, texts.SelfRating!.Value, texts.Contradicted));
        // No data: no band, never contradicted.
        var scored = Indicator(result, "customer-insight", DataIndicators.ScoredCustomers);
        Assert.Equal((null, false), (scored.Band, scored.Contradicted));
        Assert.False(Element(result, "customer-insight").Contradicted);
    }

    [Fact]
    public void Band_CutPointsInclusive()
    {
        var sla = DataIndicators.All.Single(i => i.Key == DataIndicators.SlaAttainment);

        Assert.Equal([1, 2, 2, 3, 4, 5, 5], new double?[] { 0.4999, 0.5, 0.69, 0.7, 0.85, 0.95, 1 }.Select(v => sla.Band(v)!.Value).ToArray());
        Assert.Null(sla.Band(null));
        Assert.Null(IndicatorMeasurement.Share("x", 1, 0, 0).Value);
        Assert.Equal(0.25, IndicatorMeasurement.Share("x", 1, 4, 4).Value);
    }

    [Fact]
    public void Compare_ChangesPerElementAndIndex()
    {
        var before = MaturityScoring.Score(Catalogue, [R("service-processes.sla", "ana", 2), R("people.training", "ana", 3)], new Dictionary<string, double>());
        var after = MaturityScoring.Score(Catalogue, Ratings, new Dictionary<string, double>());

        var change = MaturityScoring.Compare(after, before);

        // Before: (2 + 3) / 2 = 2.5 → 37.5; after 70.83.
        Assert.Equal(37.5, before.Index);
        Assert.Equal(33.33, change.IndexChange);
        var service = change.Elements.Single(e => e.Element == "service-processes");
        Assert.Equal((3.0, 2.0, 1.0), (service.Score!.Value, service.OtherScore!.Value, service.Change!.Value));
        Assert.Null(change.Elements.Single(e => e.Element == "people").Change);
        Assert.Null(change.Elements.Single(e => e.Element == "customer-insight").Change);
    }

    [Fact]
    public void Catalogue_TenElementsEachWithThreeToFiveCriteriaStableKeys()
    {
        Assert.Equal(10, Catalogue.Elements.Count);
        Assert.Equal(
            ["vision-strategy", "customer-insight", "customer-participation", "channels-interaction", "service-processes", "organisation", "people",
             "information-knowledge", "technology", "finance-performance"],
            Catalogue.Elements.Select(e => e.Key).ToArray());
        Assert.All(Catalogue.Elements, e => Assert.InRange(Catalogue.CriteriaOf(e.Key).Count(), 3, 5));
        Assert.All(Catalogue.Criteria, c => Assert.StartsWith(c.Element + ".", c.Key, StringComparison.Ordinal));
        Assert.All(Catalogue.Criteria, c => Assert.All(new[] { c.Name, c.NameDe, c.Level1, c.Level3, c.Level5 }, t => Assert.False(string.IsNullOrWhiteSpace(t))));
        Assert.Equal(Catalogue.Criteria.Count, Catalogue.Criteria.Select(c => c.Key).Distinct().Count());
        // Every indicator speaks to a criterion of its element.
        Assert.All(DataIndicators.All, i => Assert.Equal(i.Element, Catalogue.Criterion(i.Criterion)!.Element));
        Assert.All(DataIndicators.All, i => Assert.Equal(4, i.Thresholds.Count));
    }

    private static ElementResult Element(MaturityResult result, string key) => result.Elements.Single(e => e.Key == key);

    private static IndicatorResult Indicator(MaturityResult result, string element, string key) => Element(result, element).Indicators.Single(i => i.Key == key);
}
