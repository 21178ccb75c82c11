using System.Globalization;

namespace OpenCem.Actions.Rules;

/// <summary>
/// One <c>count({...})</c> of a condition: the customer's interactions matching the filters within the window that ends
/// at the triggering event — or, with <c>customers: 'all'</c>, everyone's (a burst of failures at a touchpoint).
/// Counted before the condition runs (the expression engine is synchronous; the database is not).
/// </summary>
public sealed record CountSpec(
    string? Touchpoint, string? Outcome, string? Event, string? Channel, string? Stage, string? Journey, TimeSpan Within, bool AllCustomers = false)
{
    /// <summary>The key the evaluator's <c>count</c> function looks the result up by.</summary>
    public string Key => string.Join(
        '\u001f', Touchpoint, Outcome, Event, Channel, Stage, Journey, Within.TotalSeconds.ToString(CultureInfo.InvariantCulture), AllCustomers ? "all" : "");

    /// <summary>Reads a window such as <c>45s</c>, <c>30m</c>, <c>2h</c> or <c>7d</c>; null when it is not one.</summary>
    public static TimeSpan? ParseWindow(string text)
    {
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return null;
        }

        return text[^1] switch
        {
            's' when amount <= 86_400 * 366 => TimeSpan.FromSeconds(amount),
            'm' when amount <= 1440 * 366 => TimeSpan.FromMinutes(amount),
            'h' when amount <= 24 * 366 => TimeSpan.FromHours(amount),
            'd' when amount <= 366 => TimeSpan.FromDays(amount),
            _ => null,
        };
    }
}
