namespace OpenCem.Actions.Cases;

/// <summary>One span of working time in a day, in minutes after local midnight (end up to 1440, exclusive).</summary>
public readonly record struct WorkingSpan(int StartMinute, int EndMinute);

/// <summary>
/// Business hours: weekly working spans in a time zone (an IANA id such as <c>Europe/Berlin</c>) and holidays (local
/// dates without working time). Pure. SLA clocks run only inside working time; every span is placed on the time line
/// through the zone's rules of its own date, so a clock crossing a DST change counts the real hours worked.
/// </summary>
public sealed class BusinessCalendar
{
    /// <summary>How far ahead a due time is searched; a calendar with working time finds one long before.</summary>
    private const int MaxDays = 3 * 366;

    private readonly IReadOnlyDictionary<DayOfWeek, IReadOnlyList<WorkingSpan>> _week;
    private readonly HashSet<DateOnly> _holidays;
    private readonly Dictionary<DateOnly, (DateTimeOffset From, DateTimeOffset To)[]> _days = [];

    public BusinessCalendar(TimeZoneInfo zone, IReadOnlyDictionary<DayOfWeek, IReadOnlyList<WorkingSpan>> week, IEnumerable<DateOnly> holidays)
    {
        Zone = zone;
        _week = week;
        _holidays = [.. holidays];
        if (!_week.Values.Any(spans => spans.Any(s => s.EndMinute > s.StartMinute)))
        {
            throw new ArgumentException("A business calendar needs working time on at least one day of the week.", nameof(week));
        }
    }

    /// <summary>Around the clock, every day, in UTC: elapsed time is business time.</summary>
    public static BusinessCalendar AlwaysOpen { get; } = new(
        TimeZoneInfo.Utc, Enum.GetValues<DayOfWeek>().ToDictionary(d => d, _ => (IReadOnlyList<WorkingSpan>)[new WorkingSpan(0, 1440)]), []);

    public TimeZoneInfo Zone { get; }

    /// <summary>The moment <paramref name="duration"/> of working time after <paramref name="start"/> has passed.</summary>
    public DateTimeOffset AddBusinessTime(DateTimeOffset start, TimeSpan duration)
    {
        var remaining = duration;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, Zone).DateTime).AddDays(-1);
        for (var i = 0; i < MaxDays; i++, day = day.AddDays(1))
        {
            foreach (var (from, to) in SpansOf(day))
            {
                if (to <= start)
                {
                    continue;
                }

                var begin = from > start ? from : start;
                var available = to - begin;
                if (available >= remaining)
                {
                    return begin + remaining;
                }

                remaining -= available;
            }
        }

        throw new InvalidOperationException($"No due time within {MaxDays} days: the calendar has too little working time.");
    }

    /// <summary>Working time between two moments (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan BusinessTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var total = TimeSpan.Zero;
        if (to <= from)
        {
            return total;
        }

        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, Zone).DateTime).AddDays(-1);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, Zone).DateTime).AddDays(1);
        for (; day <= last; day = day.AddDays(1))
        {
            foreach (var (begin, end) in SpansOf(day))
            {
                var a = begin > from ? begin : from;
                var b = end < to ? end : to;
                if (b > a)
                {
                    total += b - a;
                }
            }
        }

        return total;
    }

    /// <summary>The working spans of one local date as UTC instants, empty on holidays (remembered: a demo load asks for the same days often).</summary>
    private (DateTimeOffset From, DateTimeOffset To)[] SpansOf(DateOnly day)
    {
        lock (_days)
        {
            if (_days.TryGetValue(day, out var known))
            {
                return known;
            }
        }

        var spans = _holidays.Contains(day) || !_week.TryGetValue(day.DayOfWeek, out var week)
            ? []
            : week.Select(s => (From: ToInstant(day, s.StartMinute), To: ToInstant(day, s.EndMinute))).Where(s => s.To > s.From).ToArray();
        lock (_days)
        {
            _days[day] = spans;
        }

        return spans;
    }

    /// <summary>
    /// A local wall-clock time as an instant. A time skipped by a spring-forward change becomes the first minute after
    /// the gap; a time repeated in autumn is read as standard time (.NET's reading), so no working time is counted twice.
    /// </summary>
    private DateTimeOffset ToInstant(DateOnly day, int minute)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified).AddMinutes(minute);
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, Zone), TimeSpan.Zero);
    }
}
