using OpenCem.Analytics.Metrics;

namespace OpenCem.Dashboard.Touchpoints;

/// <summary>
/// The heatmap's colour scale: five bands from "poor" to "excellent" with fixed limits per metric, so a colour means
/// the same score on every visit (a scale relative to the visible cells would turn the best of bad touchpoints green).
/// Pure. The band's number picks a CSS class (<c>heat-0</c> … <c>heat-4</c>); the value is always written as well.
/// </summary>
public static class HeatScale
{
    public const int Bands = 5;

    /// <summary>The metrics the heatmap offers, with their query-string names.</summary>
    public static readonly IReadOnlyList<(string Name, MetricKind Kind)> Metrics = [("nps", MetricKind.Nps), ("csat", MetricKind.Csat), ("ces", MetricKind.Ces)];

    /// <summary>The metric of <c>metric=nps|csat|ces</c>; anything else is NPS.</summary>
    public static MetricKind Parse(string? name) => Find(name) ?? MetricKind.Nps;

    /// <summary>The metric of <c>metric=nps|csat|ces</c>, or null for anything else.</summary>
    public static MetricKind? Find(string? name) =>
        Metrics.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)) is { Name: not null } found ? found.Kind : null;

    public static string Name(MetricKind kind) => Metrics.FirstOrDefault(m => m.Kind == kind).Name ?? "nps";

    /// <summary>The four inner limits between the bands (a value equal to a limit belongs to the band above).</summary>
    public static IReadOnlyList<double> Limits(MetricKind kind) => kind switch
    {
        MetricKind.Csat => [60, 70, 80, 90],
        // CES on 1–7, 7 = very easy.
        MetricKind.Ces => [4, 4.75, 5.5, 6.25],
        _ => [-20, 0, 20, 40],
    };

    /// <summary>0 (poor) to 4 (excellent).</summary>
    public static int Band(MetricKind kind, double value)
    {
        var band = 0;
        foreach (var limit in Limits(kind))
        {
            if (value >= limit)
            {
                band++;
            }
        }

        return band;
    }

    /// <summary>The legend: each band's range as text, lowest first.</summary>
    public static IReadOnlyList<string> Ranges(MetricKind kind, Func<double, string> format)
    {
        var limits = Limits(kind);
        var ranges = new List<string> { "< " + format(limits[0]) };
        for (var i = 1; i < limits.Count; i++)
        {
            ranges.Add(format(limits[i - 1]) + " – < " + format(limits[i]));
        }

        ranges.Add("≥ " + format(limits[^1]));
        return ranges;
    }
}
