using OpenCem.Actions.Cases;

namespace OpenCem.Tests.Actions;

public sealed class CaseDomainTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static BusinessCalendar OfficeHours(params string[] holidays) => new CalendarDefinition(
        "Europe/Berlin",
        new Dictionary<string, string[]>
        {
            ["monday"] = ["09:00-17:00"],
            ["tuesday"] = ["09:00-17:00"],
            ["wednesday"] = ["09:00-17:00"],
            ["thursday"] = ["09:00-17:00"],
            ["friday"] = ["09:00-17:00"],
        },
        holidays).Read([])!;

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) =>
        new(new DateTime(year, month, day, hour, minute, 0), Berlin.GetUtcOffset(new DateTime(year, month, day, hour, minute, 0)));

    [Fact]
    public void Workflow_ClosedCase_AllowsNothing() => Assert.Empty(CaseWorkflow.AllowedFrom(CaseStatuses.Closed));

    [Fact]
    public void Workflow_ResolvedCase_CanBeClosedOrReopened()
    {
        Assert.Equal([CaseStatuses.Closed, CaseStatuses.InProgress], CaseWorkflow.AllowedFrom(CaseStatuses.Resolved));
        Assert.True(CaseWorkflow.IsReopen(CaseStatuses.Resolved, CaseStatuses.InProgress));
        Assert.False(CaseWorkflow.IsAllowed(CaseStatuses.New, CaseStatuses.Resolved));
        Assert.False(CaseWorkflow.IsAllowed(CaseStatuses.WaitingForCustomer, CaseStatuses.Closed));
    }

    [Fact]
    public void Workflow_EveryStatusReachesClosed()
    {
        foreach (var status in CaseStatuses.All)
        {
            var seen = new HashSet<string> { status };
            var frontier = new Queue<string>([status]);
            while (frontier.TryDequeue(out var next))
            {
                foreach (var to in CaseWorkflow.AllowedFrom(next).Where(seen.Add))
                {
                    frontier.Enqueue(to);
                }
            }

            Assert.Contains(CaseStatuses.Closed, seen);
        }
    }

    [Fact]
    public void AddBusinessTime_AcrossTheNight_ContinuesNextMorning() =>
        Assert.Equal(Local(2026, 2, 4, 10), OfficeHours().AddBusinessTime(Local(2026, 2, 3, 16), TimeSpan.FromHours(2)));

    [Fact]
    public void AddBusinessTime_AcrossTheWeekend_ContinuesMonday() =>
        Assert.Equal(Local(2026, 2, 9, 10), OfficeHours().AddBusinessTime(Local(2026, 2, 6, 16), TimeSpan.FromHours(2)));

    [Fact]
    public void AddBusinessTime_StartOutsideHours_StartsAtOpening() =>
        Assert.Equal(Local(2026, 2, 9, 13), OfficeHours().AddBusinessTime(Local(2026, 2, 7, 11), TimeSpan.FromHours(4)));

    [Fact]
    public void AddBusinessTime_OverAHoliday_SkipsIt() =>
        Assert.Equal(Local(2026, 12, 28, 10), OfficeHours("2026-12-25").AddBusinessTime(Local(2026, 12, 24, 16), TimeSpan.FromHours(2)));

    [Fact]
    public void AddBusinessTime_FortyEightBusinessHours_IsSixWorkingDays() =>
        Assert.Equal(Local(2026, 2, 10, 17), OfficeHours().AddBusinessTime(Local(2026, 2, 2, 17), TimeSpan.FromHours(48)));

    [Fact]
    public void AddBusinessTime_OverTheSpringDstChange_UsesSummerTimeAfter()
    {
        // Friday 27 March 2026 16:00 CET (15:00 UTC); clocks go forward on Sunday 29 March: Monday 10:00 is CEST (08:00 UTC).
        var due = OfficeHours().AddBusinessTime(new DateTimeOffset(2026, 3, 27, 15, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 8, 0, 0, TimeSpan.Zero), due);
    }

    [Fact]
    public void AddBusinessTime_AroundTheClockOnTheShortDay_CountsRealHours()
    {
        var always = new CalendarDefinition("Europe/Berlin", Enum.GetNames<DayOfWeek>().ToDictionary(d => d, _ => new[] { "00:00-24:00" }), []).Read([])!;
        var start = new DateTimeOffset(2026, 3, 28, 11, 0, 0, TimeSpan.Zero);
        Assert.Equal(start.AddHours(24), always.AddBusinessTime(start, TimeSpan.FromHours(24)));
        Assert.Equal(TimeSpan.FromHours(23), always.BusinessTimeBetween(Local(2026, 3, 29, 0), Local(2026, 3, 30, 0)));
        Assert.Equal(TimeSpan.FromHours(25), always.BusinessTimeBetween(Local(2026, 10, 25, 0), Local(2026, 10, 26, 0)));
    }

    [Fact]
    public void AddBusinessTime_SpanInsideTheSkippedHour_StartsAfterTheGap()
    {
        // Sunday 02:00-04:00: on 29 March 2026 02:00-03:00 does not exist, so that Sunday has one working hour.
        var sundays = new CalendarDefinition("Europe/Berlin", new Dictionary<string, string[]> { ["sunday"] = ["02:00-04:00"] }, []).Read([])!;
        var due = sundays.AddBusinessTime(Local(2026, 3, 28, 12), TimeSpan.FromMinutes(90));
        Assert.Equal(Local(2026, 4, 5, 2, 30), due);
    }

    [Fact]
    public void AddBusinessTime_OverTheAutumnDstChange_CountsTheRepeatedHourOnce()
    {
        var night = new CalendarDefinition("Europe/Berlin", new Dictionary<string, string[]> { ["sunday"] = ["00:00-06:00"] }, []).Read([])!;
        // 00:00 CEST is 22:00 UTC; 06:00 CET is 05:00 UTC: seven real hours of working time that night.
        var start = new DateTimeOffset(2026, 10, 24, 22, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 4, 0, 0, TimeSpan.Zero), night.AddBusinessTime(start, TimeSpan.FromHours(6)));
        Assert.Equal(TimeSpan.FromHours(7), night.BusinessTimeBetween(start, start.AddDays(1)));
    }

    [Fact]
    public void BusinessTimeBetween_IsTheInverseOfAdding()
    {
        var calendar = OfficeHours("2026-05-01");
        var start = Local(2026, 4, 29, 15, 17);
        foreach (var hours in new[] { 0.5, 3, 8, 13, 40, 100 })
        {
            var due = calendar.AddBusinessTime(start, TimeSpan.FromHours(hours));
            Assert.Equal(TimeSpan.FromHours(hours), calendar.BusinessTimeBetween(start, due));
        }
    }

    [Fact]
    public void CalendarDefinition_BadFields_NamesEach()
    {
        var errors = new Dictionary<string, string[]>();
        var calendar = new CalendarDefinition("Mars/Olympus", new Dictionary<string, string[]> { ["funday"] = ["09:00-17:00"], ["monday"] = ["17:00-09:00"] }, ["25.12.2026"]).Read(errors);
        Assert.Null(calendar);
        Assert.Equal(["holidays", "hours.funday", "hours.monday", "timeZone"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CalendarDefinition_NoWorkingTime_IsRefused()
    {
        var errors = new Dictionary<string, string[]>();
        Assert.Null(new CalendarDefinition("UTC", new Dictionary<string, string[]>(), []).Read(errors));
        Assert.Contains("hours", errors.Keys);
    }

    [Fact]
    public void SlaPolicy_TeamPolicyBeatsWorkspacePolicyBeatsDefault()
    {
        SlaPolicy[] policies = [new("high", null, 60, 600), new("high", "billing", 30, 300)];
        Assert.Equal(30, SlaPolicy.Choose(policies, "high", "billing").FirstResponseMinutes);
        Assert.Equal(60, SlaPolicy.Choose(policies, "high", "care").FirstResponseMinutes);
        Assert.Equal(SlaPolicy.DefaultFor("low"), SlaPolicy.Choose(policies, "low", "billing"));
        Assert.Equal(CasePriorities.Urgent, SlaPolicy.Raise(CasePriorities.High));
        Assert.Equal(CasePriorities.Urgent, SlaPolicy.Raise(CasePriorities.Urgent));
    }

    [Fact]
    public void SlaClock_BeforeFirstResponse_WatchesTheFirstResponse()
    {
        var clock = SlaClock.Of(CaseStatuses.Assigned, null, 60_000, 600_000, null, 30_000);
        Assert.Equal("first_response", clock.Due);
        Assert.Equal(0.5, clock.RemainingMinutes);
        Assert.False(clock.Breached);
        var answered = SlaClock.Of(CaseStatuses.InProgress, 50_000, 60_000, 600_000, null, 700_000);
        Assert.Equal("resolution", answered.Due);
        Assert.True(answered.Breached);
        Assert.Null(SlaClock.Of(CaseStatuses.Resolved, 50_000, 60_000, 600_000, null, 700_000).Due);
        Assert.Equal(60_000, SlaClock.NextDue(CaseStatuses.New, null, 60_000, 600_000));
        Assert.Null(SlaClock.NextDue(CaseStatuses.Closed, null, 60_000, 600_000));
    }

    [Fact]
    public void SlaClock_WaitingForCustomer_StandsStillAndIsNotWatched()
    {
        // Paused at 100 s with the resolution due at 700 s: ten minutes left, however late it is now.
        var waiting = SlaClock.Of(CaseStatuses.WaitingForCustomer, 50_000, 60_000, 700_000, null, 5_000_000, pausedAt: 100_000);
        Assert.True(waiting.Paused);
        Assert.Equal("resolution", waiting.Due);
        Assert.Equal(10, waiting.RemainingMinutes);
        Assert.False(waiting.Breached);
        Assert.Null(SlaClock.NextDue(CaseStatuses.WaitingForCustomer, 50_000, 60_000, 700_000));
        Assert.False(SlaClock.Of(CaseStatuses.InProgress, 50_000, 60_000, 700_000, null, 5_000_000).Paused);
    }

    [Fact]
    public void SlaClock_Resume_CountsTheWorkingTimeLeftFromTheResume()
    {
        var calendar = OfficeHours();

        // Paused Monday 16:00 with the due time Tuesday 11:00: 3 working hours left (16-17, 9-11). Resumed Wednesday
        // 15:00: due Thursday 10:00 (15-17, 9-10).
        var due = SlaClock.Resume(calendar, Local(2026, 2, 2, 16).ToUnixTimeMilliseconds(), Local(2026, 2, 4, 15).ToUnixTimeMilliseconds(), Local(2026, 2, 3, 11).ToUnixTimeMilliseconds());
        Assert.Equal(Local(2026, 2, 5, 10), DateTimeOffset.FromUnixTimeMilliseconds(due!.Value));

        // Resumed on Saturday: the three hours start Monday 09:00.
        due = SlaClock.Resume(calendar, Local(2026, 2, 2, 16).ToUnixTimeMilliseconds(), Local(2026, 2, 7, 12).ToUnixTimeMilliseconds(), Local(2026, 2, 3, 11).ToUnixTimeMilliseconds());
        Assert.Equal(Local(2026, 2, 9, 12), DateTimeOffset.FromUnixTimeMilliseconds(due!.Value));

        // A due time already missed when the wait began stays missed; no due time stays none.
        var missed = Local(2026, 2, 2, 10).ToUnixTimeMilliseconds();
        Assert.Equal(missed, SlaClock.Resume(calendar, Local(2026, 2, 2, 16).ToUnixTimeMilliseconds(), Local(2026, 2, 4, 15).ToUnixTimeMilliseconds(), missed));
        Assert.Null(SlaClock.Resume(calendar, 0, 1, null));
    }

    [Fact]
    public void AgentPicker_LeastLoaded_TakesTheAgentWithTheSkillAndFewestCases()
    {
        AgentLoad[] agents =
        [
            new("ana", ["billing"], 10, 3, 5),
            new("ben", ["billing", "german"], 10, 2, 9),
            new("cem", ["field"], 10, 0, 1),
            new("dora", ["billing"], 2, 2, 0),
        ];
        Assert.Equal("ben", AgentPicker.Pick(agents, AssignmentModes.LeastLoaded, "billing"));
        Assert.Equal("cem", AgentPicker.Pick(agents, AssignmentModes.LeastLoaded, null));
        Assert.Null(AgentPicker.Pick(agents, AssignmentModes.LeastLoaded, "legal"));
        Assert.Null(AgentPicker.Pick(agents, AssignmentModes.Manual, "billing"));
    }

    [Fact]
    public void AgentPicker_EqualLoad_GoesRoundTheTeam()
    {
        var agents = new List<AgentLoad> { new("a", [], 10, 1, 0), new("b", [], 10, 1, 0), new("c", [], 10, 1, 0) };
        var order = new List<string>();
        for (var turn = 1; turn <= 6; turn++)
        {
            var picked = AgentPicker.Pick(agents, AssignmentModes.RoundRobin, null)!;
            order.Add(picked);
            agents = agents.Select(a => a.Key == picked ? a with { LastAssignedAt = turn, OpenCases = a.OpenCases + 1 } : a).ToList();
        }

        Assert.Equal(["a", "b", "c", "a", "b", "c"], order);
    }

    [Fact]
    public void RecoveryJudge_NextScoreSevenOrMore_IsRecovered()
    {
        const long Day = 86_400_000;
        LaterScore[] scores = [new(1, 0, 3), new(2, 5 * Day, 8)];
        Assert.Equal(CaseOutcomes.Recovered, RecoveryJudge.Judge(0, 2 * Day, triggerResponseId: 1, scores, null, 10 * Day));
        Assert.Equal(CaseOutcomes.NotRecovered, RecoveryJudge.Judge(0, 2 * Day, 1, [new(2, 5 * Day, 6)], null, 10 * Day));
        Assert.Equal(CaseOutcomes.NotRecovered, RecoveryJudge.Judge(0, 2 * Day, 1, scores, cancelledAt: 3 * Day, 10 * Day));
        Assert.Equal(CaseOutcomes.Recovered, RecoveryJudge.Judge(0, 2 * Day, 1, scores, cancelledAt: 6 * Day, 10 * Day));
        Assert.Null(RecoveryJudge.Judge(0, 2 * Day, 1, [new(1, 0, 3)], null, 10 * Day));
        Assert.Equal(CaseOutcomes.Unmeasured, RecoveryJudge.Judge(0, 2 * Day, 1, [new(3, 200 * Day, 9)], null, 200 * Day));
    }

    [Fact]
    public void DurationHistogram_Median_IsWithinFivePercent()
    {
        var minutes = Enumerable.Range(1, 999).Select(i => i * 7.3).ToList();
        var median = DurationHistogram.Median(minutes.GroupBy(DurationHistogram.Bucket).Select(g => (g.Key, (long)g.Count())))!.Value;
        Assert.InRange(median, 500 * 7.3 * 0.95, 500 * 7.3 * 1.05);
        Assert.Null(DurationHistogram.Median([]));
    }
}
