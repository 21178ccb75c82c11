namespace OpenCem.Analytics.Metrics;

/// <summary>Where a dimension's value comes from: the survey, the touchpoint catalogue, or the response's segment.</summary>
public enum DimensionSource
{
    Survey,
    Touchpoint,
    Segment,
}

/// <summary>
/// The dimensions metrics can be grouped and filtered by. <c>touchpoint</c>, <c>channel</c>, <c>journey</c> and
/// <c>stage</c> come from the response's touchpoint (journey and stage as the catalogue places it now);
/// <c>language</c>, <c>lifecycleStage</c>, <c>loyaltyState</c>, <c>trait.NAME</c> (a configured trait) and
/// <c>answer.NAME</c> (a single-choice question, e.g. the employee pulse's team) from the response's segment.
/// </summary>
public static class MetricDimensions
{
    public const string Touchpoint = "touchpoint";
    public const string Channel = "channel";
    public const string Journey = "journey";
    public const string Stage = "stage";
    public const string Survey = "survey";
    public const string Language = "language";
    public const string LifecycleStage = "lifecycleStage";
    public const string LoyaltyState = "loyaltyState";
    public const string TraitPrefix = "trait.";
    public const string AnswerPrefix = "answer.";

    public static readonly IReadOnlyList<string> Fixed = [Touchpoint, Channel, Journey, Stage, Survey, Language, LifecycleStage, LoyaltyState];

    /// <summary>The source of a dimension, or null (with a reason) when it is unknown or not rolled up.</summary>
    public static DimensionSource? Classify(string name, MetricsSettings settings, out string? error)
    {
        error = null;
        switch (name)
        {
            case Survey:
                return DimensionSource.Survey;
            case Touchpoint or Channel or Journey or Stage:
                return DimensionSource.Touchpoint;
            case Language or LifecycleStage or LoyaltyState:
                return DimensionSource.Segment;
        }

        if (name.StartsWith(TraitPrefix, StringComparison.Ordinal))
        {
            var trait = name[TraitPrefix.Length..];
            if (settings.Traits.Contains(trait, StringComparer.Ordinal))
            {
                return DimensionSource.Segment;
            }

            error = $"the trait \"{trait}\" is not rolled up; rolled-up traits: {string.Join(", ", settings.Traits.Select(t => TraitPrefix + t))}.";
            return null;
        }

        if (name.StartsWith(AnswerPrefix, StringComparison.Ordinal) && name.Length > AnswerPrefix.Length)
        {
            return DimensionSource.Segment;
        }

        error = $"unknown dimension \"{name}\"; use one of {string.Join(", ", Fixed)}, trait.NAME ({string.Join(", ", settings.Traits)}) or answer.QUESTION.";
        return null;
    }
}
