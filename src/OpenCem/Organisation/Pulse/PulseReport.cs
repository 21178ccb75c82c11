using System.Text.Json.Serialization;
using OpenCem.Analytics.Metrics;
using OpenCem.Analytics.Statistics;

namespace OpenCem.Organisation.Pulse;

/// <summary>
/// One cell of a pulse report: a period and group (attribute → value; null for "not answered"). A suppressed cell
/// has no value and no n: the group is smaller than the minimum, or could be worked out from other cells.
/// </summary>
public sealed record PulseRow(
    string Period,
    DateTimeOffset PeriodStart,
    IReadOnlyDictionary<string, string?> Group,
    bool Suppressed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? N,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Value,
    double? CiLow,
    double? CiHigh,
    double? Promoters,
    double? Detractors,
    double? Previous,
    double? Change,
    bool? Significant);

/// <summary>A validated pulse query: period level, filters (attribute index → value index) and grouping attributes.</summary>
public sealed record PulseQuery(PulseLevel Level, IReadOnlyDictionary<int, int> Filters, IReadOnlyList<int> By, long? From, long? To);

/// <summary>
/// Answers a pulse query from a <see cref="PulseCube"/>: every period of the level in range × every combination of
/// the grouping attributes' values (suppressed ones included, so an absent row never tells that a group is empty),
/// each shown only when <see cref="AnonymityPolicy"/> allows it. Pure.
/// </summary>
public static class PulseReport
{
    public static List<PulseRow> Rows(PulseCube cube, string question, MetricKind kind, PulseQuery query, int minimum)
    {
        var shown = cube.Shown(question, minimum);
        var rows = new List<PulseRow>();
        var previousOf = new Dictionary<int, int>();
        var level = cube.Periods.Select((p, i) => (p, i)).Where(x => x.p.Level == query.Level).ToList();
        for (var i = 1; i < level.Count; i++)
        {
            var (before, now) = (level[i - 1].p, level[i].p);
            if ((query.Level == PulseLevel.Quarter ? DateTimeOffset.FromUnixTimeMilliseconds(before.Start).AddMonths(3) : DateTimeOffset.FromUnixTimeMilliseconds(before.Start).AddYears(1)).ToUnixTimeMilliseconds() == now.Start)
            {
                previousOf[level[i].i] = level[i - 1].i;
            }
        }

        var combinations = Combinations(cube, query.By);
        foreach (var (period, index) in level)
        {
            if ((query.From is { } from && period.End <= from) || (query.To is { } to && period.Start >= to))
            {
                continue;
            }

            foreach (var combination in combinations)
            {
                var group = new PulseGroup(index, 0);
                foreach (var (a, v) in query.Filters)
                {
                    group = group.With(a, v);
                }

                for (var b = 0; b < query.By.Count; b++)
                {
                    group = group.With(query.By[b], combination[b]);
                }

                var names = query.By.Select((a, b) => (Name: cube.Attributes[a], Value: cube.Values[a][combination[b] - 1]))
                    .ToDictionary(x => x.Name, x => x.Value.Length == 0 ? null : x.Value, StringComparer.Ordinal);
                if (!shown.Contains(group) || cube.Tally(question, group).Evaluate(kind) is not { } result)
                {
                    rows.Add(new PulseRow(period.Name, Time(period.Start), names, true, null, null, null, null, null, null, null, null, null));
                    continue;
                }

                MetricResult? previous = null;
                if (previousOf.TryGetValue(index, out var before) && shown.Contains(group with { Period = before }))
                {
                    previous = cube.Tally(question, group with { Period = before }).Evaluate(kind);
                }

                var change = previous is null ? (double?)null : Math.Round(result.Exact - previous.Exact, 2);
                var significant = previous is { StandardError: { } sePrevious } && result.StandardError is { } se
                    ? Math.Abs(result.Exact - previous.Exact) > StudentT.NormalZ975 * Math.Sqrt((se * se) + (sePrevious * sePrevious))
                    : (bool?)null;
                rows.Add(new PulseRow(period.Name, Time(period.Start), names, false, result.N, result.Value, result.CiLow, result.CiHigh,
                    result.Promoters, result.Detractors, previous?.Value, change, significant));
            }
        }

        return rows;
    }

    /// <summary>Every combination of value indexes (1-based) of the grouping attributes; one empty combination without grouping.</summary>
    private static List<int[]> Combinations(PulseCube cube, IReadOnlyList<int> by)
    {
        var all = new List<int[]> { Array.Empty<int>() };
        foreach (var attribute in by)
        {
            all = [.. all.SelectMany(c => Enumerable.Range(1, cube.Values[attribute].Count).Select(v => (int[])[.. c, v]))];
        }

        return all;
    }

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
