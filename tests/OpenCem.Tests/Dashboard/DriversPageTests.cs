using System.Net;
using Microsoft.Playwright;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class DriversPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Drivers_DemoData_RendersImportanceMatrixWithQuadrantsAndTheDriverTable()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/drivers?period=year");

        await Assertions.Expect(browser.Page.Locator("h1")).ToHaveTextAsync("Key drivers");
        var matrix = browser.Page.Locator("figure.svg-chart svg").First;
        await Assertions.Expect(matrix).ToHaveAttributeAsync("role", "img");
        foreach (var quadrant in new[] { "Fix first", "Keep up", "Maintain", "Monitor" })
        {
            await Assertions.Expect(matrix.Locator($"text.quadrant-label:text-is('{quadrant}')")).ToHaveCountAsync(1);
        }

        await Assertions.Expect(matrix.Locator(".axis-title").First).ToContainTextAsync("Importance");
        var points = await matrix.Locator("circle.point").CountAsync();
        Assert.True(points >= 2, "The matrix shows fewer than two drivers.");
        Assert.Equal(points, await browser.Page.Locator("section[aria-labelledby=drivers-title] table tbody tr").CountAsync());

        await browser.ScreenshotAsync("drivers-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Drivers_SurveyWithExpectations_ShowsGapsWithIntervalsAndMarksTheMissedOnes()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Viewer, "/drivers?period=year");
        var surveys = browser.Page.Locator("select[name=survey] option");
        var expectationSurvey = await FindSurveyWithGapsAsync(browser);
        Assert.True(expectationSurvey is not null, $"No survey of {await surveys.CountAsync()} shows expectation gaps.");

        var gaps = browser.Page.Locator("section[aria-labelledby=gaps-title]");
        Assert.Equal(5, await gaps.Locator("svg rect.bar").CountAsync());
        Assert.True(await gaps.Locator("svg line.interval").CountAsync() >= 5, "The gaps have no intervals.");
        // The demo plants a missed expectation (DemoTruths): it is red in the chart and named in the table.
        Assert.True(await gaps.Locator("svg rect.bar.missed").CountAsync() >= 1, "No expectation is shown as missed.");
        await Assertions.Expect(gaps.Locator("tr.missed .badge").First).ToHaveTextAsync("Expectation missed");

        await browser.ScreenshotAsync("drivers-gaps-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Drivers_OutcomeChanged_RerunsTheAnalysisForThatOutcome()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/drivers?period=year");
        // The repair survey asks CSAT and CES: two outcomes for the same drivers.
        await browser.Page.SelectOptionAsync("select[name=survey]", new SelectOptionValue { Label = "Fault repair (CSAT)" });
        await browser.Page.WaitForURLAsync(url => url.Contains("survey=", StringComparison.Ordinal));
        var outcomes = browser.Page.Locator("select[name=outcome] option");
        Assert.True(await outcomes.CountAsync() >= 2, "The repair survey offers a single outcome.");
        var first = await browser.Page.Locator("section[aria-labelledby=drivers-title] table tbody").InnerTextAsync();

        var second = await outcomes.Nth(1).GetAttributeAsync("value");
        await browser.Page.SelectOptionAsync("select[name=outcome]", second!);
        await browser.Page.WaitForURLAsync(url => url.Contains("outcome=" + second, StringComparison.Ordinal));
        Assert.Contains("period=year", browser.Page.Url, StringComparison.Ordinal);
        Assert.Equal(second, await browser.Page.Locator("select[name=outcome]").InputValueAsync());
        Assert.NotEqual(first, await browser.Page.Locator("section[aria-labelledby=drivers-title] table tbody").InnerTextAsync());

        // A filter change keeps the outcome.
        await browser.Page.SelectOptionAsync("select[name=channel]", "email");
        await browser.Page.WaitForURLAsync(url => url.Contains("channel=email", StringComparison.Ordinal));
        Assert.Equal(second, await browser.Page.Locator("select[name=outcome]").InputValueAsync());
        browser.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData(DashboardRoles.Admin)]
    [InlineData(DashboardRoles.Analyst)]
    [InlineData(DashboardRoles.Agent)]
    [InlineData(DashboardRoles.Viewer)]
    public async Task Drivers_EachRole_MayReadIt(string role)
    {
        using var client = await fixture.SignedInClientAsync(role);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/drivers?period=month")).StatusCode);
    }

    [Fact]
    public async Task Drivers_SignedOut_IsRedirectedToSignIn()
    {
        using var client = fixture.AnonymousClient();

        var response = await client.GetAsync("/drivers");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Contains("/sign-in", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/drivers?outcome=%3Cscript%3Ealert(1)%3C%2Fscript%3E&survey=999999")]
    [InlineData("/drivers?trait=plan%22%5B:x&touchpoint=%3Cscript%3E&channel=nowhere")]
    [InlineData("/drivers?outcome=nps.x.y&period=month")]
    public async Task Drivers_BadInput_AnswersWithoutErrorAndEncodesIt(string path)
    {
        using var client = await fixture.SignedInClientAsync(DashboardRoles.Analyst);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<script>alert", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Picks the surveys in turn until one shows the gap chart; its value, or null.</summary>
    private static async Task<string?> FindSurveyWithGapsAsync(DashboardBrowser browser)
    {
        var values = await browser.Page.Locator("select[name=survey] option").EvaluateAllAsync<string[]>("o => o.map(x => x.value).filter(v => v)");
        foreach (var value in values)
        {
            await browser.GotoAsync($"/drivers?period=year&survey={value}");
            if (await browser.Page.Locator("section[aria-labelledby=gaps-title] svg").CountAsync() > 0)
            {
                return value;
            }
        }

        return null;
    }
}
