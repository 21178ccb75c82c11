using OpenCem.Organisation.Maturity;
using OpenCem.Storage;

namespace OpenCem.Demo;

/// <summary>
/// The demo company's two Customer Care Concept Index assessments, a year apart, by the same three assessors. Between
/// them the company worked on service processes and channels (where its initiatives aim), so those elements rise; in the
/// review the three rate "service levels kept" a 5, which the case SLA attainment in the data contradicts
/// (<see cref="ContradictedCriterion"/>). The head of service rates higher than the analyst, so some elements show a
/// disagreement. Ratings are drawn from the demo's seed.
/// </summary>
public static class DemoAssessments
{
    public const string BaselineName = "CCCI baseline";
    public const string ReviewName = "CCCI annual review";

    /// <summary>Rated 5 by every assessor in the review; the demo's SLA attainment puts the data in band 2 or lower.</summary>
    public const string ContradictedCriterion = "service-processes.sla";

    /// <summary>The elements that improve between the two assessments.</summary>
    public static readonly IReadOnlyList<string> Improved = ["service-processes", "channels-interaction"];

    private static readonly (string Name, string Role, double Bias)[] Assessors =
    [
        ("Sabine Keller", "Head of customer service", 0.6),
        ("Jonas Weber", "Operations manager", 0),
        ("Aylin Demir", "CX analyst", -0.6),
    ];

    /// <summary>The baseline level of each element (1–5) and how much it rises by the review.</summary>
    private static readonly Dictionary<string, (double Level, double Rise)> Elements = new()
    {
        ["vision-strategy"] = (3, 0.3),
        ["customer-insight"] = (2.8, 0.5),
        ["customer-participation"] = (2, 0),
        ["channels-interaction"] = (2.2, 1.4),
        ["service-processes"] = (2.2, 1.5),
        ["organisation"] = (2.8, 0),
        ["people"] = (3, 0.2),
        ["information-knowledge"] = (2.4, 0.3),
        ["technology"] = (3, 0.5),
        ["finance-performance"] = (2.2, 0.3),
    };

    private static readonly Dictionary<string, double> Targets = new()
    {
        ["vision-strategy"] = 4,
        ["customer-insight"] = 4,
        ["customer-participation"] = 3,
        ["channels-interaction"] = 4,
        ["service-processes"] = 4.5,
        ["organisation"] = 3.5,
        ["people"] = 4,
        ["information-knowledge"] = 3.5,
        ["technology"] = 4,
        ["finance-performance"] = 3.5,
    };

    /// <summary>Stores both assessments unless the workspace has them (by name).</summary>
    public static async Task CreateAsync(Database database, TimeProvider time, long workspaceId, DemoOptions options, CancellationToken cancellationToken)
    {
        var store = new AssessmentStore(database, time);
        var existing = (await store.ListAsync(workspaceId, cancellationToken)).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var review = options.ResolveAsOf().AddDays(-14);
        var rng = new Random(options.Seed ^ 0x0CCC_1000);
        foreach (var (name, at, year) in new[] { (BaselineName, review.AddYears(-1), 0), (ReviewName, review, 1) })
        {
            var ratings = Ratings(rng, at, year);
            if (existing.Contains(name))
            {
                continue;
            }

            var id = await store.CreateAsync(workspaceId, new NewAssessment(
                name, at, AssessmentStatuses.Open, year == 0 ? "Self-assessment workshop of the service management team." : "One year on: after the service-process and channel initiatives.",
                [.. Assessors.Select(a => new Assessor(a.Name, a.Role))], Targets), cancellationToken);
            await store.SaveRatingsAsync(workspaceId, id, ratings, cancellationToken);
            if (year == 0)
            {
                await store.UpdateAsync(workspaceId, id, new AssessmentChange(Status: AssessmentStatuses.Closed), cancellationToken);
            }
        }
    }

    private static List<AssessmentRating> Ratings(Random rng, DateTimeOffset at, int year)
    {
        var ratings = new List<AssessmentRating>();
        foreach (var criterion in MaturityCatalogue.Default.Criteria)
        {
            var (level, rise) = Elements[criterion.Element];
            var shared = (rng.NextDouble() - 0.5) * 0.8;
            foreach (var (name, _, bias) in Assessors)
            {
                var rating = (int)Math.Clamp(Math.Round(level + (year * rise) + bias + shared + ((rng.NextDouble() - 0.5) * 0.6)), 1, 5);
                string? evidence = null;
                if (year == 1 && criterion.Key == ContradictedCriterion)
                {
                    (rating, evidence) = (5, "Every team has an SLA now and the monthly service report is green.");
                }

                ratings.Add(new AssessmentRating(criterion.Key, name, rating, evidence, at.AddHours(2).ToUnixTimeMilliseconds()));
            }
        }

        return ratings;
    }
}
