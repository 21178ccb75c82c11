using Microsoft.Extensions.Caching.Memory;
using OpenCem.Actions.Cases;
using OpenCem.Analytics.Metrics;
using OpenCem.Dashboard.Components;
using OpenCem.Storage;
using OpenCem.Value.Equity;

namespace OpenCem.Dashboard.Overview;

/// <summary>What the Overview page shows, read through the same services as the API (metrics, equity, cases).</summary>
public sealed record OverviewData(
    MetricRow? Nps, MetricRow? Csat, MetricRow? Ces, IReadOnlyList<MetricRow> Volume, EquityTotals Equity, CaseCounts Cases,
    MetricsRequestError? Error);

public sealed class OverviewReport(MetricsReader metrics, EquityQuery equity, CaseReader cases, TimeProvider time, Database database, IMemoryCache cache)
{
    /// <param name="caseTeam">Agents see the counts of their team's cases only.</param>
    public async Task<OverviewData> ReadAsync(long workspaceId, DashboardFilters filters, string? caseTeam, CancellationToken cancellationToken = default)
    {
        var settings = await metrics.SettingsAsync(workspaceId, cancellationToken);
        var (from, to) = filters.Window(time.GetUtcNow());
        var tiles = await TilesAsync(workspaceId, filters, settings, from, to, cancellationToken);
        var equityView = await equity.TotalsAsync(workspaceId, cancellationToken);
        var counts = await cases.CountsAsync(workspaceId, caseTeam, cancellationToken);
        return new OverviewData(tiles.Nps, tiles.Csat, tiles.Ces, tiles.Volume, equityView, counts, tiles.Error);
    }

    /// <summary>
    /// The metric tiles and volume chart, remembered per response version (and trait version with a trait filter):
    /// every rollup write bumps it, and the metrics read whole days, so the same day's window with the same versions
    /// reads the same rollup rows (the year view reads a year of them on every view otherwise).
    /// </summary>
    private async Task<Tiles> TilesAsync(long workspaceId, DashboardFilters filters, MetricsSettings settings, long from, long to, CancellationToken cancellationToken)
    {
        string[] versions = filters.TraitName is null ? [DataVersions.Responses] : [DataVersions.Responses, DataVersions.Traits];
        var key = (typeof(OverviewReport), workspaceId, filters, settings.MinimumN, string.Join(',', settings.Traits), from, MetricPeriods.Day(to));
        return await RememberedResults.GetAsync(cache, database, workspaceId, versions, key, () => ReadTilesAsync(workspaceId, filters, settings, from, to, cancellationToken),
            cancellationToken: cancellationToken);
    }

    private async Task<Tiles> ReadTilesAsync(long workspaceId, DashboardFilters filters, MetricsSettings settings, long from, long to, CancellationToken cancellationToken)
    {
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
        return new Tiles(nps, csat, ces, volume, error);
    }

    private sealed record Tiles(MetricRow? Nps, MetricRow? Csat, MetricRow? Ces, IReadOnlyList<MetricRow> Volume, MetricsRequestError? Error);
}
