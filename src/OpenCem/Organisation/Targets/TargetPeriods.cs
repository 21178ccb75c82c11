using System.Globalization;
using OpenCem.Organisation.Pulse;

namespace OpenCem.Organisation.Targets;

/// <summary>A complete quarter or year of the targets page.</summary>
public sealed record TargetPeriod(string Name, long Start, long End);

/// <summary>The periods of the targets page: the last complete one before a moment, and those before it. Pure.</summary>
public static class TargetPeriods
{
    /// <summary><paramref name="count"/> complete periods, oldest first, the last ending at or before <paramref name="at"/>.</summary>
    public static List<TargetPeriod> Ending(PulseLevel level, long at, int count)
    {
        var end = level == PulseLevel.Quarter
            ? DateTimeOffset.FromUnixTimeMilliseconds(PulsePeriods.QuarterStart(at))
            : new DateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(at).Year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var periods = new List<TargetPeriod>();
        for (var i = 0; i < count; i++)
        {
            var start = level == PulseLevel.Quarter ? end.AddMonths(-3) : end.AddYears(-1);
            var name = level == PulseLevel.Quarter
                ? string.Create(CultureInfo.InvariantCulture, $"{start.Year}-Q{((start.Month - 1) / 3) + 1}")
                : start.Year.ToString(CultureInfo.InvariantCulture);
            periods.Insert(0, new TargetPeriod(name, start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds()));
            end = start;
        }

        return periods;
    }

    /// <summary>The index of the period holding <paramref name="at"/>, or −1.</summary>
    public static int IndexOf(IReadOnlyList<TargetPeriod> periods, long at)
    {
        for (var i = 0; i < periods.Count; i++)
        {
            if (at >= periods[i].Start && at < periods[i].End)
            {
                return i;
            }
        }

        return -1;
    }
}
