using System.Net;
using Microsoft.Playwright;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class TouchpointsPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Touchpoints_DemoData_RendersHeatmapWithValuesLegendAndNoConsoleErrors()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/touchpoints?period=year");

        await Assertions.Expect(browser.Page.Locator("h1")).ToHaveTextAsync("Touchpoints");
        // Every stage of the demo's five journeys is a row; scored cells carry their value and n in text, not only colour.
        Assert.Equal(19, await browser.Page.Locator("table.heatmap tbody tr:not(.journey-row)").CountAsync());
        // Without a metric in the URL the page shows the one answered at the most touchpoints (the demo's CSAT and CES
        // surveys follow a few transactions each).
        var scored = browser.Page.Locator("td.heat .heat-value");
        Assert.True(await scored.CountAsync() >= 3, "Fewer than three touchpoint cells have a value.");
        await Assertions.Expect(browser.Page.Locator("td.heat .heat-value + .heat-n").First).ToContainTextAsync("n = ");
        await Assertions.Expect(browser.Page.Locator(".heat-legend .heat-key")).ToHaveCountAsync(7);
        await Assertions.Expect(browser.Page.Locator("table.heatmap a[href^='/touchpoints/fault-hotline']")).ToHaveTextAsync("Fault hotline");

        await browser.ScreenshotAsync("touchpoints-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Touchpoints_MetricAndPeriodChanged_UpdatesTheHeatmapAndKeepsTheFiltersInTheUrl()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Viewer, "/touchpoints?period=year&metric=nps");
        var before = await browser.Page.Locator("table.heatmap").InnerTextAsync();

        await browser.Page.ClickAsync("nav.switch a:text-is('CES')");
        await browser.Page.WaitForURLAsync(url => url.Contains("metric=ces", StringComparison.Ordinal));
        Assert.Contains("period=year", browser.Page.Url, StringComparison.Ordinal);
        await Assertions.Expect(browser.Page.Locator("#heatmap-title")).ToContainTextAsync("CES");
        Assert.NotEqual(before, await browser.Page.Locator("table.heatmap").InnerTextAsync());

        var year = await browser.Page.Locator("table.heatmap").InnerTextAsync();
        await browser.Page.SelectOptionAsync("select[name=period]", "Month");
        await browser.Page.WaitForURLAsync(url => url.Contains("period=Month", StringComparison.Ordinal));
        Assert.Contains("metric=ces", browser.Page.Url, StringComparison.Ordinal);
        await Assertions.Expect(browser.Page.Locator("#heatmap-title")).ToContainTextAsync("CES");
        Assert.NotEqual(year, await browser.Page.Locator("table.heatmap").InnerTextAsync());
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Touchpoint_ClickedInTheHeatmap_ShowsTilesTrendVolumeAndThemes()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Agent, "/touchpoints?period=year&metric=ces");
        await browser.Page.ClickAsync("table.heatmap a[href^='/touchpoints/billing-hotline']");
        await browser.Page.WaitForURLAsync(url => url.Contains("/touchpoints/billing-hotline", StringComparison.Ordinal));

        await Assertions.Expect(browser.Page.Locator("h1")).ToHaveTextAsync("Billing hotline");
        await Assertions.Expect(browser.Page.Locator(".tile[aria-label^=CES] .tile-value")).ToBeVisibleAsync();
        var charts = await browser.Page.EvaluateAsync<int>("() => [...document.querySelectorAll('canvas[data-chart]')].filter(c => window.Chart && Chart.getChart(c)).length");
        Assert.Equal(2, charts);
        await Assertions.Expect(browser.Page.Locator("#themes-title")).ToBeVisibleAsync();
        await Assertions.Expect(browser.Page.Locator("section[aria-labelledby=themes-title] table tbody tr").First).ToBeVisibleAsync();

        await browser.ScreenshotAsync("touchpoint-billing-hotline-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Touchpoints_At375Pixels_ScrollsTheHeatmapInsideItsBox()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/touchpoints?period=year", width: 375, height: 800);
        await browser.ScreenshotAsync("touchpoints-375");
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData(DashboardRoles.Admin)]
    [InlineData(DashboardRoles.Analyst)]
    [InlineData(DashboardRoles.Agent)]
    [InlineData(DashboardRoles.Viewer)]
    public async Task TouchpointPages_EachRole_MayReadThem(string role)
    {
        using var client = await fixture.SignedInClientAsync(role);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/touchpoints?metric=csat")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/touchpoints/online-order?metric=ces&period=month")).StatusCode);
    }

    [Fact]
    public async Task TouchpointPages_SignedOut_AreRedirectedToSignIn()
    {
        using var client = fixture.AnonymousClient();

        foreach (var path in new[] { "/touchpoints", "/touchpoints/online-order" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Contains("/sign-in", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/touchpoints/no-such-touchpoint", HttpStatusCode.NotFound)]
    [InlineData("/touchpoints/%3Cscript%3Ealert(1)%3C%2Fscript%3E", HttpStatusCode.NotFound)]
    [InlineData("/touchpoints?metric=%3Cscript%3E&period=decade&trait=nosuchtrait:x&segment=%27", HttpStatusCode.OK)]
    [InlineData("/touchpoints/online-order?trait=plan%22%5B:x&survey=-1", HttpStatusCode.OK)]
    public async Task TouchpointPages_BadInput_AnswerWithoutErrorAndEncodeIt(string path, HttpStatusCode expected)
    {
        using var client = await fixture.SignedInClientAsync(DashboardRoles.Analyst);

        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
    }
}
