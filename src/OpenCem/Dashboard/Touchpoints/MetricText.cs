using System.Globalization;
using OpenCem.Analytics.Metrics;

namespace OpenCem.Dashboard.Touchpoints;

/// <summary>How the analytics pages name and write NPS, CSAT and CES values, in the user's language and culture.</summary>
public static class MetricText
{
    public static string Label(MetricKind kind) => kind switch
    {
        MetricKind.Csat => "CSAT",
        MetricKind.Ces => DashboardCulture.T("CES (1–7, 7 = very easy)", "CES (1–7, 7 = sehr einfach)"),
        _ => "NPS",
    };

    public static string ShortLabel(MetricKind kind) => kind switch
    {
        MetricKind.Csat => "CSAT",
        MetricKind.Ces => "CES",
        _ => "NPS",
    };

    public static string Format(MetricKind kind) => kind == MetricKind.Ces ? "N2" : "N1";

    public static string Unit(MetricKind kind) => kind == MetricKind.Csat ? " %" : "";

    public static string Value(MetricKind kind, double value) => value.ToString(Format(kind), CultureInfo.CurrentCulture) + Unit(kind);

    public static string Count(long n) => n.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>The x-axis title of a chart over the page's period.</summary>
    public static string PeriodAxis(MetricInterval interval) => interval switch
    {
        MetricInterval.Day => DashboardCulture.T("Day", "Tag"),
        MetricInterval.Week => DashboardCulture.T("Week starting", "Woche ab"),
        _ => DashboardCulture.T("Month", "Monat"),
    };

    public static string PeriodLabel(MetricInterval interval, MetricRow row) => row.PeriodStart is { } start
        ? interval == MetricInterval.Month ? start.ToString("MMM yyyy", CultureInfo.CurrentCulture) : start.ToString("d", CultureInfo.CurrentCulture)
        : row.Period;
}
