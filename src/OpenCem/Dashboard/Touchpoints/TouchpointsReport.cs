using OpenCem.Analytics.Metrics;
using OpenCem.Dashboard.Components;
using OpenCem.Interactions;

namespace OpenCem.Dashboard.Touchpoints;

/// <summary>The Touchpoints page's data: the metric shown, the heatmap, or the filter that could not be applied.</summary>
public sealed record TouchpointsData(MetricKind Metric, TouchpointHeatmap Heatmap, MetricsRequestError? Error);

/// <summary>Reads the heatmap through the catalogue and the metrics rollups (one grouped read per metric, whatever the history).</summary>
public sealed class TouchpointsReport(MetricsReader metrics, CatalogueStore catalogue, TimeProvider time)
{
    /// <param name="metric">The metric asked for; null: the one answered at the most touchpoints (NPS on a tie).</param>
    public async Task<TouchpointsData> ReadAsync(long workspaceId, DashboardFilters filters, MetricKind? metric, CancellationToken cancellationToken = default)
    {
        var journeys = await catalogue.ListJourneysAsync(workspaceId, cancellationToken);
        var touchpoints = await catalogue.ListTouchpointsAsync(workspaceId, cancellationToken);
        var settings = await metrics.SettingsAsync(workspaceId, cancellationToken);
        var shown = metric ?? MetricKind.Nps;
        if (MetricFilterCheck.Problem(filters.MetricFilters(), settings) is { } problem)
        {
            return new TouchpointsData(shown, TouchpointHeatmap.Build(journeys, touchpoints, new Dictionary<string, MetricRow>()), problem);
        }

        var (from, to) = filters.Window(time.GetUtcNow());
        IReadOnlyDictionary<string, MetricRow>? best = null;
        MetricsRequestError? error = null;
        foreach (var kind in metric is { } asked ? [asked] : HeatScale.Metrics.Select(m => m.Kind))
        {
            var request = new MetricsRequest(kind, null, filters.Survey, [MetricDimensions.Touchpoint], filters.Interval, from, to, filters.MetricFilters());
            var (rows, readError) = await metrics.ReadAsync(workspaceId, request, settings, cancellationToken);
            var scores = LatestByTouchpoint(rows, from);
            error ??= readError;
            if (best is null || Answered(scores) > Answered(best))
            {
                (best, shown) = (scores, kind);
            }
        }

        return new TouchpointsData(shown, TouchpointHeatmap.Build(journeys, touchpoints, best!), error);
    }

    private static int Answered(IReadOnlyDictionary<string, MetricRow> scores) => scores.Values.Count(r => r.N > 0);

    /// <summary>Each touchpoint's row of the current period, which starts at <paramref name="from"/> (earlier rows are ignored).</summary>
    public static IReadOnlyDictionary<string, MetricRow> LatestByTouchpoint(IEnumerable<MetricRow> rows, long from)
    {
        var latest = new Dictionary<string, MetricRow>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Group?.GetValueOrDefault(MetricDimensions.Touchpoint) is not { } key || (row.PeriodStart is { } start && start.ToUnixTimeMilliseconds() < from))
            {
                continue;
            }

            if (!latest.TryGetValue(key, out var seen) || (row.PeriodStart ?? default) > (seen.PeriodStart ?? default))
            {
                latest[key] = row;
            }
        }

        return latest;
    }
}
