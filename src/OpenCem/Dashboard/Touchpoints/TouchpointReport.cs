using OpenCem.Analytics.Metrics;
using OpenCem.Dashboard.Components;
using OpenCem.Interactions;
using OpenCem.Text.Insights;

namespace OpenCem.Dashboard.Touchpoints;

/// <summary>
/// One touchpoint's page: NPS, CSAT and CES in the period, the chosen metric over time with its volume, and the themes
/// of its comments (by volume, with their NPS impact).
/// </summary>
public sealed record TouchpointData(
    Touchpoint Touchpoint, IReadOnlyDictionary<MetricKind, MetricRow?> Scores, IReadOnlyList<MetricRow> Trend, IReadOnlyList<ThemeInsight> Themes,
    long Comments, MetricsRequestError? Error);

/// <summary>Reads a touchpoint's page through the metrics rollups and the theme rollups (never the responses).</summary>
public sealed class TouchpointReport(MetricsReader metrics, CatalogueStore catalogue, ThemeInsights themes, TimeProvider time)
{
    public const int MaxThemes = 12;

    /// <summary>The page's data, or null when the workspace has no touchpoint with this key.</summary>
    public async Task<TouchpointData?> ReadAsync(long workspaceId, string key, DashboardFilters filters, MetricKind metric, CancellationToken cancellationToken = default)
    {
        if (await catalogue.FindTouchpointAsync(workspaceId, key, cancellationToken) is not { } touchpoint)
        {
            return null;
        }

        var settings = await metrics.SettingsAsync(workspaceId, cancellationToken);
        var here = filters with { Touchpoint = touchpoint.Key };
        var (from, to) = here.Window(time.GetUtcNow());
        var error = MetricFilterCheck.Problem(here.MetricFilters(), settings);
        if (error is not null)
        {
            return new TouchpointData(touchpoint, new Dictionary<MetricKind, MetricRow?>(), [], [], 0, error);
        }

        async Task<IReadOnlyList<MetricRow>> Read(MetricKind kind, MetricInterval interval)
        {
            var request = new MetricsRequest(kind, null, here.Survey, [], interval, from, to, here.MetricFilters());
            var (rows, problem) = await metrics.ReadAsync(workspaceId, request, settings, cancellationToken);
            error ??= problem;
            return rows;
        }

        var scores = new Dictionary<MetricKind, MetricRow?>();
        foreach (var (_, kind) in HeatScale.Metrics)
        {
            scores[kind] = (await Read(kind, here.Interval)).LastOrDefault(r => r.PeriodStart is not { } start || start.ToUnixTimeMilliseconds() >= from);
        }

        var trend = await Read(metric, here.ChartInterval);
        var themeView = await themes.GetAsync(
            workspaceId,
            new ThemeFilter(DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to), here.Survey, touchpoint.Id, here.Survey is null ? null : OpenCem.Text.Pipeline.TextItemKind.Response),
            touchpoint.Key,
            cancellationToken);
        var topThemes = themeView.Themes.OrderByDescending(t => t.Volume).ThenBy(t => t.Key, StringComparer.Ordinal).Take(MaxThemes).ToList();
        return new TouchpointData(touchpoint, scores, trend, topThemes, themeView.Comments, error);
    }
}
