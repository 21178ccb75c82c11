using OpenCem.Analytics.Metrics;
using OpenCem.Customers;
using OpenCem.Feedback.Surveys;
using OpenCem.Interactions;

namespace OpenCem.Dashboard.Components;

/// <summary>What the filter bar offers: the workspace's surveys, touchpoints, channels, segments and rolled-up traits.</summary>
public sealed record FilterOptions(
    IReadOnlyList<(long Id, string Name)> Surveys, IReadOnlyList<(string Key, string Name)> Touchpoints, IReadOnlyList<string> Channels,
    IReadOnlyList<string> Segments, IReadOnlyList<string> Traits)
{
    public static readonly IReadOnlyList<string> LifecycleStages =
        [LifecycleStage.Prospect, LifecycleStage.New, LifecycleStage.Active, LifecycleStage.AtRisk, LifecycleStage.Former, LifecycleStage.WonBack];
}

/// <summary>Reads the filter bar's options through the catalogue, survey and metrics services.</summary>
public sealed class FilterOptionsReader(SurveyStore surveys, CatalogueStore catalogue, MetricsSettingsStore metricsSettings)
{
    public async Task<FilterOptions> ReadAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        var surveyList = await surveys.ListAsync(workspaceId, cancellationToken);
        var touchpoints = await catalogue.ListTouchpointsAsync(workspaceId, cancellationToken);
        var settings = await metricsSettings.GetAsync(workspaceId, cancellationToken);
        return new FilterOptions(
            surveyList.Select(s => (s.Id, s.Name)).OrderBy(s => s.Name, StringComparer.CurrentCulture).ToList(),
            touchpoints.Select(t => (t.Key, t.Name)).OrderBy(t => t.Name, StringComparer.CurrentCulture).ToList(),
            touchpoints.Select(t => t.Channel).Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList(),
            FilterOptions.LifecycleStages,
            settings.Traits);
    }
}
