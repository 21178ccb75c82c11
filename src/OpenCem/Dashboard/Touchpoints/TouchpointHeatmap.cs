using OpenCem.Analytics.Metrics;
using OpenCem.Interactions;

namespace OpenCem.Dashboard.Touchpoints;

/// <summary>A touchpoint with its score in the period (null: no answers).</summary>
public sealed record ScoredTouchpoint(Touchpoint Touchpoint, MetricRow? Score);

/// <summary>
/// One cell: the touchpoints at a journey stage on a channel, and their combined score — the n-weighted mean of their
/// values, which is exact for NPS (shares), CSAT (share of top-two) and CES (mean); null when none has answers.
/// </summary>
public sealed record HeatmapCell(IReadOnlyList<ScoredTouchpoint> Touchpoints, double? Value, long N, bool LowN);

/// <summary>A row: one stage of one journey, its cells by channel.</summary>
public sealed record HeatmapRow(Journey Journey, JourneyStage Stage, IReadOnlyDictionary<string, HeatmapCell> Cells);

/// <summary>
/// The touchpoints by journey stage (rows, in each journey's order) and channel (columns); touchpoints outside any
/// journey stage are listed apart. Pure.
/// </summary>
public sealed record TouchpointHeatmap(IReadOnlyList<string> Channels, IReadOnlyList<HeatmapRow> Rows, IReadOnlyList<ScoredTouchpoint> Unplaced)
{
    public static TouchpointHeatmap Build(IReadOnlyList<Journey> journeys, IReadOnlyList<Touchpoint> touchpoints, IReadOnlyDictionary<string, MetricRow> scores)
    {
        var scored = touchpoints.Select(t => new ScoredTouchpoint(t, scores.GetValueOrDefault(t.Key))).ToList();
        var channels = touchpoints.Select(t => t.Channel).Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        var rows = new List<HeatmapRow>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var journey in journeys)
        {
            foreach (var stage in journey.Stages)
            {
                var here = scored.Where(s => s.Touchpoint.Journey == journey.Key && s.Touchpoint.Stage == stage.Key).ToList();
                placed.UnionWith(here.Select(s => s.Touchpoint.Key));
                var cells = here.GroupBy(s => s.Touchpoint.Channel, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Cell(g.ToList()), StringComparer.Ordinal);
                rows.Add(new HeatmapRow(journey, stage, cells));
            }
        }

        return new TouchpointHeatmap(channels, rows, scored.Where(s => !placed.Contains(s.Touchpoint.Key)).ToList());
    }

    private static HeatmapCell Cell(IReadOnlyList<ScoredTouchpoint> touchpoints)
    {
        var answered = touchpoints.Where(t => t.Score is { N: > 0 }).Select(t => t.Score!).ToList();
        var n = answered.Sum(s => s.N);
        double? value = n == 0 ? null : answered.Sum(s => s.Value * s.N) / n;
        return new HeatmapCell(touchpoints, value, n, answered.Count > 0 && answered.All(s => s.Flagged));
    }
}
