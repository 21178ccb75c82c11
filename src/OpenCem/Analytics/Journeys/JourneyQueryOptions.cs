namespace OpenCem.Analytics.Journeys;

/// <summary>A <c>FIELD:VALUE</c> filter: <c>channel:web</c> or <c>trait.plan:broadband</c> (values compared as text).</summary>
public sealed record AnalyticsFilter(string Field, string Value)
{
    public string Text => $"{Field}:{Value}";

    /// <summary>The trait name of a <c>trait.X</c> filter, else null.</summary>
    public string? Trait => Field.StartsWith("trait.", StringComparison.Ordinal) ? Field["trait.".Length..] : null;

    /// <summary>Reads <c>FIELD:VALUE</c>; null with a message saying what is wrong.</summary>
    public static AnalyticsFilter? Parse(string text, out string? error)
    {
        error = null;
        if (!FilterText.TrySplit(text, out var field, out var value))
        {
            error = $"\"{text}\" is not FIELD:VALUE (e.g. channel:web or trait.plan:broadband).";
            return null;
        }

        var filter = new AnalyticsFilter(field, value);
        if (filter.Field != "channel" && filter.Trait is not { Length: > 0 })
        {
            error = $"\"{filter.Field}\" cannot be filtered on; use channel or trait.NAME.";
            return null;
        }

        return filter;
    }
}

/// <summary>
/// What a journey query asks: instances that started on the UTC days from <see cref="From"/> (its day) to
/// <see cref="To"/> (exclusive; a partial day counts whole), the filters (all must hold), the number of paths and the
/// minimum n below which an emotion value is flagged.
/// </summary>
public sealed record JourneyQueryOptions(DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<AnalyticsFilter> Filters, int Top = 10, int MinN = 30)
{
    public long FromDay => From is { } f ? JourneyTally.DayOf(f.ToUnixTimeMilliseconds()) : long.MinValue / 2;

    /// <summary>The first day not included.</summary>
    public long ToDay => To is { } t ? JourneyTally.DayOf(t.ToUnixTimeMilliseconds() - 1) + 1 : long.MaxValue / 2;

    public long FromMs => FromDay <= long.MinValue / 4 ? long.MinValue : FromDay * 86_400_000L;

    public long ToMs => ToDay >= long.MaxValue / 4 ? long.MaxValue : ToDay * 86_400_000L;

    public string? Channel => Filters.LastOrDefault(f => f.Field == "channel")?.Value;

    public IEnumerable<AnalyticsFilter> Traits => Filters.Where(f => f.Trait is not null);
}
