using System.Text.Json.Serialization;
using OpenCem.Text.Experience;

namespace OpenCem.Text.Brand;

/// <summary>A share with its 95 % Wilson score interval.</summary>
public sealed record Proportion(long Count, long Of, double Share, double Low, double High)
{
    private const double Z = 1.959964;

    public static Proportion Wilson(long count, long of)
    {
        if (of <= 0)
        {
            return new Proportion(count, of, 0, 0, 0);
        }

        var p = (double)count / of;
        var z2 = Z * Z;
        var centre = (p + z2 / (2 * of)) / (1 + z2 / of);
        var half = Z * Math.Sqrt(p * (1 - p) / of + z2 / (4.0 * of * of)) / (1 + z2 / of);
        return new Proportion(count, of, Math.Round(p, 4), Math.Round(Math.Max(0, centre - half), 4), Math.Round(Math.Min(1, centre + half), 4));
    }
}

/// <summary>Mentions of a brand value that confirm and that contradict it.</summary>
public readonly record struct Tally(long Confirm, long Contradict)
{
    public long Mentions => Confirm + Contradict;

    /// <summary>(confirm − contradict) / mentions, from −1 (always contradicted) to 1 (always confirmed); null without mentions.</summary>
    public double? Perception => Mentions == 0 ? null : Math.Round((double)(Confirm - Contradict) / Mentions, 4);

    public static Tally operator +(Tally a, Tally b) => new(a.Confirm + b.Confirm, a.Contradict + b.Contradict);
}

/// <summary>Where a value is contradicted (or confirmed) most: the touchpoint, its count and its share of all such mentions.</summary>
public sealed record TouchpointShare(string? Touchpoint, string Name, long Count, double Share);

/// <summary>One period of a value's trend.</summary>
public sealed record GapPoint(DateTimeOffset Period, long Confirm, long Contradict, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Perception);

/// <summary>
/// A brand value measured: how often customers' words confirm and contradict it, the share confirming with its interval,
/// the perception (−1…1) and the gap to the intended +1 (0 = customers see the company as it means to be, 2 = the opposite).
/// </summary>
public sealed record ValueGap(
    string Key, IReadOnlyDictionary<string, string> Names, long Mentions, long Confirm, long Contradict, Proportion Confirming,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Perception,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Gap,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] TouchpointShare? ContradictedMostlyAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] TouchpointShare? ConfirmedMostlyAt, IReadOnlyList<GapPoint> Trend, IReadOnlyList<string> Untracked);

/// <summary>A descriptive word customers use, how often affirmed and how often denied.</summary>
public sealed record TermUse(string Term, long Mentions, long Affirmed, long Negated);

/// <summary>The descriptive-word counts a gap is computed from (one row per slice of the rollup), pure.</summary>
public sealed record TermCount(long Day, long TouchpointId, string Term, long Affirmed, long Negated);

/// <summary>Turns descriptive-word counts into the gap of each brand value (pure, tested directly).</summary>
public static class BrandGap
{
    /// <summary>The terms a value's words and opposites count as; words no list knows are left out (reported as untracked).</summary>
    public static (HashSet<string> Words, HashSet<string> Opposites) Terms(BrandValue value)
    {
        var words = value.Words.Select(ExperienceTagger.TermOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var opposites = value.Opposites.Select(ExperienceTagger.TermOf).OfType<string>().Where(t => !words.Contains(t)).ToHashSet(StringComparer.Ordinal);
        return (words, opposites);
    }

    /// <summary>A word affirmed or an opposite denied confirms the value; a word denied or an opposite affirmed contradicts it.</summary>
    public static Tally Count(TermCount count, HashSet<string> words, HashSet<string> opposites) =>
        words.Contains(count.Term) ? new Tally(count.Affirmed, count.Negated)
        : opposites.Contains(count.Term) ? new Tally(count.Negated, count.Affirmed)
        : default;

    public static ValueGap Of(
        BrandValue value, IReadOnlyList<TermCount> counts, Func<long, DateTimeOffset> period, Func<long, (string? Key, string Name)> touchpoint)
    {
        var (words, opposites) = Terms(value);
        var total = default(Tally);
        var byTouchpoint = new Dictionary<long, Tally>();
        var byPeriod = new SortedDictionary<DateTimeOffset, Tally>();
        foreach (var count in counts)
        {
            var tally = Count(count, words, opposites);
            if (tally.Mentions == 0)
            {
                continue;
            }

            total += tally;
            byTouchpoint[count.TouchpointId] = byTouchpoint.GetValueOrDefault(count.TouchpointId) + tally;
            var at = period(count.Day);
            byPeriod[at] = byPeriod.GetValueOrDefault(at) + tally;
        }

        TouchpointShare? Most(Func<Tally, long> pick, long of) => byTouchpoint.Where(t => pick(t.Value) > 0)
            .OrderByDescending(t => pick(t.Value)).ThenBy(t => t.Key).Select(t =>
            {
                var (key, name) = touchpoint(t.Key);
                return new TouchpointShare(key, name, pick(t.Value), Math.Round((double)pick(t.Value) / of, 4));
            }).FirstOrDefault();

        var perception = total.Perception;
        return new ValueGap(
            value.Key, value.Names, total.Mentions, total.Confirm, total.Contradict, Proportion.Wilson(total.Confirm, total.Mentions), perception,
            perception is { } p ? Math.Round(1 - p, 4) : null,
            Most(t => t.Contradict, total.Contradict), Most(t => t.Confirm, total.Confirm),
            [.. byPeriod.Select(p => new GapPoint(p.Key, p.Value.Confirm, p.Value.Contradict, p.Value.Perception))],
            BrandValueView.Of(value).Untracked);
    }

    /// <summary>The words customers use most, from the per-term sums.</summary>
    public static IReadOnlyList<TermUse> TopTerms(IEnumerable<(string Term, long Affirmed, long Negated)> sums, int limit) =>
        [.. sums.Select(s => new TermUse(s.Term, s.Affirmed + s.Negated, s.Affirmed, s.Negated))
            .Where(t => t.Mentions > 0)
            .OrderByDescending(t => t.Mentions).ThenBy(t => t.Term, StringComparer.Ordinal)
            .Take(limit)];

    /// <summary>The start of the period (UTC) a day falls in.</summary>
    public static DateTimeOffset PeriodOf(long day, string period)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(day);
        return period switch
        {
            "day" => new DateTimeOffset(at.Date, TimeSpan.Zero),
            "week" => new DateTimeOffset(at.Date.AddDays(-(((int)at.DayOfWeek + 6) % 7)), TimeSpan.Zero),
            "quarter" => new DateTimeOffset(at.Year, (at.Month - 1) / 3 * 3 + 1, 1, 0, 0, 0, TimeSpan.Zero),
            _ => new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero),
        };
    }
}
