using OpenCem.Analytics.Journeys;

namespace OpenCem.Tests.Analytics.Journeys;

public sealed class JourneyTallyTests
{
    private const long Hour = 3_600_000;
    private static readonly JourneyInstanceBuilder Builder = new(JourneyInstanceBuilderTests.Repair, TimeSpan.FromDays(30));

    private static JourneyInstance Instance(bool ended, params (string Stage, long At)[] steps)
    {
        var instance = new JourneyInstance("phone") { Ended = ended };
        instance.Steps.AddRange(steps.Select(s => new JourneyStep(s.Stage, s.At)));
        return instance;
    }

    [Fact]
    public void Add_CountsEnteredConvertedDroppedAndWaits()
    {
        var tally = new JourneyTally();
        tally.Add(Instance(true, ("reported", 0), ("diagnosis", Hour), ("visit", 3 * Hour), ("resolved", 4 * Hour)), Builder, 1, byCell: false);
        tally.Add(Instance(true, ("reported", 0), ("visit", 2 * Hour)), Builder, 1, byCell: false); // skip, then dropped at visit
        tally.Add(Instance(false, ("reported", 0), ("diagnosis", Hour), ("reported", 2 * Hour)), Builder, 1, byCell: false); // loop, open

        var reported = tally.Stages[(default, "reported")];
        Assert.Equal((3, 3, 0), (reported.Entered, reported.Converted, reported.Dropped));
        var diagnosis = tally.Stages[(default, "diagnosis")];
        Assert.Equal((2, 1, 0), (diagnosis.Entered, diagnosis.Converted, diagnosis.Dropped)); // the open one is in progress
        var visit = tally.Stages[(default, "visit")];
        Assert.Equal((2, 1, 1), (visit.Entered, visit.Converted, visit.Dropped));
        var resolved = tally.Stages[(default, "resolved")];
        Assert.Equal((1, 1, 0), (resolved.Entered, resolved.Converted, resolved.Dropped)); // completed
        Assert.Equal(3, tally.Paths.Values.Sum());
        Assert.Equal(1, tally.Paths[(default, "reported>diagnosis>reported")]);
        var waits = tally.Waits.Where(w => w.Key.Stage == "reported").Select(w => (w.Key.Bucket, w.Value)).ToList();
        Assert.Equal(3, waits.Sum(w => w.Value));
        var median = JourneyTally.Percentile(waits, 0.5)!.Value;
        Assert.InRange(median, Hour / 1.03, Hour * 1.03);
    }

    [Fact]
    public void Add_ThenRemove_LeavesNothing()
    {
        var tally = new JourneyTally();
        var instance = Instance(false, ("reported", 0), ("diagnosis", Hour));
        tally.Add(instance, Builder, 1);
        tally.Add(instance, Builder, -1);
        Assert.All(tally.Stages.Values, s => Assert.True(s.IsZero));
        Assert.All(tally.Paths.Values, v => Assert.Equal(0, v));
        Assert.All(tally.Waits.Values, v => Assert.Equal(0, v));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1000)]
    [InlineData(3_600_000)]
    [InlineData(7_776_000_000)]
    public void Bucket_ValueIsWithinTwoAndAHalfPercent(long milliseconds)
    {
        var value = JourneyTally.BucketValue(JourneyTally.Bucket(milliseconds));
        Assert.True(milliseconds < 1000 ? value == 0 : Math.Abs(value / milliseconds - 1) <= 0.025, $"{milliseconds} -> {value}");
    }

    [Fact]
    public void Emotion_CombinesScoresAndSentimentOnOneScale()
    {
        // Two NPS answers (10 and 0 -> 100 and 0), a CSAT of 5 (100), a CES of 1 (0), one sentiment of 0 (50).
        var feedback = new StageFeedback(2, 10, 1, 5, 1, 1, 1, 0);
        Assert.Equal(50, EmotionScale.Score(feedback));
        Assert.Equal(0, EmotionScale.MeanSentiment(feedback));
        Assert.Equal(50, EmotionScale.Emotion(feedback));
        Assert.Null(EmotionScale.Emotion(StageFeedback.None));
    }
}
