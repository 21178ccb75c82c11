namespace OpenCem.Analytics.Ladder;

/// <summary>The rungs. NPS ladder: detractor (0–6), passive (7–8), promoter (9–10); behavioural ladder: unsatisfied, satisfied, loyal, advocate; <c>unrated</c>: not on the ladder.</summary>
public static class Rungs
{
    public const string Unrated = "unrated";
    public const string Detractor = "detractor";
    public const string Passive = "passive";
    public const string Promoter = "promoter";
    public const string Unsatisfied = "unsatisfied";
    public const string Satisfied = "satisfied";
    public const string Loyal = "loyal";
    public const string Advocate = "advocate";

    public static readonly IReadOnlyList<string> Nps = [Detractor, Passive, Promoter];

    public static readonly IReadOnlyList<string> Behaviour = [Unsatisfied, Satisfied, Loyal, Advocate];

    public static string OfNps(int answer) => answer >= 9 ? Promoter : answer >= 7 ? Passive : Detractor;
}

/// <summary>What one customer did and said that the ladder looks at; times are UTC epoch ms, each list in time order.</summary>
public sealed class LadderFacts
{
    public List<(long At, int Answer)> Nps { get; } = [];

    public List<(long At, int Answer)> Csat { get; } = [];

    public List<(long At, string Event)> Events { get; } = [];

    /// <summary>Public reviews: rating as a share of the scale (0–1).</summary>
    public List<(long At, double Share)> Reviews { get; } = [];

    /// <summary>When the customer became one (the tenure trait), if known.</summary>
    public long? Since { get; set; }

    /// <summary>The customer's traits (JSON), for counts per trait value.</summary>
    public string? Traits { get; set; }

    public void Sort()
    {
        Nps.Sort((a, b) => a.At.CompareTo(b.At));
        Csat.Sort((a, b) => a.At.CompareTo(b.At));
        Events.Sort((a, b) => a.At.CompareTo(b.At));
        Reviews.Sort((a, b) => a.At.CompareTo(b.At));
    }
}

/// <summary>Places a customer on the ladders, pure.</summary>
public static class LadderClassifier
{
    /// <summary>The NPS rung from the latest NPS answer in [start, end), and that answer's time (0 without one).</summary>
    public static (string Rung, long At) NpsRung(LadderFacts facts, long start, long end)
    {
        var latest = Latest(facts.Nps, start, end);
        return latest is { } l ? (Rungs.OfNps(l.Answer), l.At) : (Rungs.Unrated, 0);
    }

    /// <summary>The behavioural rung at <paramref name="end"/> (exclusive) under the rules.</summary>
    public static string Rung(LadderFacts facts, LadderRules rules, long end)
    {
        var lookback = MonthsBefore(end, rules.Satisfied.LookbackMonths);
        var nps = Latest(facts.Nps, lookback, end);
        var csat = Latest(facts.Csat, lookback, end);
        if (nps is null && csat is null)
        {
            return Rungs.Unrated;
        }

        // The most recent answer decides (a detractor in March is not satisfied by a CSAT of 5 in January); answers given together both count.
        var csatCounts = csat is not null && (nps is null || csat.Value.At >= nps.Value.At);
        var npsCounts = nps is not null && (csat is null || nps.Value.At >= csat.Value.At);
        var satisfied = (csatCounts && csat!.Value.Answer >= rules.Satisfied.CsatAtLeast) || (npsCounts && nps!.Value.Answer >= rules.Satisfied.NpsAtLeast);
        if (!satisfied)
        {
            return Rungs.Unsatisfied;
        }

        var loyalFrom = MonthsBefore(end, rules.Loyal.WithinMonths);
        var loyal = facts.Events.Exists(e => e.At >= loyalFrom && e.At < end && rules.Loyal.Events.Contains(e.Event))
            || (facts.Since is { } since && since < end && since <= MonthsBefore(end, rules.Loyal.TenureMonths));
        if (!loyal)
        {
            return Rungs.Satisfied;
        }

        var advocateFrom = MonthsBefore(end, rules.Advocate.WithinMonths);
        var referred = facts.Events.Exists(e => e.At >= advocateFrom && e.At < end && rules.Advocate.Events.Contains(e.Event));
        var reviewed = nps?.Answer >= rules.Advocate.NpsAtLeast
            && facts.Reviews.Exists(r => r.At >= advocateFrom && r.At < end && r.Share >= rules.Advocate.ReviewAtLeast);
        return referred || reviewed ? Rungs.Advocate : Rungs.Loyal;
    }

    public static long MonthsBefore(long at, int months) =>
        DateTimeOffset.FromUnixTimeMilliseconds(at).AddMonths(-months).ToUnixTimeMilliseconds();

    private static (long At, int Answer)? Latest(List<(long At, int Answer)> answers, long from, long end)
    {
        for (var i = answers.Count - 1; i >= 0; i--)
        {
            if (answers[i].At < end)
            {
                return answers[i].At >= from ? answers[i] : null;
            }
        }

        return null;
    }
}
