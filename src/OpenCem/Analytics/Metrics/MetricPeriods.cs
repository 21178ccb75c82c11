using System.Globalization;

namespace OpenCem.Analytics.Metrics;

/// <summary>The time buckets of a metrics report.</summary>
public enum MetricInterval
{
    Day,
    Week,
    Month,
    Quarter,
    Year,
    All,
}

/// <summary>
/// UTC calendar buckets over epoch milliseconds: ISO weeks (Monday to Sunday), months, quarters, years, or one
/// bucket for everything. Pure.
/// </summary>
public static class MetricPeriods
{
    public const long DayMilliseconds = 86_400_000;

    public static long Day(long at) => at - (((at % DayMilliseconds) + DayMilliseconds) % DayMilliseconds);

    public static long Month(long at)
    {
        var date = DateTimeOffset.FromUnixTimeMilliseconds(at);
        return new DateTimeOffset(date.Year, date.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    /// <summary>The start of the bucket holding <paramref name="at"/> (long.MinValue for <see cref="MetricInterval.All"/>).</summary>
    public static long Start(MetricInterval interval, long at)
    {
        var date = DateTimeOffset.FromUnixTimeMilliseconds(Day(at));
        return interval switch
        {
            MetricInterval.Day => date.ToUnixTimeMilliseconds(),
            MetricInterval.Week => date.AddDays(-(((int)date.DayOfWeek + 6) % 7)).ToUnixTimeMilliseconds(),
            MetricInterval.Month => new DateTimeOffset(date.Year, date.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
            MetricInterval.Quarter => new DateTimeOffset(date.Year, (((date.Month - 1) / 3) * 3) + 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
            MetricInterval.Year => new DateTimeOffset(date.Year, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
            MetricInterval.All => long.MinValue,
            _ => throw new ArgumentOutOfRangeException(nameof(interval)),
        };
    }

    /// <summary>The start of the bucket before the one starting at <paramref name="start"/>.</summary>
    public static long Previous(MetricInterval interval, long start)
    {
        var date = DateTimeOffset.FromUnixTimeMilliseconds(start);
        return interval switch
        {
            MetricInterval.Day => date.AddDays(-1).ToUnixTimeMilliseconds(),
            MetricInterval.Week => date.AddDays(-7).ToUnixTimeMilliseconds(),
            MetricInterval.Month => date.AddMonths(-1).ToUnixTimeMilliseconds(),
            MetricInterval.Quarter => date.AddMonths(-3).ToUnixTimeMilliseconds(),
            MetricInterval.Year => date.AddYears(-1).ToUnixTimeMilliseconds(),
            _ => long.MinValue,
        };
    }

    /// <summary>2025-03-14, 2025-W11 (ISO week), 2025-03, 2025-Q1, 2025, or "all".</summary>
    public static string Label(MetricInterval interval, long start)
    {
        if (interval == MetricInterval.All)
        {
            return "all";
        }

        var date = DateTimeOffset.FromUnixTimeMilliseconds(start).UtcDateTime;
        return interval switch
        {
            MetricInterval.Day => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            MetricInterval.Week => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date)}-W{ISOWeek.GetWeekOfYear(date):00}"),
            MetricInterval.Month => date.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            MetricInterval.Quarter => string.Create(CultureInfo.InvariantCulture, $"{date.Year}-Q{((date.Month - 1) / 3) + 1}"),
            _ => date.Year.ToString(CultureInfo.InvariantCulture),
        };
    }
}
