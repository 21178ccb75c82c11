using OpenCem.Demo;
using OpenCem.Interactions;

namespace OpenCem.Tests.Demo;

/// <summary>One generated demo company shared by the demo tests (generated once per test run).</summary>
internal static class DemoSample
{
    public static readonly DateTimeOffset AsOf = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DemoOptions Options = new(Customers: 2000, Seed: 42, AsOf: AsOf);

    private static readonly Lazy<IReadOnlyList<TrackingEvent>> LazyEvents = new(() => [.. DemoCompany.Generate(Options)]);

    public static IReadOnlyList<TrackingEvent> Events => LazyEvents.Value;

    /// <summary>The sample's events grouped by customer, in stream order.</summary>
    public static IEnumerable<List<TrackingEvent>> ByCustomer()
    {
        var current = new List<TrackingEvent>();
        foreach (var e in Events)
        {
            if (current.Count > 0 && current[0].UserId != e.UserId)
            {
                yield return current;
                current = [];
            }

            current.Add(e);
        }

        if (current.Count > 0)
        {
            yield return current;
        }
    }

    public static bool Cancelled(List<TrackingEvent> events) =>
        events.Exists(e => e.EventName == DemoTruths.CancellationEvent);

    /// <summary>Whether the customer failed the router setup 3+ times within 7 days.</summary>
    public static bool RepeatedlyFailedSetup(List<TrackingEvent> events)
    {
        var failures = events
            .Where(e => e.EventName == DemoTruths.SelfServiceStep && e.Outcome == InteractionOutcome.Failure)
            .Select(e => e.Timestamp)
            .ToList();
        for (var i = DemoTruths.FrustrationFailures - 1; i < failures.Count; i++)
        {
            if (failures[i] - failures[i - DemoTruths.FrustrationFailures + 1] <= TimeSpan.FromDays(DemoTruths.FrustrationWindowDays))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The mean Effort of the customer's events at touchpoints of <paramref name="journey"/>, or null.</summary>
    public static double? MeanEffort(List<TrackingEvent> events, string journey)
    {
        var names = DemoCompany.Touchpoints.Where(t => t.Journey == journey).SelectMany(t => t.Events).ToHashSet();
        var efforts = events.Where(e => e.EventName is { } n && names.Contains(n) && e.Effort is not null).Select(e => e.Effort!.Value).ToList();
        return efforts.Count == 0 ? null : efforts.Average();
    }

    public static int CustomerIndex(string userId) => int.Parse(userId["cust-".Length..], System.Globalization.CultureInfo.InvariantCulture);
}
