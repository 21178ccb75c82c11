namespace OpenCem.Analytics.Journeys;

/// <summary>The rollup cell an instance counts in: the UTC day it started and the channel of its first interaction.</summary>
public readonly record struct JourneyCell(long Day, string Channel);

/// <summary>Per stage: instances that entered it, moved on to a later stage, or ended there.</summary>
public sealed class StageCount
{
    public long Entered { get; set; }

    public long Converted { get; set; }

    public long Dropped { get; set; }

    public bool IsZero => Entered == 0 && Converted == 0 && Dropped == 0;
}

/// <summary>
/// Additive counts of journey instances, pure: per cell and stage the entered/converted/dropped counts, the time to the
/// next stage as a histogram of 5 % wide buckets, and the paths. The worker folds instance changes into it as deltas
/// (the old version subtracted, the new one added) that are upserted into the rollup tables; a query sums rollup rows
/// (or tallies instances) into one. The rules of what counts (ARCHITECTURE.md): an instance <em>entered</em> a stage
/// when its path contains it; it <em>converted</em> when, after first entering the stage, it reached any later stage of
/// the journey's order (the next one, or beyond it by a skip), and the time to the next stage is the time between
/// those two steps; it <em>dropped off</em> when it ended without converting. Entered = converted + dropped + in progress.
/// At the journey's last stage every instance that entered it has completed the journey: all count as converted.
/// </summary>
public sealed class JourneyTally
{
    /// <summary>Paths longer than this are cut, so a long loop does not make a path of its own each time.</summary>
    public const int MaxPathSteps = 12;

    public Dictionary<(JourneyCell Cell, string Stage), StageCount> Stages { get; } = [];

    public Dictionary<(JourneyCell Cell, string Stage, int Bucket), long> Waits { get; } = [];

    public Dictionary<(JourneyCell Cell, string Path), long> Paths { get; } = [];

    /// <summary>Adds (<paramref name="sign"/> 1) or removes (-1) an instance; <paramref name="byCell"/> false counts all in one cell.</summary>
    public void Add(JourneyInstance instance, JourneyInstanceBuilder journey, int sign, bool byCell = true)
    {
        var cell = byCell ? new JourneyCell(DayOf(instance.StartedAt), instance.Channel) : default;
        var steps = instance.Steps;
        for (var f = 0; f < steps.Count; f++)
        {
            var stage = steps[f].Stage;
            if (steps.FindIndex(s => s.Stage == stage) != f)
            {
                continue; // Counted from its first entry.
            }

            var count = Stage(cell, stage);
            count.Entered += sign;
            var order = journey.Order(stage);
            if (order == journey.Journey.Stages.Count - 1)
            {
                count.Converted += sign; // Reaching the last stage completes the journey.
                continue;
            }

            var next = steps.FindIndex(f + 1, s => journey.Order(s.Stage) > order);
            if (next >= 0)
            {
                count.Converted += sign;
                var key = (cell, stage, Bucket(steps[next].At - steps[f].At));
                Waits[key] = Waits.GetValueOrDefault(key) + sign;
            }
            else if (instance.Ended)
            {
                count.Dropped += sign;
            }
        }

        var pathKey = (cell, Path(instance));
        Paths[pathKey] = Paths.GetValueOrDefault(pathKey) + sign;
    }

    /// <summary>Adds rollup rows read back from storage.</summary>
    /// <summary>A copy that later additions to either do not change in the other.</summary>
    public JourneyTally Copy()
    {
        var copy = new JourneyTally();
        foreach (var (key, count) in Stages)
        {
            copy.Stages[key] = new StageCount { Entered = count.Entered, Converted = count.Converted, Dropped = count.Dropped };
        }

        foreach (var (key, n) in Waits)
        {
            copy.Waits[key] = n;
        }

        foreach (var (key, n) in Paths)
        {
            copy.Paths[key] = n;
        }

        return copy;
    }

    public void AddStage(string stage, long entered, long converted, long dropped)
    {
        var count = Stage(default, stage);
        count.Entered += entered;
        count.Converted += converted;
        count.Dropped += dropped;
    }

    public static string Path(JourneyInstance instance) =>
        instance.Steps.Count <= MaxPathSteps
            ? instance.PathText
            : string.Join('>', instance.Steps.Take(MaxPathSteps).Select(s => s.Stage)) + ">…";

    public static long DayOf(long at) => Math.DivRem(at, 86_400_000L, out var rest) - (rest < 0 ? 1 : 0);

    /// <summary>Bucket 0 is under a second; bucket b ≥ 1 holds [1 s·1.05^(b-1), 1 s·1.05^b).</summary>
    public static int Bucket(long milliseconds) =>
        milliseconds < 1000 ? 0 : 1 + (int)Math.Floor(Math.Log(milliseconds / 1000.0) / Math.Log(1.05));

    /// <summary>The bucket's representative value in milliseconds: the geometric middle of its bounds (0 for bucket 0).</summary>
    public static double BucketValue(int bucket) => bucket == 0 ? 0 : 1000 * Math.Pow(1.05, bucket - 0.5);

    /// <summary>The nearest-rank percentile (0–1) of a histogram, in milliseconds, or null when it is empty.</summary>
    public static double? Percentile(IReadOnlyList<(int Bucket, long Count)> histogram, double p)
    {
        var n = histogram.Sum(h => h.Count);
        if (n <= 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(p * n));
        long seen = 0;
        foreach (var (bucket, count) in histogram.OrderBy(h => h.Bucket))
        {
            seen += count;
            if (seen >= rank)
            {
                return BucketValue(bucket);
            }
        }

        return BucketValue(histogram.Max(h => h.Bucket));
    }

    private StageCount Stage(JourneyCell cell, string stage)
    {
        if (!Stages.TryGetValue((cell, stage), out var count))
        {
            count = new StageCount();
            Stages[(cell, stage)] = count;
        }

        return count;
    }
}
