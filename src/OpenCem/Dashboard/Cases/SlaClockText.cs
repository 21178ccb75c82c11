using System.Globalization;
using OpenCem.Actions.Cases;

namespace OpenCem.Dashboard.Cases;

/// <summary>How urgent a case's SLA clock is; the page colours by it, but the text always says it too.</summary>
public enum SlaState
{
    /// <summary>No clock runs: resolved, closed, or no SLA policy applies.</summary>
    None,
    Running,

    /// <summary>Less than an hour left.</summary>
    Soon,
    Breached,
}

/// <summary>
/// A case's SLA clock in words, as of the request: "first response: 2 h 10 min left", "breached 35 min ago". Pure:
/// the language is a parameter, so both are tested directly.
/// </summary>
public static class SlaClockText
{
    public static (SlaState State, string Text) Describe(SlaClock clock, DateTimeOffset now, bool german)
    {
        string T(string en, string de) => german ? de : en;
        if (clock.Breached)
        {
            var since = clock.BreachedAt ?? clock.DueAt ?? now;
            return (SlaState.Breached, T($"breached {Duration(now - since, german)} ago", $"überschritten vor {Duration(now - since, german)}"));
        }

        if (clock.DueAt is not { } due)
        {
            return (SlaState.None, T("no clock running", "keine Frist läuft"));
        }

        var left = due - now;
        var which = clock.Due == "first_response" ? T("first response", "Erstreaktion") : T("resolution", "Lösung");
        return (left < TimeSpan.FromHours(1) ? SlaState.Soon : SlaState.Running,
            T($"{which}: {Duration(left, german)} left", $"{which}: noch {Duration(left, german)}"));
    }

    /// <summary>A span in its two largest units: "3 d 4 h", "2 h 10 min", "35 min", "under 1 min".</summary>
    public static string Duration(TimeSpan span, bool german)
    {
        if (span < TimeSpan.Zero)
        {
            span = span.Negate();
        }

        var c = CultureInfo.InvariantCulture;
        if (span.TotalMinutes < 1)
        {
            return german ? "unter 1 min" : "under 1 min";
        }

        if (span.TotalHours < 1)
        {
            return string.Create(c, $"{(int)span.TotalMinutes} min");
        }

        if (span.TotalDays < 1)
        {
            return span.Minutes == 0 ? string.Create(c, $"{(int)span.TotalHours} h") : string.Create(c, $"{(int)span.TotalHours} h {span.Minutes} min");
        }

        var day = german ? "T" : "d";
        return span.Hours == 0 ? string.Create(c, $"{(int)span.TotalDays} {day}") : string.Create(c, $"{(int)span.TotalDays} {day} {span.Hours} h");
    }
}
