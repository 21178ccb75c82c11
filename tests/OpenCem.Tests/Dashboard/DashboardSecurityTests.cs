using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenCem.Dashboard;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>Headers, anti-forgery and role checks on the server, over HTTP (no browser needed).</summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardSecurityTests(DashboardFixture fixture)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/sign-in")]
    public async Task Page_CarriesCspAndHeaders_AndHasNoInlineScriptOrStyle(string path)
    {
        using var client = await fixture.SignedInClientAsync(DashboardRoles.Admin);

        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy);
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotMatch(StyleAttribute(), html);
        Assert.DoesNotMatch(EventAttribute(), html);
        Assert.DoesNotContain("blazor.web.js", html);
    }

    [Fact]
    public async Task ForgedPost_WithoutAntiforgeryToken_IsRejectedAndChangesNothing()
    {
        using var client = await fixture.SignedInClientAsync(DashboardRoles.Admin);
        var email = $"forged-{Guid.NewGuid():N}@example.com";

        var response = await client.PostAsync("/settings/users", Form(email, token: null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(await ListAsync(), u => u.Email == email);
    }

    [Fact]
    public async Task Viewer_AddUser_IsRefusedAndChangesNothing()
    {
        using var client = await fixture.SignedInClientAsync(DashboardRoles.Viewer);
        var token = await DashboardFixture.FormTokenAsync(client, "/");
        var email = $"by-viewer-{Guid.NewGuid():N}@example.com";

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/settings/users")).StatusCode);
        var response = await client.PostAsync("/settings/users", Form(email, token));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(await ListAsync(), u => u.Email == email);
    }

    [Fact]
    public async Task Admin_AddUser_AddsItAndShowsThePasswordOnce()
    {
        using var client = await fixture.SignedInClientAsync(DashboardRoles.Admin);
        var token = await DashboardFixture.FormTokenAsync(client, "/settings/users");
        var email = $"by-admin-{Guid.NewGuid():N}@example.com";

        var response = await client.PostAsync("/settings/users", Form(email, token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("password, shown only now", await response.Content.ReadAsStringAsync());
        Assert.Contains(await ListAsync(), u => u.Email == email && u.Role == DashboardRoles.Analyst);
    }

    [Fact]
    public async Task Assets_AreServedWithContentHashAndLongCache()
    {
        using var client = fixture.AnonymousClient();
        var html = await client.GetStringAsync("/sign-in");
        var css = Regex.Match(html, "href=\"(/assets/dashboard/dashboard.css\\?v=[0-9a-f]+)\"").Groups[1].Value;

        var response = await client.GetAsync(css);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
        var again = new HttpRequestMessage(HttpMethod.Get, css);
        again.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task Assets_OfTheFirstPageLoad_AreUnderOneMegabyte()
    {
        using var client = await fixture.SignedInClientAsync(DashboardRoles.Admin);
        var html = await client.GetStringAsync("/");
        long total = html.Length;
        foreach (Match asset in Regex.Matches(html, "(?:href|src)=\"(/assets/[^\"]+)\""))
        {
            total += (await client.GetByteArrayAsync(WebUtility.HtmlDecode(asset.Groups[1].Value))).Length;
        }

        Assert.InRange(total, 1, 1_000_000);
    }

    private static FormUrlEncodedContent Form(string email, string? token)
    {
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "add-user",
            ["email"] = email,
            ["role"] = DashboardRoles.Analyst,
        };
        if (token is not null)
        {
            fields["__RequestVerificationToken"] = token;
        }

        return new FormUrlEncodedContent(fields);
    }

    private async Task<IReadOnlyList<UserSummary>> ListAsync()
    {
        await using var scope = fixture.Server.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserDirectory>().ListAsync(fixture.WorkspaceId);
    }

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("\\sstyle\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex("\\son[a-z]+\\s*=\\s*\"", RegexOptions.IgnoreCase)]
    private static partial Regex EventAttribute();
}
