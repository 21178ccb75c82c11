using System.Reflection;
using Microsoft.AspNetCore.Components;
using OpenCem.Workspaces.Users;

namespace OpenCem.Dashboard;

/// <summary>
/// Puts a page in the dashboard's navigation: <c>@attribute [NavEntry(20, "Touchpoints", "Touchpoints")]</c> next to
/// its <c>@page</c>. Pages are found by this attribute, so adding a page edits no shared file.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NavEntryAttribute(int order, string english, string german) : Attribute
{
    public int Order { get; } = order;

    public string English { get; } = english;

    public string German { get; } = german;

    /// <summary>Shown only to users with this permission (default: everyone signed in).</summary>
    public DashboardPermission Permission { get; init; } = DashboardPermission.View;
}

/// <summary>The navigation, discovered once from the pages' <see cref="NavEntryAttribute"/>s.</summary>
public static class DashboardNavigation
{
    public sealed record Entry(int Order, string English, string German, string Path, DashboardPermission Permission);

    public static readonly IReadOnlyList<Entry> Entries = typeof(DashboardNavigation).Assembly.GetTypes()
        .Select(type => (Nav: type.GetCustomAttribute<NavEntryAttribute>(), Route: type.GetCustomAttributes<RouteAttribute>().FirstOrDefault()))
        .Where(p => p.Nav is not null && p.Route is not null)
        .Select(p => new Entry(p.Nav!.Order, p.Nav.English, p.Nav.German, p.Route!.Template, p.Nav.Permission))
        .OrderBy(e => e.Order)
        .ToList();
}
