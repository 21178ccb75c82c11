namespace OpenCem.Analytics.Metrics;

/// <summary>
/// The rollup tables: the full grain (day × survey × question × touchpoint × channel × segment × score), the same
/// grain by month, three projections with the same columns that drop dimensions or coarsen the day to the month (a
/// dropped dimension is stored as 0 or ''), and two per single segment dimension value, so a query reads the
/// smallest table that still has every dimension and time boundary it needs.
/// </summary>
public sealed record MetricCube(string Table, bool Monthly, bool HasTouchpoint, bool HasSegment, bool Dimensional = false)
{
    public static readonly MetricCube Daily = new("metric_daily", false, true, true);

    /// <summary>The full grain by month: touchpoint with segment dimensions (e.g. trait filters) over whole months.</summary>
    public static readonly MetricCube MonthlyFull = new("metric_monthly", true, true, true);

    public static readonly MetricCube DailyTouchpoints = new("metric_daily_touchpoints", false, true, false);
    public static readonly MetricCube MonthlyTouchpoints = new("metric_monthly_touchpoints", true, true, false);
    public static readonly MetricCube MonthlySegments = new("metric_monthly_segments", true, false, true);

    /// <summary>Per single segment dimension value (and '' for all answers): a query with at most one segment dimension reads only these.</summary>
    public static readonly MetricCube DailyDimensions = new("metric_daily_dimensions", false, false, true, Dimensional: true);
    public static readonly MetricCube MonthlyDimensions = new("metric_monthly_dimensions", true, false, true, Dimensional: true);

    public static readonly IReadOnlyList<MetricCube> All = [Daily, MonthlyFull, DailyTouchpoints, MonthlyTouchpoints, MonthlySegments, DailyDimensions, MonthlyDimensions];

    /// <summary>The smallest cube that answers the request exactly.</summary>
    public static MetricCube For(MetricsRequest request, MetricsSettings settings)
    {
        var sources = request.Dimensions.Select(d => MetricDimensions.Classify(d, settings, out _)).ToList();
        var touchpoint = sources.Contains(DimensionSource.Touchpoint);
        var segment = sources.Contains(DimensionSource.Segment);
        var segmentDimensions = request.Dimensions.Where(d => MetricDimensions.Classify(d, settings, out _) == DimensionSource.Segment).Distinct().Count();
        var monthly = request.Interval is MetricInterval.Month or MetricInterval.Quarter or MetricInterval.Year or MetricInterval.All
            && (request.From is not { } from || MetricPeriods.Month(from) == from)
            && (request.To is not { } to || MetricPeriods.Month(to) == to);
        if (!touchpoint && segmentDimensions <= 1)
        {
            return monthly ? MonthlyDimensions : DailyDimensions;
        }

        return (touchpoint, segment, monthly) switch
        {
            (_, false, true) => MonthlyTouchpoints,
            (_, false, false) => DailyTouchpoints,
            (false, true, true) => MonthlySegments,
            (true, true, true) => MonthlyFull,
            _ => Daily,
        };
    }
}
