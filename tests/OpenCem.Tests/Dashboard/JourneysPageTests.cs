using System.Net;
using Microsoft.Playwright;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class JourneysPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Journeys_DemoData_RendersFunnelEmotionCurveStagesAndPaths()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/journeys?period=year&journey=fault-repair");

        await Assertions.Expect(browser.Page.Locator("h1")).ToHaveTextAsync("Journeys");
        await Assertions.Expect(browser.Page.Locator("nav.switch a[aria-current=page]")).ToHaveTextAsync("Fault repair");
        var drawn = await browser.Page.EvaluateAsync<int>("() => [...document.querySelectorAll('canvas[data-chart]')].filter(c => window.Chart && Chart.getChart(c)).length");
        Assert.Equal(3, drawn);
        var stages = browser.Page.Locator("section[aria-labelledby=stages-title] tbody tr");
        await Assertions.Expect(stages).ToHaveCountAsync(4);
        await Assertions.Expect(stages.First.Locator("th")).ToContainTextAsync("Fault reported");
        Assert.True(await browser.Page.Locator("section[aria-labelledby=paths-title] tbody tr").CountAsync() >= 1, "No path is listed.");
        await Assertions.Expect(browser.Page.Locator(".badge.bad:text-is('moment of pain')")).ToHaveCountAsync(1);

        await browser.ScreenshotAsync("journeys-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Journeys_JourneyAndChannelChanged_UpdatesThePageAndKeepsTheFilters()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Viewer, "/journeys?period=year");
        await browser.Page.ClickAsync("nav.switch a:text-is('Billing')");
        await browser.Page.WaitForURLAsync(url => url.Contains("journey=billing", StringComparison.Ordinal));
        Assert.Contains("period=year", browser.Page.Url, StringComparison.Ordinal);
        var stages = browser.Page.Locator("section[aria-labelledby=stages-title] tbody");
        await Assertions.Expect(stages.Locator("tr").First.Locator("th")).ToContainTextAsync("Bill issued");
        var all = await stages.InnerTextAsync();

        await browser.Page.SelectOptionAsync("select[name=channel]", "app");
        await browser.Page.WaitForURLAsync(url => url.Contains("channel=app", StringComparison.Ordinal));
        Assert.Contains("journey=billing", browser.Page.Url, StringComparison.Ordinal);
        Assert.NotEqual(all, await browser.Page.Locator("main").InnerTextAsync());
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Journeys_At375Pixels_KeepTablesInsideTheirBoxes()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Agent, "/journeys?period=year&journey=onboarding", width: 375, height: 800);
        await browser.ScreenshotAsync("journeys-375");
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData(DashboardRoles.Admin)]
    [InlineData(DashboardRoles.Analyst)]
    [InlineData(DashboardRoles.Agent)]
    [InlineData(DashboardRoles.Viewer)]
    public async Task Journeys_EachRole_MayReadIt(string role)
    {
        using var client = await fixture.SignedInClientAsync(role);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/journeys?journey=cancellation")).StatusCode);
    }

    [Fact]
    public async Task Journeys_SignedOut_IsRedirectedToSignIn()
    {
        using var client = fixture.AnonymousClient();

        var response = await client.GetAsync("/journeys");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Contains("/sign-in", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/journeys?journey=%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("/journeys?trait=plan%22%5B:x")]
    [InlineData("/journeys?trait=plan:%3Cscript%3Ealert(1)%3C%2Fscript%3E&channel=%27")]
    public async Task Journeys_BadInput_AnswersWithoutErrorAndEncodesIt(string path)
    {
        using var client = await fixture.SignedInClientAsync(DashboardRoles.Analyst);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<script>alert", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
