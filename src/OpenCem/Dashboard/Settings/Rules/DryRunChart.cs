using System.Globalization;
using OpenCem.Actions.Rules;
using static OpenCem.Dashboard.DashboardCulture;

namespace OpenCem.Dashboard.Settings.Rules;

/// <summary>
/// The dry-run's firings on a continuous time axis (pure): every day of a window up to two months, else every week
/// (from Monday) up to about a year, else every month. Periods without firings show as 0, not as a gap.
/// </summary>
public static class DryRunChart
{
    public enum Step
    {
        Day,
        Week,
        Month,
    }

    public sealed record Bucket(DateOnly Start, long Count);

    public static Step StepFor(DateOnly from, DateOnly to) => (to.DayNumber - from.DayNumber) switch
    {
        <= 62 => Step.Day,
        <= 400 => Step.Week,
        _ => Step.Month,
    };

    public static IReadOnlyList<Bucket> Buckets(IReadOnlyList<DryRunDay> perDay, DateOnly from, DateOnly to)
    {
        var step = StepFor(from, to);
        var counts = new SortedDictionary<DateOnly, long>();
        for (var start = StartOf(from, step); start < to; start = Next(start, step))
        {
            counts[start] = 0;
        }

        foreach (var day in perDay)
        {
            var start = StartOf(day.Day, step);
            if (counts.ContainsKey(start))
            {
                counts[start] += day.Count;
            }
        }

        return counts.Select(c => new Bucket(c.Key, c.Value)).ToList();
    }

    public static string Axis(Step step) => step switch
    {
        Step.Day => T("Day", "Tag"),
        Step.Week => T("Week starting", "Woche ab"),
        _ => T("Month", "Monat"),
    };

    public static string Label(DateOnly start, Step step) =>
        start.ToString(step == Step.Month ? "MMM yyyy" : "d", CultureInfo.CurrentCulture);

    private static DateOnly StartOf(DateOnly day, Step step) => step switch
    {
        Step.Day => day,
        Step.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        _ => new DateOnly(day.Year, day.Month, 1),
    };

    private static DateOnly Next(DateOnly start, Step step) => step switch
    {
        Step.Day => start.AddDays(1),
        Step.Week => start.AddDays(7),
        _ => start.AddMonths(1),
    };
}
