using System.Globalization;
using Microsoft.AspNetCore.Http;
using OpenCem.Analytics.Metrics;

namespace OpenCem.Dashboard.Components;

/// <summary>The calendar period a page shows: the current one to date, compared with the whole previous one.</summary>
public enum DashboardPeriod
{
    Month,
    Quarter,
    Year,
}

/// <summary>
/// The filters of a page, read from the query string (so a view can be shared as a link): period, survey, touchpoint,
/// channel, segment (life-cycle stage) and one trait (<c>trait=NAME:VALUE</c>). Unknown or malformed values fall back
/// to "any", never to an error page. Pure.
/// </summary>
public sealed record DashboardFilters(
    DashboardPeriod Period, long? Survey, string? Touchpoint, string? Channel, string? Segment, string? TraitName, string? TraitValue)
{
    public static readonly DashboardFilters Default = new(DashboardPeriod.Quarter, null, null, null, null, null, null);

    public static DashboardFilters From(IQueryCollection query)
    {
        var period = Enum.TryParse<DashboardPeriod>(query["period"].ToString(), ignoreCase: true, out var p) && Enum.IsDefined(p) && !int.TryParse(query["period"], out _)
            ? p : DashboardPeriod.Quarter;
        long? survey = long.TryParse(query["survey"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : null;
        var trait = Clean(query["trait"]);
        var colon = trait?.IndexOf(':') ?? -1;
        return new DashboardFilters(
            period, survey, Clean(query["touchpoint"]), Clean(query["channel"]), Clean(query["segment"]),
            colon > 0 ? trait![..colon].Trim() : null, colon > 0 && colon < trait!.Length - 1 ? trait[(colon + 1)..].Trim() : null);
    }

    public MetricInterval Interval => Period switch
    {
        DashboardPeriod.Month => MetricInterval.Month,
        DashboardPeriod.Year => MetricInterval.Year,
        _ => MetricInterval.Quarter,
    };

    /// <summary>A finer grain for charts over the period: days for a month, weeks for a quarter, months for a year.</summary>
    public MetricInterval ChartInterval => Period switch
    {
        DashboardPeriod.Month => MetricInterval.Day,
        DashboardPeriod.Year => MetricInterval.Month,
        _ => MetricInterval.Week,
    };

    /// <summary>The start of the current period (inclusive) and now (exclusive), epoch ms.</summary>
    public (long From, long To) Window(DateTimeOffset now)
    {
        var to = now.ToUnixTimeMilliseconds();
        return (MetricPeriods.Start(Interval, to), to);
    }

    /// <summary>The filters as the metrics service takes them.</summary>
    public IReadOnlyList<MetricFilter> MetricFilters()
    {
        var filters = new List<MetricFilter>();
        void Add(string dimension, string? value)
        {
            if (value is not null)
            {
                filters.Add(new MetricFilter(dimension, new HashSet<string>(StringComparer.Ordinal) { value }));
            }
        }

        Add(MetricDimensions.Touchpoint, Touchpoint);
        Add(MetricDimensions.Channel, Channel);
        Add(MetricDimensions.LifecycleStage, Segment);
        if (TraitName is not null)
        {
            Add(MetricDimensions.TraitPrefix + TraitName, TraitValue);
        }

        return filters;
    }

    /// <summary>The query string of these filters (without defaults), for links that keep them.</summary>
    public IEnumerable<KeyValuePair<string, string>> Query()
    {
        if (Period != DashboardPeriod.Quarter)
        {
            yield return new("period", Period.ToString().ToLowerInvariant());
        }

        if (Survey is { } survey)
        {
            yield return new("survey", survey.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (key, value) in new[] { ("touchpoint", Touchpoint), ("channel", Channel), ("segment", Segment) })
        {
            if (value is not null)
            {
                yield return new(key, value);
            }
        }

        if (TraitName is not null && TraitValue is not null)
        {
            yield return new("trait", $"{TraitName}:{TraitValue}");
        }
    }

    private static string? Clean(string? value) =>
        string.IsNullOrWhiteSpace(value) || value.Length > 200 ? null : value.Trim();
}
