using System.Globalization;

namespace OpenCem.Organisation.Pulse;

/// <summary>How coarse a pulse report's periods are.</summary>
public enum PulseLevel
{
    Quarter,
    Year,
}

/// <summary>A node of the period tree: a closed quarter, or a complete year over its quarters.</summary>
public sealed record PulsePeriod(string Name, long Start, long End, PulseLevel Level, int Parent);

/// <summary>
/// The periods employee results are shown for. Only quarters that have ended, and only years whose four quarters
/// have ended: a figure that keeps growing while answers come in (the current quarter, a year to date, all time)
/// would let its value before and after one new answer be subtracted. Pure.
/// </summary>
public static class PulsePeriods
{
    public static long QuarterStart(long at)
    {
        var date = DateTimeOffset.FromUnixTimeMilliseconds(at);
        return new DateTimeOffset(date.Year, (((date.Month - 1) / 3) * 3) + 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    /// <summary>The tree over the quarters that hold answers: complete years first (roots), then the closed quarters.</summary>
    public static List<PulsePeriod> Tree(IEnumerable<long> quarterStarts, long now)
    {
        var quarters = quarterStarts.Select(QuarterStart).Distinct().Order()
            .Select(s => DateTimeOffset.FromUnixTimeMilliseconds(s)).Where(s => s.AddMonths(3).ToUnixTimeMilliseconds() <= now).ToList();
        var periods = new List<PulsePeriod>();
        var years = new Dictionary<int, int>();
        foreach (var year in quarters.Select(q => q.Year).Distinct())
        {
            var end = new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero);
            if (end.ToUnixTimeMilliseconds() <= now)
            {
                years[year] = periods.Count;
                periods.Add(new PulsePeriod(year.ToString(CultureInfo.InvariantCulture), new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
                    end.ToUnixTimeMilliseconds(), PulseLevel.Year, -1));
            }
        }

        foreach (var quarter in quarters)
        {
            periods.Add(new PulsePeriod(
                string.Create(CultureInfo.InvariantCulture, $"{quarter.Year}-Q{((quarter.Month - 1) / 3) + 1}"), quarter.ToUnixTimeMilliseconds(),
                quarter.AddMonths(3).ToUnixTimeMilliseconds(), PulseLevel.Quarter, years.GetValueOrDefault(quarter.Year, -1)));
        }

        return periods;
    }
}
