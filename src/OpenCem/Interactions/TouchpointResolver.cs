namespace OpenCem.Interactions;

/// <summary>Where an interaction happened, as decided at ingestion time and stored with it.</summary>
public readonly record struct InteractionPlacement(long? TouchpointId, string? Channel, string? JourneyKey, string? Stage);

/// <summary>
/// Places an event in the catalogue: <c>properties.touchpoint</c> wins, then the event name mapping; page
/// calls default to the web channel and screen calls to the app channel. Unmapped events keep no touchpoint.
/// Pure and immutable: one instance is a snapshot of a workspace's catalogue.
/// </summary>
public sealed class TouchpointResolver
{
    private readonly Dictionary<string, Touchpoint> _byKey;
    private readonly Dictionary<string, Touchpoint> _byEvent;

    public TouchpointResolver(IEnumerable<Touchpoint> touchpoints)
    {
        _byKey = new(StringComparer.OrdinalIgnoreCase);
        _byEvent = new(StringComparer.OrdinalIgnoreCase);
        foreach (var touchpoint in touchpoints)
        {
            _byKey[touchpoint.Key] = touchpoint;
            foreach (var name in touchpoint.Events)
            {
                _byEvent.TryAdd(name, touchpoint);
            }
        }
    }

    public static TouchpointResolver Empty { get; } = new([]);

    /// <summary>A touchpoint by its key (case-insensitive), or null.</summary>
    public Touchpoint? Find(string key) => _byKey.GetValueOrDefault(key);

    public InteractionPlacement Place(TrackingEvent trackingEvent)
    {
        Touchpoint? touchpoint = null;
        if (trackingEvent.TouchpointKey is { } key)
        {
            _byKey.TryGetValue(key, out touchpoint);
        }

        if (touchpoint is null && trackingEvent.EventName is { } name)
        {
            _byEvent.TryGetValue(name, out touchpoint);
        }

        var defaultChannel = trackingEvent.Type switch
        {
            TrackingCallType.Page => "web",
            TrackingCallType.Screen => "app",
            _ => null,
        };
        if (touchpoint is null)
        {
            return new(null, trackingEvent.Channel ?? defaultChannel, null, null);
        }

        return new(touchpoint.Id, touchpoint.Channel, touchpoint.Journey, touchpoint.Stage);
    }
}
