namespace OpenCem.Interactions;

/// <summary>A stage of a journey, in order (e.g. fault reported → diagnosis → technician visit → resolved).</summary>
public sealed record JourneyStage(string Key, string Name);

/// <summary>A customer journey: an ordered list of stages that touchpoints belong to.</summary>
public sealed record Journey(string Key, string Name, string? Description, IReadOnlyList<JourneyStage> Stages);

/// <summary>
/// A place where the customer meets the company: a key, a name, the channel it happens in, the journey stage it
/// belongs to, and the tracking event names that are recorded as interactions at it.
/// </summary>
public sealed record Touchpoint(long Id, string Key, string Name, string Channel, string? Journey, string? Stage, IReadOnlyList<string> Events);

public static class Channels
{
    /// <summary>The channels a touchpoint can be in.</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        "web", "app", "email", "phone", "shop", "chat", "social", "field", "mail", "kiosk", "sms", "messaging", "video", "partner", "other",
    ];

    public static bool IsKnown(string channel) => Known.Contains(channel);
}
