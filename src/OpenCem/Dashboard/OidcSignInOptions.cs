using Microsoft.Extensions.Configuration;

namespace OpenCem.Dashboard;

/// <summary>
/// Optional company single sign-on with OpenID Connect, on only when <c>Oidc:Authority</c> and <c>Oidc:ClientId</c> are
/// set. The identity provider's <see cref="RoleClaim"/> (default <c>roles</c>) carries the dashboard role: its values
/// are matched against <see cref="RoleMap"/> (<c>Oidc:Roles:admin = "CX-Admins"</c> ...) or, when unmapped, taken as
/// role names. A user signing in without a known role is refused.
/// </summary>
public sealed record OidcSignInOptions(
    string Authority, string ClientId, string? ClientSecret, string RoleClaim, string EmailClaim, IReadOnlyDictionary<string, string> RoleMap,
    string DisplayName)
{
    public const string Scheme = "oidc";

    /// <summary>The options, or null when single sign-on is not configured.</summary>
    public static OidcSignInOptions? FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Oidc");
        var authority = section["Authority"];
        var clientId = section["ClientId"];
        if (string.IsNullOrWhiteSpace(authority) || string.IsNullOrWhiteSpace(clientId))
        {
            return null;
        }

        if (!Uri.TryCreate(authority, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback))
        {
            throw new InvalidOperationException($"Configuration key 'Oidc:Authority' has the invalid value '{authority}'; expected an https address of the identity provider.");
        }

        // Oidc:Roles:admin = "CX-Admins" maps the provider's group "CX-Admins" to the role admin.
        var map = section.GetSection("Roles").GetChildren()
            .Where(c => Workspaces.Users.DashboardRoles.IsRole(c.Key) && !string.IsNullOrWhiteSpace(c.Value))
            .ToDictionary(c => c.Value!, c => c.Key, StringComparer.OrdinalIgnoreCase);
        return new OidcSignInOptions(
            authority, clientId, section["ClientSecret"], section["RoleClaim"] ?? "roles", section["EmailClaim"] ?? "email", map,
            section["DisplayName"] ?? "Single sign-on");
    }

    /// <summary>The dashboard role named by the provider's role claim values, the most privileged first.</summary>
    public string? RoleOf(IEnumerable<string> claimValues)
    {
        var roles = claimValues.Select(v => RoleMap.TryGetValue(v, out var mapped) ? mapped : v.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        return Workspaces.Users.DashboardRoles.All.FirstOrDefault(roles.Contains);
    }
}
