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

    [Fact]
    public async Task Overview_PeriodFilterChange_UpdatesUrlTilesAndChart()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/?period=year");
        var yearN = await browser.Page.Locator(".tile[aria-label=NPS] .tile-n").TextContentAsync();
        var yearBars = await ChartLabelsAsync(browser);

        // dashboard.js submits the GET form on change: the filter's state lands in the URL.
        await browser.Page.SelectOptionAsync("select[name=period]", "Month");
        await browser.Page.WaitForURLAsync(url => url.Contains("period=Month", StringComparison.Ordinal));

        await Assertions.Expect(browser.Page.Locator("select[name=period]")).ToHaveValueAsync("Month");
        Assert.NotEqual(yearN, await browser.Page.Locator(".tile:first-child").Locator(".tile-n, .tile-empty").First.TextContentAsync());
        var monthBars = await ChartLabelsAsync(browser);
        Assert.NotEqual(yearBars, monthBars);
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Overview_LanguageSwitch_ShowsGermanTextsAndNumbers()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Admin, "/?period=year");

        await browser.Page.ClickAsync("a[lang=de]");

        await Assertions.Expect(browser.Page.Locator("h1")).ToHaveTextAsync("Übersicht");
        await Assertions.Expect(browser.Page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        Assert.Contains("period=year", browser.Page.Url);
        // German decimals: a comma in the NPS value's interval, a dot as thousands separator in the equity.
        await Assertions.Expect(browser.Page.Locator(".tile[aria-label=NPS] .tile-interval")).ToContainTextAsync(",");
        await Assertions.Expect(browser.Page.Locator(".figures dd").First).ToContainTextAsync(".");
        await browser.ScreenshotAsync("overview-de");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Overview_OnAPhone_FitsTheScreenAndPassesAxe()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Viewer, "/?period=year", width: 375, height: 800);

        await Assertions.Expect(browser.Page.Locator(".tile[aria-label=NPS] .tile-value")).ToBeVisibleAsync();
        await browser.Page.ClickAsync(".chart-data summary");
        await browser.ScreenshotAsync("overview-375");
        await browser.AssertNoHorizontalOverflowAsync();
        await browser.AssertAccessibleAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Overview_WithoutChurnModel_ExplainsRevenueAtRiskInsteadOfShowingZero()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/");

        await Assertions.Expect(browser.Page.Locator(".empty-state")).ToContainTextAsync("Revenue at risk is not known yet");
        await Assertions.Expect(browser.Page.Locator("dt", new PageLocatorOptions { HasText = "Revenue at risk" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Overview_Agent_CountsOnlyTheirTeamsCases()
    {
        var cases = fixture.Server.Service<OpenCem.Actions.Cases.CaseReader>();
        var all = await cases.CountsAsync(fixture.WorkspaceId);
        var billing = await cases.CountsAsync(fixture.WorkspaceId, OpenCem.Demo.DemoUsers.People.Single(p => p.Role == DashboardRoles.Agent).Team);
        using var agent = await fixture.SignedInClientAsync(DashboardRoles.Agent);
        using var analyst = await fixture.SignedInClientAsync(DashboardRoles.Analyst);

        Assert.Equal(billing.Open, await OpenCasesAsync(agent));
        Assert.Equal(all.Open, await OpenCasesAsync(analyst));
    }

    [Fact]
    public async Task EquityTotals_MatchTheSegmentReport()
    {
        var equity = fixture.Server.Service<OpenCem.Value.Equity.EquityQuery>();

        var totals = await equity.TotalsAsync(fixture.WorkspaceId);
        var report = await equity.BySegmentAsync(fixture.WorkspaceId, "lifecycle");

        Assert.True(totals.CustomerEquity > 0);
        Assert.Equal(report.CustomerEquity, totals.CustomerEquity, 0.05);
        Assert.Equal(report.RevenueAtRisk, totals.RevenueAtRisk, 0.05);
        Assert.Equal(report.ChurnModelId, totals.ChurnModelId);
    }

    private static async Task<long> OpenCasesAsync(HttpClient client)
    {
        var html = await client.GetStringAsync("/");
        var match = System.Text.RegularExpressions.Regex.Match(html, "aria-label=\"Open cases\"><h2 class=\"tile-label\">Open cases</h2><p class=\"tile-value\">([0-9,]+)</p>");
        Assert.True(match.Success, "No open-cases tile.");
        return long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<string> ChartLabelsAsync(DashboardBrowser browser) =>
        browser.Page.EvaluateAsync<string>("() => Chart.getChart(document.querySelector('canvas[data-chart]')).data.labels.join('|')");
}
