namespace OpenCem.Customers.Personas;

/// <summary>A text in the dashboard's two languages.</summary>
public sealed record BilingualText(string En, string De)
{
    public string In(string language) => language.StartsWith("de", StringComparison.OrdinalIgnoreCase) ? De : En;
}

/// <summary>How far a persona's centre lies from everyone on one feature: its typical value, everyone's mean, and the z-score.</summary>
public sealed record FeatureContrast(string Feature, double Value, double Overall, double Z);

public sealed record ChannelShare(string Channel, double Share);

public sealed record TouchpointUse(string Touchpoint, string Name, string Channel, string? Journey, long Interactions, double CustomerShare);

public sealed record JourneyUse(string Journey, long Interactions, double CustomerShare);

/// <summary>A theme the persona talks about: mentions, how many were positive and negative, and the mean sentiment.</summary>
public sealed record ThemeFeeling(string Theme, long Mentions, long Positive, long Negative, double Sentiment);

/// <summary>A comment by one of the customers closest to the persona's centre (the "own words" of a typical member).</summary>
public sealed record RepresentativeComment(long CustomerId, string Text, string? Language, double Distance, double? Sentiment);

/// <summary>The generated, factual profile of one persona of a run.</summary>
public sealed record PersonaProfile(
    int Number,
    string Key,
    BilingualText Name,
    long Size,
    double Share,
    double ValueShare,
    IReadOnlyList<FeatureContrast> Separating,
    IReadOnlyList<FeatureContrast> Features,
    IReadOnlyList<ChannelShare> Channels,
    IReadOnlyList<TouchpointUse> Touchpoints,
    IReadOnlyList<JourneyUse> Journeys,
    IReadOnlyList<ThemeFeeling> Delights,
    IReadOnlyList<ThemeFeeling> Pains,
    IReadOnlyList<RepresentativeComment> Comments,
    BilingualText Summary);

/// <summary>What the database says about one persona's members beyond their features (read once assignments are stored).</summary>
public sealed record PersonaEvidence(
    IReadOnlyList<TouchpointUse> Touchpoints,
    IReadOnlyList<ThemeFeeling> Themes,
    IReadOnlyList<RepresentativeComment> Comments);
