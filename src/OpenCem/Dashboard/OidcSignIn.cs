using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCem.Workspaces.Users;

namespace OpenCem.Dashboard;

/// <summary>
/// Company single sign-on: the provider signs the person in, their e-mail finds (or creates) the dashboard user, and
/// the provider's role claim sets the role on every sign-in, so role changes are made in one place, the provider.
/// </summary>
internal static class OidcSignIn
{
    public const string StartPath = "/sign-in/oidc";
    private const string DonePath = "/sign-in/oidc/done";

    public static void Add(AuthenticationBuilder authentication, IServiceCollection services, IConfiguration configuration)
    {
        if (OidcSignInOptions.FromConfiguration(configuration) is not { } options)
        {
            return;
        }

        services.AddSingleton(options);
        authentication.AddOpenIdConnect(OidcSignInOptions.Scheme, options.DisplayName, oidc =>
        {
            oidc.Authority = options.Authority;
            oidc.ClientId = options.ClientId;
            oidc.ClientSecret = options.ClientSecret;
            oidc.ResponseType = "code";
            oidc.UsePkce = true;
            oidc.SignInScheme = IdentityConstants.ExternalScheme;
            oidc.MapInboundClaims = false;
            oidc.Scope.Add("email");
            oidc.GetClaimsFromUserInfoEndpoint = true;
            oidc.RequireHttpsMetadata = !new Uri(options.Authority).IsLoopback;
        });
    }

    public static void Map(WebApplication app)
    {
        if (app.Services.GetService<OidcSignInOptions>() is null)
        {
            return;
        }

        app.MapGet(StartPath, (string? returnUrl) => Results.Challenge(
            new AuthenticationProperties { RedirectUri = $"{DonePath}?returnUrl={Uri.EscapeDataString(DashboardSetup.LocalUrl(returnUrl))}" },
            [OidcSignInOptions.Scheme])).ExcludeFromDescription();
        app.MapGet(DonePath, DoneAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> DoneAsync(
        HttpContext context, string? returnUrl, OidcSignInOptions options, UserManager<DashboardUser> users, SignInManager<DashboardUser> signIn)
    {
        var external = await context.AuthenticateAsync(IdentityConstants.ExternalScheme);
        await context.SignOutAsync(IdentityConstants.ExternalScheme);
        var principal = external.Principal;
        var email = principal?.FindFirst(options.EmailClaim)?.Value;
        var role = principal is null ? null : options.RoleOf(principal.FindAll(options.RoleClaim).Select(c => c.Value));
        if (email is null || role is null)
        {
            return Results.Redirect($"{DashboardSetup.SignInPath}?error=sso");
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new DashboardUser { Email = email, Role = role, ExternalSubject = principal!.FindFirst("sub")?.Value };
            if (!(await users.CreateAsync(user)).Succeeded)
            {
                return Results.Redirect($"{DashboardSetup.SignInPath}?error=sso");
            }
        }
        else if (user.Role != role)
        {
            user.Role = role;
            await users.UpdateSecurityStampAsync(user);
        }

        await signIn.SignInAsync(user, isPersistent: false);
        return Results.Redirect(DashboardSetup.LocalUrl(returnUrl));
    }
}
