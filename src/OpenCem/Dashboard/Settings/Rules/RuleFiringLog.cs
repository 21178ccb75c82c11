using System.Globalization;
using System.Text.RegularExpressions;
using OpenCem.Actions.Events;
using OpenCem.Actions.Rules;
using OpenCem.Dashboard.Components;
using static OpenCem.Dashboard.DashboardCulture;

namespace OpenCem.Dashboard.Settings.Rules;

/// <summary>
/// What the rule's page shows of its recent firings (<see cref="RuleFirings"/>, the rows GET /rules/{id}/firings
/// answers), pure: the page's position in the query string, the columns, the actions' outcomes in words, and the
/// sentences around the table.
/// </summary>
public static partial class RuleFiringLog
{
    /// <summary>Firings per page; pages are keyset pages on the firing's id, so a rule with millions still reads 21 rows.</summary>
    public const int PageSize = 20;

    /// <summary>The query parameters of the page: older than a firing id (Next), or newer than one (Previous).</summary>
    public const string OlderParameter = "firingsOlder";
    public const string NewerParameter = "firingsNewer";

    /// <summary>Where the page starts; a value that is not a firing id shows the newest page.</summary>
    public static (long? Older, long? Newer) Position(string? older, string? newer) =>
        Id(newer) is { } n ? (null, n) : (Id(older), null);

    /// <summary>
    /// The page out of the up to <see cref="PageSize"/> + 1 firings read for <paramref name="position"/> (newest first),
    /// and whether older and newer pages exist: the extra row tells on the side that was read, a cursor on the other.
    /// </summary>
    public static (IReadOnlyList<RuleFiring> Page, bool HasOlder, bool HasNewer) Page(IReadOnlyList<RuleFiring> read, (long? Older, long? Newer) position)
    {
        var more = read.Count > PageSize;
        if (position.Newer is not null)
        {
            // Read oldest-first above the cursor and returned newest first: the extra row is the newest one.
            return (read.Skip(more ? 1 : 0).ToList(), true, more);
        }

        return (read.Take(PageSize).ToList(), more, position.Older is not null);
    }

    public static string Counts(RuleFiringCounts counts) =>
        T($"Fired {counts.Last24Hours.ToString("N0", CultureInfo.CurrentCulture)} times in the last 24 hours, {counts.Last7Days.ToString("N0", CultureInfo.CurrentCulture)} times in the last 7 days.",
            $"{counts.Last24Hours.ToString("N0", CultureInfo.CurrentCulture)}-mal ausgelöst in den letzten 24 Stunden, {counts.Last7Days.ToString("N0", CultureInfo.CurrentCulture)}-mal in den letzten 7 Tagen.");

    /// <summary>
    /// A firing whose action failed is undone with it (nothing is recorded), so the failure shows as the rule's last error.
    /// </summary>
    public static string? LastFailure(StoredRule rule) =>
        rule.LastError is not { } error ? null
        : T($"Failed last on {SettingsTexts.Date(rule.LastErrorAt ?? rule.UpdatedAt)}: {error}. A firing whose action fails is undone and not listed.",
            $"Zuletzt fehlgeschlagen am {SettingsTexts.Date(rule.LastErrorAt ?? rule.UpdatedAt)}: {error}. Eine Auslösung, deren Aktion fehlschlägt, wird zurückgenommen und nicht aufgeführt.");

    public static string EmptyText(StoredRule rule) =>
        T($"This rule has not fired yet. It fires when {When(rule.Definition)}.", $"Diese Regel hat noch nicht ausgelöst. Sie löst aus, wenn {When(rule.Definition)}.");

    private static string When(RuleDefinition rule)
    {
        var when = rule.Trigger switch
        {
            EventTypes.ResponseSubmitted => T("a survey response is submitted", "eine Umfrageantwort eingeht"),
            EventTypes.InteractionRecorded => T("an interaction is recorded", "eine Interaktion erfasst wird"),
            EventTypes.SignalReceived => T("a signal is received", "ein Signal eingeht"),
            EventTypes.CaseSlaBreached => T("a case breaches its SLA", "ein Fall seine SLA verletzt"),
            EventTypes.CaseEscalated => T("a case is escalated", "ein Fall eskaliert wird"),
            RuleTriggers.Schedule => T($"its schedule {rule.Schedule} (UTC) comes due", $"sein Zeitplan {rule.Schedule} (UTC) fällig wird"),
            var other => other,
        };
        var condition = rule.Condition is { Length: > 0 } c ? T($" and its condition {c} holds", $" und die Bedingung {c} zutrifft") : "";
        return when + condition + (rule.Enabled ? "" : T(", once it is switched on", ", sobald sie eingeschaltet ist"));
    }

    public static IReadOnlyList<DataColumn<RuleFiring>> Columns() =>
    [
        new(T("When", "Wann"), f => SettingsTexts.Date(f.FiredAt)),
        new(T("Triggered by", "Ausgelöst durch"), Source),
        new(T("Customer", "Kunde"), f => f.CustomerId is { } id ? "#" + Number(id) : "–")
        {
            Link = f => f.CustomerId is { } id ? "/customers/" + Number(id) : null,
        },
        new(T("Case", "Fall"), f => f.CaseId is { } id ? "#" + Number(id) : "–")
        {
            Link = f => f.CaseId is { } id ? "/cases/" + Number(id) : null,
        },
        new(T("Outcome", "Ergebnis"), f => f.Actions.Count == 0 ? T("No actions", "Keine Aktionen") : string.Join("; ", f.Actions.Select(Outcome))),
    ];

    /// <summary>The trigger and its record: "response.submitted (event #12)", "interaction.recorded (interaction #7)", "schedule (2026-05-01T03:00Z)".</summary>
    public static string Source(RuleFiring firing) =>
        firing.SourceKind.StartsWith(RuleSources.Schedule + "@", StringComparison.Ordinal)
            ? $"{firing.Trigger} ({firing.SourceKind[(RuleSources.Schedule.Length + 1)..]})"
            : $"{firing.Trigger} ({firing.SourceKind} #{Number(firing.SourceId)})";

    /// <summary>
    /// An action's result line (as <see cref="RuleActions"/> writes it) in words; an action that did not happen starts
    /// with "Not done" so it stands out; a line of another form is shown as it is.
    /// </summary>
    public static string Outcome(string line)
    {
        var match = OpenedCase().Match(line);
        if (match.Success)
        {
            return match.Groups[2].Value == "opened" ? T($"Opened case #{match.Groups[1].Value}", $"Fall #{match.Groups[1].Value} eröffnet")
                : T($"Case #{match.Groups[1].Value} was already open", $"Fall #{match.Groups[1].Value} war schon offen");
        }

        if ((match = WebhookQueued().Match(line)).Success)
        {
            return T($"Webhook #{match.Groups[2].Value} queued (event #{match.Groups[1].Value})", $"Webhook #{match.Groups[2].Value} eingereiht (Ereignis #{match.Groups[1].Value})");
        }

        if ((match = EmailQueued().Match(line)).Success)
        {
            return T($"Email queued (#{match.Groups[1].Value})", $"E-Mail eingereiht (#{match.Groups[1].Value})");
        }

        if ((match = SurveySent().Match(line)).Success)
        {
            return match.Groups[2].Success
                ? T($"Not done: survey invitation #{match.Groups[1].Value} suppressed ({match.Groups[2].Value})", $"Nicht erfolgt: Umfrageeinladung #{match.Groups[1].Value} unterdrückt ({match.Groups[2].Value})")
                : T($"Survey invitation #{match.Groups[1].Value}", $"Umfrageeinladung #{match.Groups[1].Value}");
        }

        if ((match = HelpOffered().Match(line)).Success)
        {
            return T($"Help offer #{match.Groups[1].Value} on {match.Groups[2].Value}", $"Hilfsangebot #{match.Groups[1].Value} über {match.Groups[2].Value}");
        }

        if ((match = Skipped().Match(line)).Success)
        {
            return T($"Not done: {match.Groups[1].Value} — {match.Groups[2].Value}", $"Nicht erfolgt: {match.Groups[1].Value} — {match.Groups[2].Value}");
        }

        return line.StartsWith("tag: ", StringComparison.Ordinal) ? T($"Tag \"{line[5..]}\" added", $"Merkmal „{line[5..]}“ gesetzt") : line;
    }

    private static long? Id(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string Number(long id) => id.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^openCase: case ([0-9]+) (opened|existed)$", RegexOptions.CultureInvariant)]
    private static partial Regex OpenedCase();

    [GeneratedRegex("^webhook: event ([0-9]+) for webhook ([0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex WebhookQueued();

    [GeneratedRegex("^email: notification ([0-9]+) queued$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailQueued();

    [GeneratedRegex(@"^survey: invitation ([0-9]+)(?: suppressed \((.*)\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SurveySent();

    [GeneratedRegex("^helpOffer: offer ([0-9]+) on (.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex HelpOffered();

    /// <summary>"tag: no customer, skipped", "survey: survey 3 does not exist or is closed, skipped", "x: unknown action, skipped".</summary>
    [GeneratedRegex("^([A-Za-z]+): (.+), skipped$", RegexOptions.CultureInvariant)]
    private static partial Regex Skipped();
}
