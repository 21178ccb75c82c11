using OpenCem.Demo;
using OpenCem.Interactions;

namespace OpenCem.Tests.Demo;

/// <summary>One generated demo company shared by the demo tests (generated once per test run).</summary>
internal static class DemoSample
{
    public static readonly DateTimeOffset AsOf = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DemoOptions Options = new(Customers: 2000, Seed: 42, AsOf: AsOf);

    private static readonly Lazy<IReadOnlyList<TrackingEvent>> LazyEvents = new(() => [.. DemoCompany.Generate(Options)]);

    private static readonly Lazy<IReadOnlyList<List<TrackingEvent>>> LazyCustomers = new(Group);

    private static readonly Lazy<IReadOnlyList<DemoCustomerFeedback>> LazyFeedback = new(() => [.. DemoCompany.Feedback(Options)]);

    private static readonly Lazy<IReadOnlyList<DemoCustomerProfile>> LazyProfiles = new(() => [.. DemoCompany.Profiles(Options)]);

    private static readonly Lazy<Dictionary<string, TrackingEvent>> LazyByMessageId = new(() => Events.ToDictionary(e => e.MessageId, StringComparer.Ordinal));

    private static readonly Dictionary<string, HashSet<string>> EventsByJourney = DemoCompany.Journeys.ToDictionary(
        j => j.Key,
        j => DemoCompany.Touchpoints.Where(t => t.Journey == j.Key).SelectMany(t => t.Events).ToHashSet(StringComparer.Ordinal));

    public static IReadOnlyList<TrackingEvent> Events => LazyEvents.Value;

    /// <summary>What the sample's customers said, customer by customer.</summary>
    public static IReadOnlyList<DemoCustomerFeedback> Feedback => LazyFeedback.Value;

    /// <summary>All survey responses of the sample: the customers' and the employees'.</summary>
    public static IEnumerable<DemoResponse> Responses => Feedback.SelectMany(f => f.Responses).Concat(DemoCompany.EmployeeResponses(Options));

    public static IReadOnlyList<DemoCustomerProfile> Profiles => LazyProfiles.Value;

    public static TrackingEvent EventOf(string messageId) => LazyByMessageId.Value[messageId];

    /// <summary>The sample's events grouped by customer, in stream order.</summary>
    public static IReadOnlyList<List<TrackingEvent>> ByCustomer() => LazyCustomers.Value;

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
        var names = EventsByJourney[journey];
        double sum = 0;
        var count = 0;
        foreach (var e in events)
        {
            if (e.Effort is { } effort && e.EventName is { } name && names.Contains(name))
            {
                sum += effort;
                count++;
            }
        }

        return count == 0 ? null : sum / count;
    }

    private static IReadOnlyList<List<TrackingEvent>> Group()
    {
        var customers = new List<List<TrackingEvent>>();
        foreach (var e in Events)
        {
            if (customers.Count == 0 || customers[^1][0].UserId != e.UserId)
            {
                customers.Add([]);
            }

            customers[^1].Add(e);
        }

        return customers;
    }

    public static int CustomerIndex(string userId) => int.Parse(userId["cust-".Length..], System.Globalization.CultureInfo.InvariantCulture);
}
