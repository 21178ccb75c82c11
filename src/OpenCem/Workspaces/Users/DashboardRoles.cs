namespace OpenCem.Workspaces.Users;

/// <summary>What a dashboard user may do. Checked on the server for every page and every POST.</summary>
public enum DashboardPermission
{
    /// <summary>Open the pages (every role).</summary>
    View,

    /// <summary>Change analytics settings: metric settings, theme taxonomy, driver and journey setup.</summary>
    EditAnalytics,

    /// <summary>Work cases: notes, transitions, assignments (agents: only their team's cases).</summary>
    WorkCases,

    /// <summary>Manage settings: users and roles, API keys, webhooks, rules.</summary>
    ManageSettings,
}

/// <summary>Whose personal data (names, e-mails, phones, also inside free text) a user sees unmasked.</summary>
public enum PersonalDataScope
{
    None,

    /// <summary>Only the customers behind cases of the user's team.</summary>
    TeamCases,

    All,
}

/// <summary>
/// The one place that says what each role may do: a permission set per role, and the personal-data scope per role
/// that a user's own override (<c>users.personal_data</c>: all, team or none) replaces.
/// </summary>
public static class DashboardRoles
{
    public const string Admin = "admin";
    public const string Analyst = "analyst";
    public const string Agent = "agent";
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Analyst, Agent, Viewer];

    private static readonly Dictionary<string, DashboardPermission[]> Permissions = new(StringComparer.Ordinal)
    {
        [Admin] = [DashboardPermission.View, DashboardPermission.EditAnalytics, DashboardPermission.WorkCases, DashboardPermission.ManageSettings],
        [Analyst] = [DashboardPermission.View, DashboardPermission.EditAnalytics],
        [Agent] = [DashboardPermission.View, DashboardPermission.WorkCases],
        [Viewer] = [DashboardPermission.View],
    };

    public static bool IsRole(string? role) => role is not null && Permissions.ContainsKey(role);

    public static bool Can(string role, DashboardPermission permission) =>
        Permissions.TryGetValue(role, out var granted) && granted.Contains(permission);

    public static PersonalDataScope DefaultPersonalData(string role) => role switch
    {
        Admin or Analyst => PersonalDataScope.All,
        Agent => PersonalDataScope.TeamCases,
        _ => PersonalDataScope.None,
    };

    /// <summary>The user's override if set, else the role's default.</summary>
    public static PersonalDataScope PersonalData(string role, string? personalDataOverride) =>
        TryParseScope(personalDataOverride, out var scope) ? scope : DefaultPersonalData(role);

    public static bool TryParseScope(string? text, out PersonalDataScope scope)
    {
        switch (text)
        {
            case "all": scope = PersonalDataScope.All; return true;
            case "team": scope = PersonalDataScope.TeamCases; return true;
            case "none": scope = PersonalDataScope.None; return true;
            default: scope = PersonalDataScope.None; return false;
        }
    }

    public static string ScopeName(PersonalDataScope scope) => scope switch
    {
        PersonalDataScope.All => "all",
        PersonalDataScope.TeamCases => "team",
        _ => "none",
    };
}
