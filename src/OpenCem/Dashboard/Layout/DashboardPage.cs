using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

namespace OpenCem.Dashboard.Layout;

/// <summary>
/// The base of every dashboard page (<c>@inherits DashboardPage</c>): the request, the signed-in <see cref="User"/>,
/// the page's filters from the query string, and <c>T("English", "Deutsch")</c> for texts kept next to the page.
/// </summary>
public abstract class DashboardPage : ComponentBase
{
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    /// <summary>The signed-in user (pages are only reached signed in; the sign-in page does not use this).</summary>
    protected CurrentUser User => CurrentUser.From(Http.User) ?? throw new InvalidOperationException("The dashboard page was reached without a signed-in user.");

    protected HttpContext Http => HttpContext ?? throw new InvalidOperationException("Dashboard pages render on the server only.");

    protected CancellationToken Aborted => Http.RequestAborted;

    protected Components.DashboardFilters Filters => Components.DashboardFilters.From(Http.Request.Query);

    protected static string T(string english, string german) => DashboardCulture.T(english, german);

    /// <summary>Refuses a change the user's role does not allow (call first in every POST handler).</summary>
    protected void Require(Workspaces.Users.DashboardPermission permission)
    {
        if (!User.Can(permission))
        {
            throw new DashboardForbiddenException(permission);
        }
    }
}

/// <summary>A change the signed-in user may not make; answered with 403.</summary>
public sealed class DashboardForbiddenException(Workspaces.Users.DashboardPermission permission)
    : Exception($"This role may not {permission}.")
{
    public Workspaces.Users.DashboardPermission Permission { get; } = permission;
}
