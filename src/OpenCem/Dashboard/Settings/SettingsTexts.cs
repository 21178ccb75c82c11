using OpenCem.Workspaces.Users;
using static OpenCem.Dashboard.DashboardCulture;

namespace OpenCem.Dashboard.Settings;

/// <summary>Names the settings pages show for roles and states, in English and German.</summary>
public static class SettingsTexts
{
    public static string RoleName(string role) => role switch
    {
        DashboardRoles.Admin => T("Administrator", "Administrator"),
        DashboardRoles.Analyst => T("Analyst", "Analyst"),
        DashboardRoles.Agent => T("Agent", "Agent"),
        _ => T("Viewer", "Betrachter"),
    };

    public static string ScopeName(PersonalDataScope scope) => scope switch
    {
        PersonalDataScope.All => T("all customers", "alle Kunden"),
        PersonalDataScope.TeamCases => T("customers of the team's cases", "Kunden der Fälle des Teams"),
        _ => T("masked", "maskiert"),
    };

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("g", System.Globalization.CultureInfo.CurrentCulture) + " UTC";
}
