using OpenCem.Feedback.Distribution;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Tests.Feedback;

public sealed class SurveyTriggersTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Triggers_MatchTouchpointAndWhatTheTriggerNames_CaseInsensitive()
    {
        var interaction = new TriggeredInteraction { Id = 1, TouchpointId = 4, Event = "Technician Visit Completed", Stage = "visit", Outcome = "success" };

        Assert.True(SurveyTriggers.Matches(new SurveyTrigger("tp"), 4, interaction));
        Assert.True(SurveyTriggers.Matches(new SurveyTrigger("tp", Event: "technician visit completed", Stage: "VISIT", Outcome: "success"), 4, interaction));
        Assert.False(SurveyTriggers.Matches(new SurveyTrigger("tp"), 5, interaction));
        Assert.False(SurveyTriggers.Matches(new SurveyTrigger("tp", Event: "Other"), 4, interaction));
        Assert.False(SurveyTriggers.Matches(new SurveyTrigger("tp", Stage: "reported"), 4, interaction));
        Assert.False(SurveyTriggers.Matches(new SurveyTrigger("tp", Outcome: "failure"), 4, interaction));
    }

    [Fact]
    public void Sampling_IsStable_UniformAndIndependentPerSurvey()
    {
        var ids = Enumerable.Range(1, 10_000).Select(i => (long)i).ToList();
        var first = ids.Where(id => SurveyTriggers.Sampled(id, 1, 0.3)).ToList();

        Assert.Equal(first, ids.Where(id => SurveyTriggers.Sampled(id, 1, 0.3)));
        Assert.InRange(first.Count, 2_800, 3_200);
        var other = ids.Where(id => SurveyTriggers.Sampled(id, 2, 0.3)).ToHashSet();
        Assert.InRange(first.Count(other.Contains), 750, 1_050); // about 0.3 × 0.3 × 10,000
        Assert.All(ids, id => Assert.True(SurveyTriggers.Sampled(id, 1, 1.0)));
        Assert.Equal(0.08603176010658542, SurveyTriggers.Draw(42, 7), 15); // SplitMix64, computed independently: the sample must not change between versions
    }

    [Fact]
    public void CommitHorizon_WaitsTheSettleTimeForAnObservedMaximum()
    {
        var horizon = new CommitHorizon();
        var settle = TimeSpan.FromSeconds(10);

        Assert.Equal(0, horizon.Observe(Now, 100, settle));
        Assert.Equal(0, horizon.Observe(Now.AddSeconds(5), 150, settle));
        Assert.Equal(100, horizon.Observe(Now.AddSeconds(10), 180, settle));
        Assert.Equal(180, horizon.Observe(Now.AddSeconds(25), 200, settle));
        Assert.Equal(300, new CommitHorizon().Observe(Now, 300, TimeSpan.Zero));
    }
}
