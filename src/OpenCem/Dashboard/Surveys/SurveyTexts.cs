using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Surveys;
using static OpenCem.Dashboard.DashboardCulture;

namespace OpenCem.Dashboard.Surveys;

/// <summary>The Surveys pages' words for audiences, invitation statuses and suppression kinds, in English and German.</summary>
public static class SurveyTexts
{
    public static string Audience(SurveyAudience audience) =>
        audience == SurveyAudience.Employees ? T("employees", "Mitarbeitende") : T("customers", "Kunden");

    public static string Status(string status) => status switch
    {
        InvitationStatus.Created => T("created (link)", "erstellt (Link)"),
        InvitationStatus.Pending => T("waiting to send", "wartet auf Versand"),
        InvitationStatus.Sending => T("sending", "wird versendet"),
        InvitationStatus.Sent => T("sent", "versendet"),
        InvitationStatus.Opened => T("opened", "geöffnet"),
        InvitationStatus.Started => T("started", "begonnen"),
        InvitationStatus.Completed => T("completed", "abgeschlossen"),
        InvitationStatus.Failed => T("failed", "fehlgeschlagen"),
        InvitationStatus.Expired => T("expired", "abgelaufen"),
        InvitationStatus.Suppressed => T("suppressed", "unterdrückt"),
        _ => status,
    };

    public static string Suppression(string kind) => kind switch
    {
        SuppressionKinds.UnknownCustomer => T("unknown customer", "unbekannter Kunde"),
        SuppressionKinds.Erased => T("data erased on request", "Daten auf Wunsch gelöscht"),
        SuppressionKinds.NoEmail => T("no e-mail address", "keine E-Mail-Adresse"),
        SuppressionKinds.Refused => T("refused surveys", "lehnt Umfragen ab"),
        SuppressionKinds.NoConsent => T("no consent on record", "keine Einwilligung erfasst"),
        SuppressionKinds.OpenCase => T("open case", "offener Fall"),
        SuppressionKinds.ContactFrequency => T("contact frequency limit", "Kontakthäufigkeit erreicht"),
        _ => T("other", "sonstige"),
    };
}
