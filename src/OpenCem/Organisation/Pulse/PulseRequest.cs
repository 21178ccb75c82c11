using System.Globalization;
using OpenCem.Analytics.Metrics;

namespace OpenCem.Organisation.Pulse;

/// <summary>Reads a pulse report's query string against the survey's attributes. Pure.</summary>
public static class PulseRequest
{
    public const int MaxBy = 2;

    public static PulseQuery? Parse(
        PulseCube cube, string? period, string? by, IEnumerable<string?> filters, string? from, string? to, out MetricsRequestError? error)
    {
        error = null;
        var level = PulseLevel.Quarter;
        if (!string.IsNullOrWhiteSpace(period) && (!Enum.TryParse(period, ignoreCase: true, out level) || int.TryParse(period, out _)))
        {
            error = new("period", "period must be quarter or year (employee results are shown for whole closed quarters and complete years only).");
            return null;
        }

        var grouping = new List<int>();
        foreach (var name in (by ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Attribute(cube, name) is not { } attribute || grouping.Contains(attribute))
            {
                error = new("by", $"by takes up to {MaxBy} different employee attributes: {string.Join(", ", cube.Attributes)}.");
                return null;
            }

            grouping.Add(attribute);
        }

        if (grouping.Count > MaxBy)
        {
            error = new("by", $"by takes up to {MaxBy} different employee attributes: {string.Join(", ", cube.Attributes)}.");
            return null;
        }

        var parsed = new Dictionary<int, int>();
        foreach (var filter in filters.Where(f => !string.IsNullOrWhiteSpace(f)))
        {
            var colon = filter!.IndexOf(':', StringComparison.Ordinal);
            var attribute = colon > 0 ? Attribute(cube, filter[..colon].Trim()) : null;
            if (attribute is not { } a || parsed.ContainsKey(a) || grouping.Contains(a))
            {
                error = new("filter", $"filter \"{filter}\" must be ATTRIBUTE:VALUE, one value, once per attribute and not also in by; attributes: {string.Join(", ", cube.Attributes)}.");
                return null;
            }

            var value = filter[(colon + 1)..].Trim();
            var index = cube.Values[a].ToList().IndexOf(value);
            if (value.Contains('|', StringComparison.Ordinal))
            {
                error = new("filter", "employee results take one value per filter (a union of groups could be subtracted from another).");
                return null;
            }

            // An unknown value is a group without answers: suppressed like any small group, not an error that would tell it is empty.
            parsed[a] = index < 0 ? PulseGroup.MaxValues : index + 1;
        }

        if (!TryDay(from, out var start) || !TryDay(to, out var end))
        {
            error = start is null && !string.IsNullOrWhiteSpace(from) ? new("from", "from must be a date (2025-01-31).") : new("to", "to must be a date (2025-01-31).");
            return null;
        }

        return new PulseQuery(level, parsed, grouping, start, end);
    }

    private static int? Attribute(PulseCube cube, string name)
    {
        var bare = name.StartsWith(MetricDimensions.AnswerPrefix, StringComparison.Ordinal) ? name[MetricDimensions.AnswerPrefix.Length..] : name;
        var index = cube.Attributes.ToList().IndexOf(bare);
        return index < 0 ? null : index;
    }

    private static bool TryDay(string? text, out long? day)
    {
        day = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year is >= 1970 and <= 9000)
        {
            day = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
            return true;
        }

        return false;
    }
}
