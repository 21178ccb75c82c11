using OpenCem.Analytics.Journeys;
using OpenCem.Interactions;

namespace OpenCem.Tests.Analytics.Journeys;

public sealed class JourneyInstanceBuilderTests
{
    private const long Hour = 3_600_000;
    private const long Day = 24 * Hour;

    public static readonly Journey Repair = new("repair", "Repair", null,
        [new("reported", "Reported"), new("diagnosis", "Diagnosis"), new("visit", "Visit"), new("resolved", "Resolved")]);

    private static readonly JourneyInstanceBuilder Builder = new(Repair, TimeSpan.FromDays(30));

    private static List<JourneyInstance> Build(long now, params (string Stage, long At)[] events) =>
        Builder.Build(events.Select((e, i) => (new JourneyEvent(e.Stage, e.At, "phone"), (long)i)), now);

    private static string Paths(List<JourneyInstance> instances) => string.Join(" | ", instances.Select(i => i.PathText + (i.Ended ? "." : "")));

    [Fact]
    public void Build_StraightThrough_OneInstanceEndedAtTheLastStage()
    {
        var instances = Build(100 * Day, ("reported", 0), ("diagnosis", Hour), ("visit", Day), ("resolved", 2 * Day));
        Assert.Equal("reported>diagnosis>visit>resolved.", Paths(instances));
        Assert.Equal([0, Hour, Day, 2 * Day], instances[0].Steps.Select(s => s.At));
    }

    [Fact]
    public void Build_RepeatedEventsInOneStage_CollapseIntoOneStepWithTheFirstTime()
    {
        var instances = Build(Day, ("reported", 0), ("reported", 10), ("diagnosis", 20), ("diagnosis", 30));
        Assert.Equal("reported>diagnosis", Paths(instances));
        Assert.Equal(20, instances[0].Steps[1].At);
    }

    [Fact]
    public void Build_LoopBackAndSkip_AreStepsOfTheSameInstance()
    {
        var instances = Build(Day, ("reported", 0), ("diagnosis", 10), ("visit", 20), ("diagnosis", 30), ("resolved", 40));
        Assert.Equal("reported>diagnosis>visit>diagnosis>resolved.", Paths(instances));
        var skipped = Build(Day, ("reported", 0), ("visit", 10));
        Assert.Equal("reported>visit", Paths(skipped));
    }

    [Fact]
    public void Build_EntryStageAgain_StartsANewInstanceAndEndsTheOld()
    {
        var instances = Build(Day, ("reported", 0), ("diagnosis", 10), ("reported", 20), ("diagnosis", 30));
        Assert.Equal("reported>diagnosis. | reported>diagnosis", Paths(instances));
    }

    [Fact]
    public void Build_GapLongerThanTheTimeout_StartsANewInstanceEvenMidJourney()
    {
        var instances = Build(200 * Day, ("reported", 0), ("diagnosis", 31 * Day), ("visit", 32 * Day));
        Assert.Equal("reported. | diagnosis>visit.", Paths(instances));
    }

    [Fact]
    public void Build_OpenUntilTheTimeoutPasses()
    {
        Assert.Equal("reported>diagnosis", Paths(Build(30 * Day, ("reported", 0), ("diagnosis", Hour))));
        Assert.Equal("reported>diagnosis.", Paths(Build(31 * Day + Hour + 1, ("reported", 0), ("diagnosis", Hour))));
    }

    [Fact]
    public void Build_OutOfOrderArrival_GivesTheSameInstancesAsTimeOrder()
    {
        (string, long)[] inOrder = [("reported", 0), ("diagnosis", 10), ("visit", 20), ("resolved", 30), ("reported", 40 * Day)];
        var shuffled = new[] { inOrder[3], inOrder[0], inOrder[4], inOrder[2], inOrder[1] };
        Assert.Equal(Paths(Build(41 * Day, inOrder)), Paths(Build(41 * Day, shuffled)));
        Assert.Equal("reported>diagnosis>visit>resolved. | reported", Paths(Build(41 * Day, shuffled)));
    }

    [Fact]
    public void Append_ContinuesTheLatestInstanceAsARebuildWould()
    {
        (string Stage, long At)[] all = [("reported", 0), ("diagnosis", 10), ("diagnosis", 15), ("visit", 20), ("reported", 30), ("resolved", 40)];
        var latest = Builder.Append(null, all.Take(3).Select(e => new JourneyEvent(e.Stage, e.At, "phone")))[0];
        var stored = JourneyInstance.Read(1, latest.Channel, latest.StartedAt, latest.Ended, latest.PathText, latest.TimesText);
        var started = Builder.Append(stored, all.Skip(3).Select(e => new JourneyEvent(e.Stage, e.At, "phone")));
        Assert.Equal(Paths(Build(Day, all)), Paths([stored, .. started]));
    }

    [Fact]
    public void CanAppend_EventBeforeACollapsedRepeat_IsFalseBecauseAppendingWouldDifferFromARebuild()
    {
        (string Stage, long At)[] all = [("reported", 0), ("diagnosis", 10), ("diagnosis", 30), ("reported", 20)];
        var latest = Builder.Append(null, all.Take(3).Select(e => new JourneyEvent(e.Stage, e.At, "phone")))[0];
        var stored = JourneyInstance.Read(1, latest.Channel, latest.StartedAt, latest.Ended, latest.PathText, latest.TimesText, latest.SeenAt);
        Assert.Equal(10, stored.LastAt);
        Assert.Equal(30, stored.SeenAt);
        Assert.False(JourneyInstanceBuilder.CanAppend(stored, 20));
        Assert.True(JourneyInstanceBuilder.CanAppend(stored, 30));

        var appended = Builder.Append(stored, [new JourneyEvent("reported", 20, "phone")]);
        Assert.NotEqual(Paths(Build(Day, all)), Paths([stored, .. appended]));
        Assert.Equal("reported>diagnosis. | reported>diagnosis", Paths(Build(Day, all)));
    }

    [Fact]
    public void Append_UnknownStage_IsIgnored()
    {
        var started = Builder.Append(null, [new JourneyEvent("elsewhere", 0, "web"), new JourneyEvent("reported", 1, "app")]);
        Assert.Equal("reported", Assert.Single(started).PathText);
        Assert.Equal("app", started[0].Channel);
    }
}
