using OpenCem.Dashboard.Components;
using OpenCem.Interactions;
using OpenCem.Text.Brand;
using OpenCem.Text.Experience;
using OpenCem.Text.Insights;

namespace OpenCem.Dashboard.Experience;

/// <summary>What the Experience page shows: the module balance per touchpoint, the brand gap, and the brand values to edit.</summary>
public sealed record ExperienceData(ExperientialView Balance, BrandGapView Gap, IReadOnlyList<BrandValue> Values);

/// <summary>Reads the Experience page through the same services as GET /api/v1/text/experiential and /api/v1/brand/gap.</summary>
public sealed class ExperienceReport(ExperientialBalance balance, BrandGapReader gap, BrandValueStore values, CatalogueStore catalogue, TimeProvider time)
{
    public async Task<ExperienceData> ReadAsync(long workspaceId, DashboardFilters filters, CancellationToken cancellationToken = default)
    {
        var (from, to) = filters.Window(time.GetUtcNow());
        long? touchpointId = null;
        if (filters.Touchpoint is not null)
        {
            // An unknown touchpoint key matches nothing rather than everything.
            touchpointId = (await catalogue.FindTouchpointAsync(workspaceId, filters.Touchpoint, cancellationToken))?.Id ?? -1;
        }

        var filter = new ThemeFilter(DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to), filters.Survey, touchpointId,
            filters.Survey is null ? null : OpenCem.Text.Pipeline.TextItemKind.Response);
        var period = filters.ChartInterval switch
        {
            OpenCem.Analytics.Metrics.MetricInterval.Day => "day",
            OpenCem.Analytics.Metrics.MetricInterval.Week => "week",
            _ => "month",
        };
        return new ExperienceData(
            await balance.GetAsync(workspaceId, ExperienceGrouping.Touchpoint, filter, filters.Touchpoint, cancellationToken),
            await gap.GetAsync(workspaceId, filter, filters.Touchpoint, period, BrandGapReader.DefaultTerms, cancellationToken),
            await values.ListAsync(workspaceId, cancellationToken));
    }

    /// <summary>
    /// Each module's part of a group's module tags, in percent (the stacked bar: a comment can speak to several modules,
    /// so shares of comments would add up to more than 100). Pure.
    /// </summary>
    public static IReadOnlyList<double?> Mix(ExperienceGroup group, string module)
    {
        var tags = group.Modules.Sum(m => m.Count);
        return [tags == 0 ? null : Math.Round(100.0 * group.Modules.Single(m => m.Module == module).Count / tags, 1)];
    }
}
