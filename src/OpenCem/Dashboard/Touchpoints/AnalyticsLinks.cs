using Microsoft.AspNetCore.WebUtilities;
using OpenCem.Analytics.Metrics;
using OpenCem.Dashboard.Components;

namespace OpenCem.Dashboard.Touchpoints;

/// <summary>The drill-through links of the analytics pages, keeping the page's filters so the next page shows the same slice.</summary>
public static class AnalyticsLinks
{
    public static string Touchpoint(string key, DashboardFilters filters, MetricKind metric) =>
        QueryHelpers.AddQueryString("/touchpoints/" + Uri.EscapeDataString(key), Keep(filters, ("metric", HeatScale.Name(metric))));

    public static string Journey(string key, DashboardFilters filters) =>
        QueryHelpers.AddQueryString("/journeys", Keep(filters with { Survey = null, Segment = null }, ("journey", key)));

    /// <summary>The Text page's comments of a theme at a touchpoint.</summary>
    public static string Theme(string theme, string? touchpoint, DashboardFilters filters) =>
        QueryHelpers.AddQueryString("/text", Keep(filters with { Touchpoint = touchpoint }, ("theme", theme)));

    private static IEnumerable<KeyValuePair<string, string?>> Keep(DashboardFilters filters, params (string Key, string Value)[] more) =>
        filters.Query().Select(q => new KeyValuePair<string, string?>(q.Key, q.Value))
            .Concat(more.Select(m => new KeyValuePair<string, string?>(m.Key, m.Value)));
}
