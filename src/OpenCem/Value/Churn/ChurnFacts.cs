namespace OpenCem.Value.Churn;

/// <summary>
/// What is known about one customer up to a point in time, before it becomes numbers: traits as text, counts
/// (absent means zero), measures (absent means unknown: an average of nothing), the life-cycle stage, and the
/// touchpoints where the customer had a poor experience. <see cref="Churned"/> is the label, when one applies.
/// </summary>
public sealed class ChurnFacts(long customerId)
{
    public long CustomerId { get; } = customerId;

    public Dictionary<string, string> Traits { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, double> Counts { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, double> Measures { get; } = new(StringComparer.Ordinal);

    public string Lifecycle { get; set; } = Customers.LifecycleStage.Prospect;

    public double? TenureDays { get; set; }

    public HashSet<long> PoorTouchpoints { get; } = [];

    public bool Churned { get; set; }

    public void Add(string count, double by = 1) => Counts[count] = Counts.GetValueOrDefault(count) + by;
}

/// <summary>The names of behaviour features, in the product's words.</summary>
public static class ChurnFeatureNames
{
    public const string TenureDays = "tenure (days)";
    public const string Interactions = "interactions";
    public const string DaysSinceLastInteraction = "days since last interaction";
    public const string RepeatedFailures = "most failures of one step within 7 days";
    public const string MeanEffort = "mean effort (CES)";
    public const string LastNps = "last NPS";
    public const string MeanCsat = "mean CSAT";
    public const string MeanCes = "mean CES answer";
    public const string Responses = "survey responses";
    public const string MeanSentiment = "mean sentiment";
    public const string NegativeTexts = "negative comments and signals";
    public const string Cases = "cases";
    public const string OpenCases = "open cases";
    public const string Lifecycle = "life-cycle stage";

    public static string Channel(string channel) => $"interactions in {channel}";

    public static string Outcome(string outcome) => $"{outcome} interactions";

    public static string Failures(string touchpoint) => $"failures at {touchpoint}";

    public static string JourneyEffort(string journey) => $"mean effort in {journey}";
}
