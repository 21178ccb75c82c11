using System.Globalization;
using OpenCem.Actions.Rules;
using OpenCem.Dashboard.Components;
using static OpenCem.Dashboard.DashboardCulture;

namespace OpenCem.Dashboard.Settings.Rules;

/// <summary>
/// What the rule's page shows of its run log (<see cref="RuleRuns"/>, the rows the API answers), pure: the columns, the
/// run that paused the rule, and the sentences around the table.
/// </summary>
public static class RuleRunLog
{
    /// <summary>Runs per page of the table; the log keeps the latest <see cref="RuleRuns.ListLimit"/>.</summary>
    public const int PageSize = 20;

    /// <summary>
    /// The run after which the rule was paused: the newest run that ran by the pause. The pause is written in the run's
    /// transaction, and a paused rule does not run, so no later run exists; null when not paused or the log has none.
    /// </summary>
    public static RuleRun? PausingRun(StoredRule rule, IReadOnlyList<RuleRun> runs) =>
        rule.PausedAt is { } paused ? runs.Where(r => r.RanAt <= paused).MaxBy(r => r.RanAt) : null;

    /// <summary>Why the rule is paused, in a sentence; null when it is not.</summary>
    public static string? PauseReason(StoredRule rule) =>
        rule.PausedAt is not { } paused ? null
        : T($"Paused on {SettingsTexts.Date(paused)} after {RuleEngine.MaxFailures.ToString(CultureInfo.CurrentCulture)} failures in a row",
            $"Am {SettingsTexts.Date(paused)} nach {RuleEngine.MaxFailures.ToString(CultureInfo.CurrentCulture)} Fehlern in Folge pausiert")
          + (rule.LastError is { } error ? T($"; the last: {error}", $"; der letzte: {error}") : "")
          + T(". Resume it or save its definition to run it again.", ". Setzen Sie sie fort oder speichern Sie die Definition, damit sie wieder läuft.");

    /// <summary>What the rule's trigger means for its run log, in a sentence.</summary>
    public static string Trigger(StoredRule rule, DateTimeOffset now)
    {
        if (rule.Definition.Trigger != RuleTriggers.Schedule)
        {
            return T($"Trigger: {rule.Definition.Trigger}. The rule acts on each such event as it happens; only schedule rules have runs to log.",
                $"Auslöser: {rule.Definition.Trigger}. Die Regel wirkt auf jedes solche Ereignis, sobald es geschieht; nur Zeitplan-Regeln haben Läufe.");
        }

        var text = T($"Trigger: schedule {rule.Definition.Schedule} (UTC). One run per occurrence, newest first; the latest {RuleRuns.ListLimit.ToString(CultureInfo.CurrentCulture)} are kept here.",
            $"Auslöser: Zeitplan {rule.Definition.Schedule} (UTC). Ein Lauf je Termin, neueste zuerst; die letzten {RuleRuns.ListLimit.ToString(CultureInfo.CurrentCulture)} stehen hier.");
        // The engine runs the latest due occurrence after the last one it ran (missed ones are not replayed).
        return rule.Active && RuleReader.NextOccurrence(rule.Definition.Schedule, Later(rule.LastScheduledAt ?? rule.CreatedAt, now)) is { } next
            ? text + T($" Next: {SettingsTexts.Date(next)}.", $" Nächster: {SettingsTexts.Date(next)}.")
            : text;
    }

    public static string EmptyText(StoredRule rule) =>
        rule.Definition.Trigger != RuleTriggers.Schedule
            ? T("No runs: this rule is triggered by events, not by a schedule.", "Keine Läufe: Diese Regel wird von Ereignissen ausgelöst, nicht von einem Zeitplan.")
            : rule.Active
                ? T("No runs yet: the schedule's first occurrence since the rule was saved has not come.", "Noch keine Läufe: Der erste Termin des Zeitplans seit dem Speichern steht noch aus.")
                : T("No runs: the rule has not run since it was saved, and it is not switched on.", "Keine Läufe: Die Regel lief seit dem Speichern nicht und ist nicht eingeschaltet.");

    public static IReadOnlyList<DataColumn<RuleRun>> Columns(RuleRun? pausing) =>
    [
        new(T("Occurrence", "Termin"), r => SettingsTexts.Date(r.OccurrenceAt)),
        new(T("Ran after", "Gelaufen nach"), r => Delay(r.RanAt - r.OccurrenceAt), Numeric: true),
        new(T("Customers evaluated", "Kunden geprüft"), r => Count(r.CustomersScanned), Numeric: true),
        new(T("Selected", "Ausgewählt"), r => Count(r.Matched), Numeric: true),
        new(T("Acted on", "Ausgelöst"), r => Count(r.Fired), Numeric: true),
        new(T("Left over the bound", "Über der Grenze"), r => Count(r.Overflow), Numeric: true),
        new(T("Errors", "Fehler"), r => Count(r.Errors), Numeric: true),
        new(T("Note", "Hinweis"), r => Note(r, ReferenceEquals(r, pausing))),
    ];

    private static string Note(RuleRun run, bool paused) =>
        (run.Note, paused) switch
        {
            (null, false) => "–",
            (null, true) => T("The rule was paused after this run.", "Die Regel wurde nach diesem Lauf pausiert."),
            ({ } note, false) => note,
            ({ } note, true) => note + T(" — the rule was paused after this run.", " — die Regel wurde nach diesem Lauf pausiert."),
        };

    /// <summary>How late after its occurrence a run started: a backlog or a stopped worker shows here, the date would repeat the occurrence's.</summary>
    public static string Delay(TimeSpan delay) =>
        delay.TotalSeconds < 60 ? Math.Max(0, delay.TotalSeconds).ToString("N1", CultureInfo.CurrentCulture) + " s"
        : delay.TotalMinutes < 60 ? delay.TotalMinutes.ToString("N0", CultureInfo.CurrentCulture) + " min"
        : delay.TotalHours < 48 ? delay.TotalHours.ToString("N1", CultureInfo.CurrentCulture) + " h"
        : delay.TotalDays.ToString("N1", CultureInfo.CurrentCulture) + T(" days", " Tage");

    private static string Count(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
