using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using OpenCem.Workspaces.Users;

namespace OpenCem.Dashboard;

/// <summary>
/// Authorization policies of the dashboard, on the cookie scheme (the API keeps its API-key scheme). Every page needs
/// <see cref="SignedIn"/>; a page for one permission says <c>@attribute [Authorize(Policy = DashboardPolicies.ManageSettings)]</c>.
/// </summary>
public static class DashboardPolicies
{
    public const string SignedIn = "dashboard";
    public const string EditAnalytics = "dashboard:" + nameof(DashboardPermission.EditAnalytics);
    public const string WorkCases = "dashboard:" + nameof(DashboardPermission.WorkCases);
    public const string ManageSettings = "dashboard:" + nameof(DashboardPermission.ManageSettings);

    public static void Add(AuthorizationBuilder authorization)
    {
        authorization.AddPolicy(SignedIn, policy => Base(policy));
        authorization.AddPolicy(EditAnalytics, policy => Base(policy, DashboardPermission.EditAnalytics));
        authorization.AddPolicy(WorkCases, policy => Base(policy, DashboardPermission.WorkCases));
        authorization.AddPolicy(ManageSettings, policy => Base(policy, DashboardPermission.ManageSettings));
    }

    private static AuthorizationPolicyBuilder Base(AuthorizationPolicyBuilder policy, DashboardPermission permission = DashboardPermission.View) => policy
        .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
        .RequireAuthenticatedUser()
        .RequireAssertion(context => CurrentUser.From(context.User)?.Can(permission) == true);
}
