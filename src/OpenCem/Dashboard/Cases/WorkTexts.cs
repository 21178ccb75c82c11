using System.Globalization;
using OpenCem.Actions.Cases;
using static OpenCem.Dashboard.DashboardCulture;

namespace OpenCem.Dashboard.Cases;

/// <summary>The English and German words of the Cases and Customers pages for case statuses, priorities, outcomes and times.</summary>
public static class WorkTexts
{
    public static string Status(string status) => status switch
    {
        CaseStatuses.New => T("New", "Neu"),
        CaseStatuses.Assigned => T("Assigned", "Zugewiesen"),
        CaseStatuses.InProgress => T("In progress", "In Bearbeitung"),
        CaseStatuses.WaitingForCustomer => T("Waiting for customer", "Wartet auf Kunden"),
        CaseStatuses.Resolved => T("Resolved", "Gelöst"),
        CaseStatuses.Closed => T("Closed", "Geschlossen"),
        _ => status,
    };

    /// <summary>The button that moves a case to <paramref name="status"/>.</summary>
    public static string MoveTo(string status) => status switch
    {
        CaseStatuses.New => T("Back to new", "Zurück auf neu"),
        CaseStatuses.Assigned => T("Assign", "Zuweisen"),
        CaseStatuses.InProgress => T("Start work", "Bearbeitung beginnen"),
        CaseStatuses.WaitingForCustomer => T("Wait for customer", "Auf Kunden warten"),
        CaseStatuses.Resolved => T("Resolve", "Lösen"),
        CaseStatuses.Closed => T("Close", "Schließen"),
        _ => status,
    };

    public static string Priority(string priority) => priority switch
    {
        CasePriorities.Urgent => T("Urgent", "Dringend"),
        CasePriorities.High => T("High", "Hoch"),
        CasePriorities.Normal => T("Normal", "Normal"),
        CasePriorities.Low => T("Low", "Niedrig"),
        _ => priority,
    };

    public static string Outcome(string? outcome) => outcome switch
    {
        null => "",
        CaseOutcomes.Recovered => T("Recovered", "Zurückgewonnen"),
        CaseOutcomes.NotRecovered => T("Not recovered", "Nicht zurückgewonnen"),
        CaseOutcomes.Unknown => T("Unknown", "Unbekannt"),
        CaseOutcomes.Unmeasured => T("Not measurable", "Nicht messbar"),
        _ => outcome,
    };

    /// <summary>A moment in UTC, in the user's date format.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("d", CultureInfo.CurrentCulture) + " " + t.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture) + " UTC" : "";

    public static string Number(double value, string format = "N0") => value.ToString(format, CultureInfo.CurrentCulture);
}
