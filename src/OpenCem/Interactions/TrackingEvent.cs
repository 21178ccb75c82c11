namespace OpenCem.Interactions;

/// <summary>The kinds of call in the Segment tracking spec.</summary>
public enum TrackingCallType
{
    Track,
    Identify,
    Page,
    Screen,
    Group,
    Alias,
}

/// <summary>How an interaction ended, from <c>properties.outcome</c>.</summary>
public enum InteractionOutcome
{
    Success,
    Failure,
    Abandoned,
}

/// <summary>
/// One validated tracking call, ready to be stored as an interaction. Produced by
/// <see cref="TrackingEventParser"/> from the wire format and by the demo generator directly.
/// </summary>
public sealed record TrackingEvent
{
    public required TrackingCallType Type { get; init; }

    /// <summary>The client's idempotency key; unique per workspace.</summary>
    public required string MessageId { get; init; }

    public string? UserId { get; init; }

    public string? AnonymousId { get; init; }

    /// <summary>The event name for track, the page or screen name for page and screen, null otherwise.</summary>
    public string? EventName { get; init; }

    /// <summary>When it happened at the customer, corrected for the client's clock skew.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>
    /// The timestamp exactly as the client sent it (before clock-skew correction), or null. Clients keep it
    /// unchanged when they retry, so together with <see cref="MessageId"/> it identifies a retried call; and being
    /// nearly in time order, it keeps the uniqueness index appending instead of writing a random page per event.
    /// </summary>
    public DateTimeOffset? ClientTimestamp { get; init; }

    /// <summary>A touchpoint key from <c>properties.touchpoint</c>; overrides the catalogue's event mapping.</summary>
    public string? TouchpointKey { get; init; }

    /// <summary>A channel named by the event itself (<c>properties.channel</c>), used when no touchpoint says.</summary>
    public string? Channel { get; init; }

    public InteractionOutcome? Outcome { get; init; }

    public double? Effort { get; init; }

    public double? Revenue { get; init; }

    public double? Cost { get; init; }

    /// <summary>The remaining properties (or traits for identify and group) as a JSON object, or null.</summary>
    public string? PropertiesJson { get; init; }

    /// <summary>The Segment <c>context</c> object as JSON, or null.</summary>
    public string? ContextJson { get; init; }

    /// <summary>Traits to merge into the customer's profile (identify traits), as a JSON object, or null.</summary>
    public string? TraitsJson { get; init; }

    /// <summary>The earlier identifier an alias call links to <see cref="UserId"/>.</summary>
    public string? PreviousId { get; init; }

    /// <summary>The group (account) id of a group call.</summary>
    public string? GroupId { get; init; }

    /// <summary>The size of the event on the wire, in bytes.</summary>
    public int SizeInBytes { get; init; }
}
