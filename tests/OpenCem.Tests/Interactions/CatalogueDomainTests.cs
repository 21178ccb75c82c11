using OpenCem.Customers;
using OpenCem.Interactions;

namespace OpenCem.Tests.Interactions;

public sealed class CatalogueDomainTests
{
    private static readonly Touchpoint RouterSetup = new(7, "router-setup", "Router setup", "app", "fault-repair", "self-help", ["Router Setup Attempted"]);
    private static readonly Touchpoint Hotline = new(8, "hotline", "Hotline", "phone", "fault-repair", "reported", ["Call Completed"]);

    private static TrackingEvent Event(TrackingCallType type, string? name, string? touchpoint = null, string? channel = null) => new()
    {
        Type = type,
        MessageId = "m",
        UserId = "u",
        EventName = name,
        TouchpointKey = touchpoint,
        Channel = channel,
        Timestamp = DateTimeOffset.UnixEpoch,
        ReceivedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void Place_MapsEventNames_AndPropertyOverrides()
    {
        var resolver = new TouchpointResolver([RouterSetup, Hotline]);

        Assert.Equal(new InteractionPlacement(7, "app", "fault-repair", "self-help"), resolver.Place(Event(TrackingCallType.Track, "router setup attempted")));
        Assert.Equal(8, resolver.Place(Event(TrackingCallType.Track, "Router Setup Attempted", touchpoint: "hotline")).TouchpointId);
        Assert.Equal(new InteractionPlacement(null, "chat", null, null), resolver.Place(Event(TrackingCallType.Track, "Unmapped", channel: "chat")));
        Assert.Equal(new InteractionPlacement(null, "web", null, null), resolver.Place(Event(TrackingCallType.Page, "Home")));
        Assert.Equal(new InteractionPlacement(null, "app", null, null), resolver.Place(Event(TrackingCallType.Screen, null)));
        Assert.Equal(new InteractionPlacement(null, null, null, null), resolver.Place(Event(TrackingCallType.Track, "Unmapped", touchpoint: "no-such")));
    }

    [Fact]
    public void Resolve_AnonymousThenIdentified_KeepsOneProfile()
    {
        var resolution = new IdentityResolution(new Dictionary<CustomerIdentifier, long>());
        var anonymous = new CustomerIdentifier(CustomerIdentifier.AnonymousId, "a1");

        var first = resolution.Resolve(null, anonymous);
        var identified = resolution.Resolve("u1", anonymous);
        var later = resolution.Resolve("u1", null);
        var other = resolution.Resolve("u2", null);

        Assert.Equal(-1, first);
        Assert.Equal(first, identified);
        Assert.Equal(first, later);
        Assert.Equal(-2, other);
        Assert.Equal(2, resolution.NewCustomerCount);
        Assert.Equal(3, resolution.NewLinks.Count);
    }

    [Fact]
    public void Resolve_KnownUser_WinsOverAnotherAnonymousProfile()
    {
        var known = new Dictionary<CustomerIdentifier, long>
        {
            [new(CustomerIdentifier.UserId, "u1")] = 10,
            [new(CustomerIdentifier.AnonymousId, "a9")] = 11,
        };
        var resolution = new IdentityResolution(known);

        Assert.Equal(10, resolution.Resolve("u1", new CustomerIdentifier(CustomerIdentifier.AnonymousId, "a9")));
        Assert.Equal(10, resolution.Resolve("u1", new CustomerIdentifier(CustomerIdentifier.AnonymousId, "new-device")));
        Assert.Equal(0, resolution.NewCustomerCount);
        Assert.Single(resolution.NewLinks);
    }

    [Fact]
    public void Merge_LaterTraitsWin_NullRemoves()
    {
        var merged = TraitMerge.Merge("""{"plan":"tv","region":"Tyrol","phone":"1"}""", """{"plan":"bundle","phone":null,"email":"e"}""");
        Assert.Equal("""{"plan":"bundle","region":"Tyrol","email":"e"}""", merged);
    }

    [Fact]
    public void Add_FoldsEventsIntoDailyRows()
    {
        var rollup = new InteractionRollup();
        var day = new DateTimeOffset(2026, 5, 4, 23, 59, 0, TimeSpan.Zero);
        var placement = new InteractionPlacement(7, "app", null, null);
        rollup.Add(1, Event(TrackingCallType.Track, "x") with { Timestamp = day, Outcome = InteractionOutcome.Failure, Effort = 2, Cost = 3 }, placement);
        rollup.Add(1, Event(TrackingCallType.Track, "x") with { Timestamp = day.AddMinutes(-5), Outcome = InteractionOutcome.Failure, Effort = 4 }, placement);
        rollup.Add(1, Event(TrackingCallType.Track, "x") with { Timestamp = day.AddMinutes(2), Outcome = InteractionOutcome.Failure }, placement);
        rollup.Add(1, Event(TrackingCallType.Track, "x") with { Timestamp = new DateTimeOffset(1969, 12, 31, 23, 0, 0, TimeSpan.Zero) }, default);

        var key = new DailyRollupKey(1, day.ToUnixTimeMilliseconds() / InteractionRollup.MillisecondsPerDay, 7, "app", "failure");
        var row = rollup.Deltas[key];
        Assert.Equal(2, row.Interactions);
        Assert.Equal(6, row.EffortSum);
        Assert.Equal(2, row.EffortCount);
        Assert.Equal(3, row.CostSum);
        Assert.Equal(3, rollup.Deltas.Count);
        Assert.Contains(rollup.Deltas.Keys, k => k.Day == -1 && k.TouchpointId == 0 && k.Channel == "" && k.Outcome == "");
    }

    [Fact]
    public void Touchpoint_Validation_NamesEveryBadField()
    {
        var journeys = new List<Journey> { new("fault-repair", "Fault repair", null, [new("reported", "Reported"), new("self-help", "Self help")]) };
        var errors = CatalogueValidation.Touchpoint(
            new TouchpointRequest("new-tp", "New", "fax", "fault-repair", "nowhere", ["Call Completed", " "]), journeys, [Hotline], out var touchpoint);

        Assert.Null(touchpoint);
        Assert.Equal(["channel", "events[0]", "events[1]", "stage"], errors.Keys.Order());

        var ok = CatalogueValidation.Touchpoint(new TouchpointRequest("new-tp", "New", "Chat", "fault-repair", "reported", ["Chat Started"]), journeys, [Hotline], out touchpoint);
        Assert.Empty(ok);
        Assert.Equal("chat", touchpoint!.Channel);
    }

    [Fact]
    public void Journey_Validation_NeedsUniqueStages()
    {
        var errors = CatalogueValidation.Journey(new JourneyRequest("j", "J", null, [new("a", "A"), new("a", "Again")]), out var journey);
        Assert.Null(journey);
        Assert.Contains("stages[1].key", errors.Keys);
        Assert.Contains("stages", CatalogueValidation.Journey(new JourneyRequest("j", "J", null, []), out _).Keys);
    }
}
