using System.Net;
using Microsoft.Playwright;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class ValuePageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Value_DemoData_RendersClvDistributionEquityAndExplainsTheMissingChurnModel()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/value");
        var page = browser.Page;

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Customer value");
        var drawn = await page.EvaluateAsync<int>("() => [...document.querySelectorAll('canvas[data-chart]')].filter(c => window.Chart && Chart.getChart(c)).length");
        Assert.True(drawn >= 3, $"{drawn} charts drawn.");
        await Assertions.Expect(page.Locator(".tile[aria-label='Customer equity'] .tile-value")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("text=No churn model has scored the customers yet")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("button", new() { HasTextString = "Train churn model" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.data-table caption", new() { HasTextString = "Segments" })).ToBeVisibleAsync();

        await browser.ScreenshotAsync("value-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Value_GroupingFilter_LivesInTheUrl_AndRegroupsEquity()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Viewer, "/value", width: 390, height: 844);
        var page = browser.Page;
        await Assertions.Expect(page.Locator("button", new() { HasTextString = "Train churn model" })).ToHaveCountAsync(0);
        await page.SelectOptionAsync("select[name=by]", "tenure");
        await page.WaitForURLAsync(url => url.Contains("by=tenure", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("table.data-table thead th").First).ToContainTextAsync("Tenure");
        await browser.ScreenshotAsync("value-375-tenure");
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Value_TrainChurn_AnalystAndAdminMay_ViewerAndAgentAreRefused_TokenRequired()
    {
        foreach (var role in new[] { DashboardRoles.Viewer, DashboardRoles.Agent })
        {
            using var client = await fixture.SignedInClientAsync(role);
            var refused = await VoicePages.PostFormAsync(client, "/value", "train-churn", new() { ["ChurnLabel"] = "event:Contract Cancelled within 90" });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var analyst = await fixture.SignedInClientAsync(DashboardRoles.Analyst);
        var noToken = await VoicePages.PostFormAsync(analyst, "/value", "train-churn", new() { ["ChurnLabel"] = "event:x within 9" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);

        var invalid = await VoicePages.PostFormAsync(analyst, "/value", "train-churn", new() { ["ChurnLabel"] = "<b>churn</b>" });
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        var html = await invalid.Content.ReadAsStringAsync();
        Assert.Contains("is not a churn label", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;churn&lt;/b&gt;", html, StringComparison.Ordinal);

        // A label no customer has: the model is queued (and later found unusable), no customer's score changes.
        using var admin = await fixture.SignedInClientAsync(DashboardRoles.Admin);
        var queued = await VoicePages.PostFormAsync(admin, "/value", "train-churn", new() { ["ChurnLabel"] = "trait:NoSuchTrait=Yes" });
        Assert.Equal(HttpStatusCode.Found, queued.StatusCode);
        var location = queued.Headers.Location!.IsAbsoluteUri ? queued.Headers.Location.PathAndQuery : queued.Headers.Location.ToString();
        Assert.StartsWith("/value?model=", location, StringComparison.Ordinal);
        Assert.Contains("Churn model", await admin.GetStringAsync(location), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Value_AgentSeesAggregatesButNoCustomerList()
    {
        using var agent = await fixture.SignedInClientAsync(DashboardRoles.Agent);
        var html = await agent.GetStringAsync("/value?page=abc&model=x&by=%3Cscript%3E");
        Assert.Contains("Customer equity", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Churn risk, highest first", html, StringComparison.Ordinal);
    }
}
