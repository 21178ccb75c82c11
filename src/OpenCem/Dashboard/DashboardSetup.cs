using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCem.Dashboard.Layout;
using OpenCem.Dashboard.Overview;
using OpenCem.Workspaces.Users;

namespace OpenCem.Dashboard;

/// <summary>
/// The web dashboard: Blazor static server rendering (plain HTML, GET filter forms, POST edit forms with anti-forgery),
/// signed in with ASP.NET Core Identity on a cookie, optionally with OpenID Connect.
/// </summary>
public static class DashboardSetup
{
    public const string SignInPath = "/sign-in";

    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorComponents();
        services.AddAntiforgery(options => options.Cookie.Name = "opencem-af");
        services.AddSingleton<DashboardAssets>();
        services.AddScoped<PageStylesheets>();
        services.AddSingleton<OverviewReport>();
        services.AddSingleton<Components.FilterOptionsReader>();
        services.AddDashboardIdentityCore()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<DashboardClaimsFactory>();
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.FromMinutes(1));

        var authentication = services.AddAuthentication();
        authentication.AddCookie(IdentityConstants.ApplicationScheme, cookie =>
        {
            cookie.Cookie.Name = "opencem-session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.LoginPath = SignInPath;
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Events = new CookieAuthenticationEvents
            {
                // A changed role or password (new security stamp) ends the old sessions within a minute.
                OnValidatePrincipal = SecurityStampValidator.ValidatePrincipalAsync,
                OnRedirectToAccessDenied = context => DashboardForbiddenHandler.WriteAsync(context.HttpContext),
            };
        });
        authentication.AddCookie(IdentityConstants.ExternalScheme, cookie =>
        {
            cookie.Cookie.Name = "opencem-external";
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(5);
        });
        OidcSignIn.Add(authentication, services, configuration);
        DashboardPolicies.Add(services.AddAuthorizationBuilder());
        return services;
    }

    /// <summary>Maps the pages, the assets and the sign-out and language endpoints; call after <c>UseAuthorization</c>.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (IsDashboard(context))
            {
                SecurityHeaders.Apply(context);
                var user = CurrentUser.From(context.User);
                DashboardCulture.Use(DashboardCulture.Choose(context, user?.Language));
            }

            await next(context);
        });
        app.UseAntiforgery();

        var assets = app.Services.GetRequiredService<DashboardAssets>();
        app.MapGet(DashboardAssets.PathPrefix + "{**name}", (HttpContext context, string name) => assets.Serve(context, name))
            .ExcludeFromDescription().WithMetadata(new DashboardEndpoint());
        app.MapPost("/sign-out", SignOutAsync).RequireAuthorization(DashboardPolicies.SignedIn).ExcludeFromDescription().WithMetadata(new DashboardEndpoint());
        app.MapGet("/language/{language}", ChooseLanguage).ExcludeFromDescription().WithMetadata(new DashboardEndpoint());
        OidcSignIn.Map(app);
        app.MapRazorComponents<App>().RequireAuthorization(DashboardPolicies.SignedIn);
        return app;
    }

    /// <summary>Only a path on this site: never an open redirect to another host.</summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains("\\", StringComparison.Ordinal) ? url : "/";

    private static bool IsDashboard(HttpContext context) =>
        context.GetEndpoint()?.Metadata is { } metadata
        && (metadata.GetMetadata<ComponentTypeMetadata>() is not null || metadata.GetMetadata<DashboardEndpoint>() is not null);

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, SignInManager<DashboardUser> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest();
        }

        await signIn.SignOutAsync();
        return Results.Redirect(SignInPath);
    }

    private static IResult ChooseLanguage(HttpContext context, string language, string? returnUrl)
    {
        if (!DashboardCulture.Languages.Contains(language))
        {
            return Results.NotFound();
        }

        context.Response.Cookies.Append(DashboardCulture.CookieName, language, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
            IsEssential = true,
        });
        return Results.Redirect(LocalUrl(returnUrl));
    }

    /// <summary>Marks endpoints that get the dashboard's headers and language (the pages have component metadata).</summary>
    public sealed class DashboardEndpoint;
}
