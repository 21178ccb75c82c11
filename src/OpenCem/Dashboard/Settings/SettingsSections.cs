using OpenCem.Workspaces.Users;

namespace OpenCem.Dashboard.Settings;

/// <summary>The parts of the settings, each with the permission needed to open it (the pages' policies say the same).</summary>
public static class SettingsSections
{
    public sealed record Section(string Path, string English, string German, string EnglishText, string GermanText, DashboardPermission Permission);

    public static readonly IReadOnlyList<Section> All =
    [
        new("/settings/users", "Users and roles", "Benutzer und Rollen",
            "Who signs in, with which role and team; lock, unlock or remove an account.",
            "Wer sich anmeldet, mit welcher Rolle und welchem Team; Konten sperren, entsperren oder entfernen.", DashboardPermission.ManageSettings),
        new("/settings/api-keys", "API keys", "API-Schlüssel",
            "Keys for the tracking and management API; a key's secret is shown once, when it is created.",
            "Schlüssel für die Tracking- und Verwaltungs-API; das Geheimnis wird nur einmal gezeigt, beim Anlegen.", DashboardPermission.ManageSettings),
        new("/settings/webhooks", "Webhooks", "Webhooks",
            "Receivers of OpenCem's events, their recent deliveries, and redelivery of failed ones.",
            "Empfänger der Ereignisse von OpenCem, ihre letzten Zustellungen und das erneute Zustellen gescheiterter.", DashboardPermission.ManageSettings),
        new("/settings/rules", "Rules", "Regeln",
            "When / if / then rules: their state, their definition, and a dry-run against past data.",
            "Wenn-dann-Regeln: ihr Zustand, ihre Definition und ein Probelauf auf vergangenen Daten.", DashboardPermission.EditAnalytics),
        new("/settings/themes", "Theme taxonomy", "Themen-Taxonomie",
            "The themes comments are sorted into, with English and German names and keywords; suggested new themes.",
            "Die Themen, denen Kommentare zugeordnet werden, mit englischen und deutschen Namen und Stichwörtern; vorgeschlagene neue Themen.",
            DashboardPermission.EditAnalytics),
    ];

    /// <summary>The sections a user may open.</summary>
    public static IReadOnlyList<Section> For(CurrentUser user) => All.Where(s => user.Can(s.Permission)).ToList();
}
