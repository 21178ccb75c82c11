using System.Globalization;

namespace OpenCem.Actions.Cases;

/// <summary>
/// A business-hours calendar as the API takes and stores it: <c>{"timeZone": "Europe/Berlin", "hours": {"monday":
/// ["08:00-18:00"], ...}, "holidays": ["2026-12-25"]}</c>; "24:00" ends a span at midnight.
/// </summary>
public sealed record CalendarDefinition(string? TimeZone, IReadOnlyDictionary<string, string[]>? Hours, IReadOnlyList<string>? Holidays)
{
    /// <summary>The calendar, or null with the problems in <paramref name="errors"/> (keyed by field).</summary>
    public BusinessCalendar? Read(Dictionary<string, string[]> errors)
    {
        TimeZoneInfo? zone = null;
        if (string.IsNullOrWhiteSpace(TimeZone))
        {
            errors["timeZone"] = ["is required: an IANA time zone id such as Europe/Berlin."];
        }
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out zone))
        {
            errors["timeZone"] = [$"\"{TimeZone}\" is not a known IANA time zone id (such as Europe/Berlin)."];
        }

        var week = new Dictionary<DayOfWeek, IReadOnlyList<WorkingSpan>>();
        foreach (var (name, spans) in Hours ?? new Dictionary<string, string[]>())
        {
            if (!Enum.TryParse<DayOfWeek>(name, ignoreCase: true, out var day) || int.TryParse(name, out _))
            {
                errors[$"hours.{name}"] = ["is not a day of the week (monday ... sunday)."];
                continue;
            }

            var read = new List<WorkingSpan>();
            foreach (var text in spans ?? [])
            {
                if (ReadSpan(text) is { } span)
                {
                    read.Add(span);
                }
                else
                {
                    errors[$"hours.{name}"] = [$"\"{text}\" is not a span like 08:00-18:00 (start before end, 24:00 at most)."];
                }
            }

            week[day] = [.. read.OrderBy(s => s.StartMinute)];
        }

        if (!errors.Keys.Any(k => k.StartsWith("hours", StringComparison.Ordinal)) && !week.Values.Any(s => s.Count > 0))
        {
            errors["hours"] = ["needs working time on at least one day, e.g. {\"monday\": [\"08:00-18:00\"]}."];
        }

        var holidays = new List<DateOnly>();
        foreach (var text in Holidays ?? [])
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                holidays.Add(date);
            }
            else
            {
                errors["holidays"] = [$"\"{text}\" is not a date like 2026-12-25."];
            }
        }

        return errors.Count == 0 && zone is not null ? new BusinessCalendar(zone, week, holidays) : null;
    }

    private static WorkingSpan? ReadSpan(string? text)
    {
        var parts = text?.Split('-') ?? [];
        if (parts.Length != 2 || Minute(parts[0]) is not { } start || Minute(parts[1]) is not { } end || end <= start)
        {
            return null;
        }

        return new WorkingSpan(start, end);
    }

    private static int? Minute(string text)
    {
        var hm = text.Trim().Split(':');
        if (hm.Length != 2 || !int.TryParse(hm[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(hm[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) || h > 24 || m > 59 || (h == 24 && m > 0))
        {
            return null;
        }

        return (h * 60) + m;
    }
}
