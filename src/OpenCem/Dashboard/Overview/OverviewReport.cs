using OpenCem.Actions.Cases;
using OpenCem.Analytics.Metrics;
using OpenCem.Dashboard.Components;
using OpenCem.Value.Equity;

namespace OpenCem.Dashboard.Overview;

/// <summary>What the Overview page shows, read through the same services as the API (metrics, equity, cases).</summary>
public sealed record OverviewData(
    MetricRow? Nps, MetricRow? Csat, MetricRow? Ces, IReadOnlyList<MetricRow> Volume, EquityTotals Equity, CaseCounts Cases,
    MetricsRequestError? Error);

public sealed class OverviewReport(MetricsReader metrics, EquityQuery equity, CaseReader cases, TimeProvider time)
{
    /// <param name="caseTeam">Agents see the counts of their team's cases only.</param>
    public async Task<OverviewData> ReadAsync(long workspaceId, DashboardFilters filters, string? caseTeam, CancellationToken cancellationToken = default)
    {
        var settings = await metrics.SettingsAsync(workspaceId, cancellationToken);
        var (from, to) = filters.Window(time.GetUtcNow());
        MetricsRequestError? error = null;

        async Task<IReadOnlyList<MetricRow>> Read(MetricKind kind, MetricInterval interval)
        {
            var request = new MetricsRequest(kind, null, filters.Survey, [], interval, from, to, filters.MetricFilters());
            var (rows, problem) = await metrics.ReadAsync(workspaceId, request, settings, cancellationToken);
            error ??= problem;
            return rows;
        }

        var nps = (await Read(MetricKind.Nps, filters.Interval)).LastOrDefault();
        var csat = (await Read(MetricKind.Csat, filters.Interval)).LastOrDefault();
        var ces = (await Read(MetricKind.Ces, filters.Interval)).LastOrDefault();
        var volume = await Read(MetricKind.Nps, filters.ChartInterval);
        var equityView = await equity.TotalsAsync(workspaceId, cancellationToken);
        var counts = await cases.CountsAsync(workspaceId, caseTeam, cancellationToken);
        return new OverviewData(nps, csat, ces, volume, equityView, counts, error);
    }
}
