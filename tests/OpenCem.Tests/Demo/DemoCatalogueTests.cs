using System.Text.RegularExpressions;
using OpenCem.Demo;
using OpenCem.Interactions;

namespace OpenCem.Tests.Demo;

public sealed partial class DemoCatalogueTests
{
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();

    [Fact]
    public void The_five_journeys_have_three_to_five_ordered_kebab_case_stages()
    {
        Assert.Equal(
            ["onboarding", "billing", "fault-repair", "contract-renewal", "cancellation"],
            DemoCompany.Journeys.Select(j => j.Key));
        foreach (var journey in DemoCompany.Journeys)
        {
            Assert.InRange(journey.Stages.Count, 3, 5);
            Assert.All(journey.Stages, s => Assert.Matches(KebabCase(), s.Key));
            Assert.Equal(journey.Stages.Count, journey.Stages.Select(s => s.Key).Distinct().Count());
        }

        Assert.Equal(
            ["fault-reported", "diagnosis", "technician-visit", "resolved"],
            DemoCompany.Journeys.Single(j => j.Key == DemoCompany.FaultRepair).Stages.Select(s => s.Key));
    }

    [Fact]
    public void Every_touchpoint_is_in_a_known_channel_and_an_existing_journey_stage()
    {
        var touchpoints = DemoCompany.Touchpoints;
        Assert.InRange(touchpoints.Count, 20, 30);
        Assert.Equal(touchpoints.Count, touchpoints.Select(t => t.Key).Distinct().Count());
        foreach (var touchpoint in touchpoints)
        {
            Assert.Equal(0, touchpoint.Id);
            Assert.Matches(KebabCase(), touchpoint.Key);
            Assert.True(Channels.IsKnown(touchpoint.Channel), touchpoint.Channel);
            var journey = Assert.Single(DemoCompany.Journeys, j => j.Key == touchpoint.Journey);
            Assert.Contains(journey.Stages, s => s.Key == touchpoint.Stage);
            Assert.NotEmpty(touchpoint.Events);
        }

        Assert.Superset(
            new HashSet<string> { "web", "app", "shop", "phone", "chat", "email", "field", "social", "mail" },
            touchpoints.Select(t => t.Channel).ToHashSet());
        Assert.All(DemoCompany.Journeys, j => Assert.Contains(touchpoints, t => t.Journey == j.Key));
    }

    [Fact]
    public void Each_event_name_is_mapped_by_exactly_one_touchpoint()
    {
        var names = DemoCompany.Touchpoints.SelectMany(t => t.Events).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains(DemoEvents.RouterSetupAttempted, names);
        Assert.Contains(DemoEvents.ContractCancelled, names);
        Assert.DoesNotContain(names, DemoEvents.Unmapped.Contains);
    }

    [Fact]
    public void Generated_events_resolve_to_touchpoints_unless_deliberately_unmapped()
    {
        var resolver = new TouchpointResolver(DemoCompany.Touchpoints);
        var byEvent = DemoCompany.Touchpoints.SelectMany(t => t.Events.Select(e => (e, t))).ToDictionary(p => p.e, p => p.t);
        var used = new HashSet<string>();
        foreach (var e in DemoSample.Events.Where(e => e.Type != TrackingCallType.Identify))
        {
            Assert.NotNull(e.EventName);
            used.Add(e.EventName);
            var placement = resolver.Place(e);
            if (DemoEvents.Unmapped.Contains(e.EventName))
            {
                Assert.Null(placement.TouchpointId);
                Assert.NotNull(placement.Channel);
                continue;
            }

            Assert.True(byEvent.TryGetValue(e.EventName, out var touchpoint), $"unmapped event {e.EventName}");
            Assert.Equal(touchpoint.Journey, placement.JourneyKey);
            Assert.Equal(touchpoint.Stage, placement.Stage);
            Assert.Equal(touchpoint.Channel, placement.Channel);
        }

        // Every touchpoint sees traffic in a sample of 2,000 customers.
        Assert.All(DemoCompany.Touchpoints, t => Assert.True(t.Events.Any(used.Contains), t.Key));
    }
}
