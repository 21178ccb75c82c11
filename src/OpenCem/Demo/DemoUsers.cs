using OpenCem.Workspaces.Users;

namespace OpenCem.Demo;

/// <summary>
/// The demo company's dashboard users, one per role, with passwords derived from the seed so the README can say
/// them: <c>admin@demo.opencem.test</c> / <c>demo-admin-42</c> for the default seed 42 (likewise analyst, agent,
/// viewer). The agent works in the billing case team. For a local demo only: change them before exposing a server.
/// </summary>
public static class DemoUsers
{
    public const string Domain = "demo.opencem.test";

    public static readonly IReadOnlyList<(string Role, string? Team)> People =
    [
        (DashboardRoles.Admin, null), (DashboardRoles.Analyst, null), (DashboardRoles.Agent, DemoCaseTeams.Billing), (DashboardRoles.Viewer, null),
    ];

    public static string Email(string role) => $"{role}@{Domain}";

    public static string Password(string role, int seed) => $"demo-{role}-{seed}";

    /// <summary>Adds the users that are missing (a rerun of the demo keeps changed passwords).</summary>
    public static async Task EnsureAsync(UserDirectory users, long workspaceId, int seed, CancellationToken cancellationToken = default)
    {
        var existing = (await users.ListAsync(workspaceId, cancellationToken)).Select(u => u.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (role, team) in People.Where(p => !existing.Contains(Email(p.Role))))
        {
            var change = await users.AddAsync(workspaceId, Email(role), role, team, Password(role, seed), cancellationToken);
            if (change.Error is not null)
            {
                throw new InvalidOperationException($"The demo user {Email(role)} could not be added: {change.Error}");
            }
        }
    }
}
