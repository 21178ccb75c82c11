using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenCem.Workspaces.Users;

namespace OpenCem.Dashboard;

/// <summary>Adds the role, workspace, team, personal-data scope and language to the cookie (see <see cref="CurrentUser"/>).</summary>
public sealed class DashboardClaimsFactory(UserManager<DashboardUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<DashboardUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(DashboardUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaims(CurrentUser.Claims(user));
        return identity;
    }
}
