namespace OpenCem.Analytics.Ladder;

/// <summary>Calendar periods (UTC) of the ladder: month, quarter or year; states are kept per month, the others derive from them.</summary>
public static class LadderPeriods
{
    public static readonly IReadOnlyList<string> Intervals = ["month", "quarter", "year"];

    public static bool IsKnown(string interval) => Intervals.Contains(interval);

    public static long Start(string interval, long at)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(at);
        var month = interval switch
        {
            "year" => 1,
            "quarter" => (((t.Month - 1) / 3) * 3) + 1,
            _ => t.Month,
        };
        return new DateTimeOffset(t.Year, month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    public static long Next(string interval, long start) =>
        DateTimeOffset.FromUnixTimeMilliseconds(start).AddMonths(interval switch { "year" => 12, "quarter" => 3, _ => 1 }).ToUnixTimeMilliseconds();

    public static long Previous(string interval, long start) =>
        DateTimeOffset.FromUnixTimeMilliseconds(start).AddMonths(interval switch { "year" => -12, "quarter" => -3, _ => -1 }).ToUnixTimeMilliseconds();

    public static string Label(string interval, long start)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(start);
        return interval switch
        {
            "year" => t.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "quarter" => $"{t.Year}-Q{((t.Month - 1) / 3) + 1}",
            _ => $"{t.Year}-{t.Month:D2}",
        };
    }
}
