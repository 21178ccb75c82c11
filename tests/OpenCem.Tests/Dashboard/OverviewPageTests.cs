using Microsoft.Playwright;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class OverviewPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Overview_DemoData_RendersTilesChartAndValueWithoutConsoleErrors()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/?period=year");

        await Assertions.Expect(browser.Page.Locator("h1")).ToHaveTextAsync("Overview");
        await Assertions.Expect(browser.Page.Locator(".tile[aria-label=NPS] .tile-value")).ToBeVisibleAsync();
        await Assertions.Expect(browser.Page.Locator(".tile[aria-label=NPS] .tile-interval")).ToContainTextAsync("95 % interval");
        await Assertions.Expect(browser.Page.Locator(".tile[aria-label=CSAT] .tile-trend")).ToContainTextAsync("vs previous period");
        // Chart.js drew the canvas: it sized it through CSSOM (so the CSP did not stop it) and gave it pixels.
        var drawn = await browser.Page.EvaluateAsync<bool>("() => { const c = document.querySelector('canvas[data-chart]'); return !!(window.Chart && Chart.getChart(c)); }");
        Assert.True(drawn, "dashboard.js did not draw the response chart.");
        await Assertions.Expect(browser.Page.Locator(".chart-data table tbody tr").First).ToBeAttachedAsync();
        await Assertions.Expect(browser.Page.Locator("text=Customer equity")).ToBeVisibleAsync();

        await browser.ScreenshotAsync("overview-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }
}
