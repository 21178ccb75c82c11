using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class SignInTests(DashboardFixture fixture)
{
    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorAndGivesNoSession()
    {
        using var client = fixture.AnonymousClient();

        var response = await DashboardFixture.SignInAsync(client, DashboardFixture.Email(DashboardRoles.Viewer), "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("E-mail or password is wrong.", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_FiveFailures_LocksTheAccountEvenForTheRightPassword()
    {
        var email = $"lock-{Guid.NewGuid():N}@example.com";
        const string password = "correct horse battery";
        await AddUserAsync(email, DashboardRoles.Viewer, password);
        using var client = fixture.AnonymousClient();

        for (var i = 0; i < DashboardIdentity.MaxFailedAttempts; i++)
        {
            await DashboardFixture.SignInAsync(client, email, "wrong password " + i);
        }

        var response = await DashboardFixture.SignInAsync(client, email, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("this account is locked", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_RightPassword_RedirectsToTheReturnUrlOnThisSiteOnly()
    {
        using var client = fixture.AnonymousClient();

        var response = await DashboardFixture.SignInAsync(client, DashboardFixture.Email(DashboardRoles.Analyst), DashboardFixture.Password(DashboardRoles.Analyst), "//evil.example/x");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.AbsolutePath);
        Assert.Equal(fixture.Server.BaseAddress.Host, response.Headers.Location.Host);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("opencem-session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignedOut_PageRequest_IsRedirectedToSignInWithReturnUrl()
    {
        using var client = fixture.AnonymousClient();

        var response = await client.GetAsync("/?period=year");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/sign-in", response.Headers.Location!.AbsolutePath);
        Assert.Contains("returnUrl=%2F%3Fperiod%3Dyear", response.Headers.Location.Query);
    }

    [Fact]
    public async Task SignOut_WithToken_EndsTheSession()
    {
        using var client = await fixture.SignedInClientAsync(DashboardRoles.Viewer);
        var token = await DashboardFixture.FormTokenAsync(client, "/");

        var response = await client.PostAsync("/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Api_WithDashboardCookieOnly_StillNeedsAnApiKey()
    {
        using var client = await fixture.SignedInClientAsync(DashboardRoles.Admin);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/stats")).StatusCode);
    }

    private async Task AddUserAsync(string email, string role, string password)
    {
        await using var scope = fixture.Server.App.Services.CreateAsyncScope();
        var change = await scope.ServiceProvider.GetRequiredService<UserDirectory>().AddAsync(fixture.WorkspaceId, email, role, null, password);
        Assert.Null(change.Error);
    }
}
