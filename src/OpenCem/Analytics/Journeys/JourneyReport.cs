using OpenCem.Interactions;

namespace OpenCem.Analytics.Journeys;

/// <summary>Hours to the next stage: nearest-rank percentiles over the converted instances (from 5 % buckets).</summary>
public sealed record JourneyWait(long N, double MedianHours, double P25Hours, double P75Hours);

/// <summary>One stage in the journey's order; <c>entered = converted + dropOff + inProgress</c>.</summary>
public sealed record JourneyStageView(
    string Stage, string Name, long Entered, long Converted, double? Conversion, long DropOff, double? DropOffRate, long InProgress, JourneyWait? TimeToNext);

/// <summary>A path: the stages an instance went through in order; loops go back to an earlier stage, skips jump over one.</summary>
public sealed record JourneyPathView(IReadOnlyList<string> Stages, long Instances, double Share, bool Loops, bool Skips);

/// <summary>
/// A point of the emotion curve: mean sentiment (−1..1) and mean score (0–100) at the stage's touchpoints, with their n,
/// and the combined emotion (0–100, see <see cref="EmotionScale"/>). <c>lowN</c>: fewer observations than the minimum.
/// </summary>
public sealed record JourneyEmotionView(
    string Stage, double? Sentiment, long SentimentN, double? Score, long ScoreN, double? Emotion, long N, bool LowN, bool MomentOfPain);

/// <summary>The answer of <c>GET /api/v1/analytics/journeys/{id}</c>.</summary>
public sealed record JourneyAnalyticsView(
    string Journey, string Name, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<string> Filters, long Instances,
    IReadOnlyList<JourneyStageView> Stages, IReadOnlyList<JourneyPathView> Paths, IReadOnlyList<JourneyEmotionView> Emotion, string? MomentOfPain);

/// <summary>Turns a tally (one cell) and the stages' feedback into the answer, pure.</summary>
public static class JourneyReport
{
    private const double HourMs = 3_600_000;

    public static JourneyAnalyticsView Create(
        JourneyInstanceBuilder journey, JourneyTally tally, IReadOnlyDictionary<string, StageFeedback> feedback, JourneyQueryOptions query)
    {
        var definition = journey.Journey;
        var stages = definition.Stages.Select(s => StageView(s, tally)).ToList();
        var instances = tally.Paths.Values.Sum();
        var paths = tally.Paths
            .Where(p => p.Value > 0)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key.Path, StringComparer.Ordinal)
            .Take(query.Top)
            .Select(p => PathView(p.Key.Path, p.Value, instances, journey))
            .ToList();
        var emotion = definition.Stages.Select(s => EmotionView(s.Key, feedback.GetValueOrDefault(s.Key, StageFeedback.None), query.MinN)).ToList();
        var pain = MomentOfPain(emotion);
        if (pain is not null)
        {
            emotion = emotion.Select(e => e.Stage == pain ? e with { MomentOfPain = true } : e).ToList();
        }

        return new JourneyAnalyticsView(definition.Key, definition.Name, query.From, query.To, query.Filters.Select(f => f.Text).ToList(), instances, stages, paths, emotion, pain);
    }

    /// <summary>The stage with the lowest emotion among those with enough observations (or among all, when none has).</summary>
    public static string? MomentOfPain(IReadOnlyList<JourneyEmotionView> emotion)
    {
        var candidates = emotion.Where(e => e.Emotion is not null && !e.LowN).ToList();
        if (candidates.Count == 0)
        {
            candidates = emotion.Where(e => e.Emotion is not null).ToList();
        }

        return candidates.OrderBy(e => e.Emotion).FirstOrDefault()?.Stage;
    }

    private static JourneyStageView StageView(JourneyStage stage, JourneyTally tally)
    {
        var count = tally.Stages.GetValueOrDefault((default, stage.Key)) ?? new StageCount();
        var histogram = tally.Waits.Where(w => w.Key.Stage == stage.Key && w.Value > 0).Select(w => (w.Key.Bucket, w.Value)).ToList();
        JourneyWait? wait = null;
        if (histogram.Count > 0)
        {
            wait = new JourneyWait(
                histogram.Sum(h => h.Value),
                Hours(JourneyTally.Percentile(histogram, 0.5)),
                Hours(JourneyTally.Percentile(histogram, 0.25)),
                Hours(JourneyTally.Percentile(histogram, 0.75)));
        }

        return new JourneyStageView(
            stage.Key, stage.Name, count.Entered, count.Converted, Share(count.Converted, count.Entered), count.Dropped, Share(count.Dropped, count.Entered),
            count.Entered - count.Converted - count.Dropped, wait);
    }

    private static JourneyPathView PathView(string path, long count, long total, JourneyInstanceBuilder journey)
    {
        var stages = path.Split('>');
        var orders = stages.Select(journey.Order).ToList();
        var loops = false;
        var skips = orders[0] > 0;
        for (var i = 1; i < orders.Count; i++)
        {
            loops |= orders[i] >= 0 && orders[i] < orders[i - 1];
            skips |= orders[i] > orders[i - 1] + 1;
        }

        return new JourneyPathView(stages, count, Math.Round((double)count / total, 4), loops, skips);
    }

    private static JourneyEmotionView EmotionView(string stage, StageFeedback f, int minN)
    {
        var n = EmotionScale.ScoreN(f) + f.SentimentN;
        return new JourneyEmotionView(
            stage, Round(EmotionScale.MeanSentiment(f), 4), f.SentimentN, Round(EmotionScale.Score(f), 2), EmotionScale.ScoreN(f),
            Round(EmotionScale.Emotion(f), 2), n, n < minN, false);
    }

    private static double Hours(double? milliseconds) => Math.Round((milliseconds ?? 0) / HourMs, 3);

    private static double? Share(long part, long whole) => whole > 0 ? Math.Round((double)part / whole, 4) : null;

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;
}
