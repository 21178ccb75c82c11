using System.Globalization;
using OpenCem.Interactions;

namespace OpenCem.Demo;

/// <summary>
/// A fictional telecom provider (mobile, broadband, TV) with its customers' interactions over the two years before
/// <see cref="DemoOptions.AsOf"/>, generated deterministically from a seed: the same options give a byte-identical
/// stream of events, a different seed a different one. Pure: no I/O; the only clock read is the default AsOf.
/// </summary>
/// <remarks>
/// Every customer starts with an identify call (full traits), then onboarding (if they joined in the window),
/// monthly bills, app and web visits, billing queries, faults with the fault-repair journey, router setups,
/// contract renewals, cancellations and win-backs; later identify calls update only <c>lifecycleStage</c>.
/// Planted truths (parameters in <see cref="DemoTruths"/>):
/// <list type="number">
/// <item>Each customer has a latent loyalty (0–10, see <see cref="LatentLoyalty"/>) driven most strongly by the
/// effort of their fault repairs (low Effort on fault-repair touchpoints); billing, self-service and staff ease
/// weigh far less.</item>
/// <item>Customers who fail "Router Setup Attempted" 3+ times within 7 days cancel several times more often than
/// the others (monthly hazard × <see cref="DemoTruths.FrustrationHazardMultiplier"/> for six months).</item>
/// <item>Customers with poor fault repairs (mean effort ≤ 3.5) cancel far more often, through lower loyalty and a
/// direct short-term effect.</item>
/// </list>
/// What customers say (<see cref="Feedback"/>) comes from the same simulation: relationship NPS answers follow the
/// latent loyalty of the moment, transactional CSAT and CES the effort of the repair or contact they follow, lost
/// customers give the reason they left for, and comments (English or German, as the customer's profile) talk about
/// what really happened to them (truths 5–11 in <see cref="DemoTruths"/>).
/// </remarks>
public static partial class DemoCompany
{
    /// <summary>The customers' events, customer by customer, each customer's in time order. Streamed lazily.</summary>
    public static IEnumerable<TrackingEvent> Generate(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Customers);
        return GenerateCore(options, options.ResolveAsOf());
    }

    /// <summary>What the generator knows about one customer, latent experience included.</summary>
    public static DemoCustomerProfile Profile(DemoOptions options, int customerIndex)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(customerIndex);
        var simulator = new CustomerSimulator(options.Seed, options.ResolveAsOf());
        simulator.Run(customerIndex);
        return simulator.Profile();
    }

    /// <summary>The profiles of all customers, in index order. Streamed lazily.</summary>
    public static IEnumerable<DemoCustomerProfile> Profiles(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Customers);
        return ProfilesCore(options, options.ResolveAsOf());
    }

    /// <summary>
    /// The customer's latent loyalty at the end of the window on a 0–10 scale (an NPS answer is this plus noise,
    /// rounded). Deterministic in the options and the index.
    /// </summary>
    public static double LatentLoyalty(DemoOptions options, int customerIndex) => Profile(options, customerIndex).LatentLoyalty;

    /// <summary>
    /// Everything each customer said — survey responses, the invitations behind the transactional ones, reviews,
    /// social posts and complaints — in index order, generated from the same simulation as their events. Streamed lazily.
    /// </summary>
    public static IEnumerable<DemoCustomerFeedback> Feedback(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Customers);
        return FeedbackCore(options, options.ResolveAsOf());
    }

    /// <summary>The employees' anonymous answers to the quarterly employee pulse.</summary>
    public static IReadOnlyList<DemoResponse> EmployeeResponses(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return DemoEmployees.Responses(options);
    }

    /// <summary>The first part of the message ids of customer <paramref name="customerIndex"/>'s events: <c>demo-{seed}-{index}-</c>.</summary>
    public static string MessagePrefix(int seed, int customerIndex) =>
        string.Create(CultureInfo.InvariantCulture, $"demo-{seed}-{customerIndex}-");

    /// <summary>The user id of customer <paramref name="customerIndex"/>, e.g. <c>cust-000123</c>.</summary>
    public static string UserId(int customerIndex) => string.Create(CultureInfo.InvariantCulture, $"cust-{customerIndex:D6}");

    private static IEnumerable<DemoCustomerProfile> ProfilesCore(DemoOptions options, DateTimeOffset asOf)
    {
        var simulator = new CustomerSimulator(options.Seed, asOf);
        for (var i = 0; i < options.Customers; i++)
        {
            simulator.Run(i);
            yield return simulator.Profile();
        }
    }

    private static IEnumerable<DemoCustomerFeedback> FeedbackCore(DemoOptions options, DateTimeOffset asOf)
    {
        var simulator = new CustomerSimulator(options.Seed, asOf);
        var voice = new CustomerVoice(options.Seed);
        for (var i = 0; i < options.Customers; i++)
        {
            simulator.Run(i);
            yield return voice.Speak(simulator);
        }
    }

    /// <summary>The events, with each customer's profile and feedback handed to <paramref name="onCustomer"/> as they are generated.</summary>
    internal static IEnumerable<TrackingEvent> Generate(DemoOptions options, Action<DemoCustomerProfile, DemoCustomerFeedback> onCustomer) =>
        GenerateCore(options, options.ResolveAsOf(), onCustomer);

    private static IEnumerable<TrackingEvent> GenerateCore(
        DemoOptions options, DateTimeOffset asOf, Action<DemoCustomerProfile, DemoCustomerFeedback>? onCustomer = null)
    {
        var simulator = new CustomerSimulator(options.Seed, asOf);
        var voice = onCustomer is null ? null : new CustomerVoice(options.Seed);
        for (var i = 0; i < options.Customers; i++)
        {
            simulator.Run(i);
            onCustomer?.Invoke(simulator.Profile(), voice!.Speak(simulator));
            var userId = simulator.Facts.UserId;
            var prefix = MessagePrefix(options.Seed, i);
            var events = simulator.Events;
            for (var n = 0; n < events.Count; n++)
            {
                yield return ToTrackingEvent(events[n], prefix + n.ToString(CultureInfo.InvariantCulture), userId);
            }
        }
    }

    private static TrackingEvent ToTrackingEvent(in PendingEvent e, string messageId, string userId)
    {
        var at = new DateTimeOffset(e.Ticks, TimeSpan.Zero);
        var properties = e.Traits ?? e.Properties;
        return new TrackingEvent
        {
            Type = e.Type,
            MessageId = messageId,
            UserId = userId,
            EventName = e.Name,
            Timestamp = at,
            ReceivedAt = at,
            Channel = e.Channel,
            Outcome = e.Outcome,
            Effort = e.Effort,
            Revenue = e.Revenue,
            Cost = e.Cost,
            PropertiesJson = properties,
            ContextJson = e.Context,
            TraitsJson = e.Traits,
            SizeInBytes = 190 + messageId.Length + userId.Length + (e.Name?.Length ?? 0) + (properties?.Length ?? 0)
                + (e.Context?.Length ?? 0) + (e.Traits?.Length ?? 0),
        };
    }
}
