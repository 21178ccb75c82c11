using Microsoft.Playwright;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class ExperiencePageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Experience_DemoData_RendersStackedBalanceBrandGapAndTerms()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/experience?period=year");
        var page = browser.Page;

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Experience and brand");
        var drawn = await page.EvaluateAsync<int>("() => [...document.querySelectorAll('canvas[data-chart]')].filter(c => window.Chart && Chart.getChart(c)).length");
        Assert.Equal(2, drawn);
        var stacked = await page.EvaluateAsync<bool>("() => Chart.getChart(document.querySelector('canvas[data-chart]')).options.scales.y.stacked === true");
        Assert.True(stacked);
        await Assertions.Expect(page.Locator("table.data-table caption", new() { HasTextString = "Per touchpoint" })).ToHaveCountAsync(1);
        var gap = page.Locator("table.data-table", new() { Has = page.Locator("caption", new() { HasTextString = "Per brand value" }) });
        await Assertions.Expect(gap.Locator("tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(gap.Locator("tbody tr").Nth(1)).ToContainTextAsync("Reliable");
        Assert.True(await page.Locator("#brand-form").IsVisibleAsync());

        await browser.ScreenshotAsync("experience-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Experience_Viewer_ReadsWithoutTheForm_InGermanOnAPhone()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Viewer, "/experience?period=year", width: 390, height: 844, locale: "de-DE");
        var page = browser.Page;
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Erlebnis und Marke");
        await Assertions.Expect(page.Locator("#brand-form")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("table.data-table caption", new() { HasTextString = "Je Markenwert" })).ToHaveCountAsync(1);
        await browser.ScreenshotAsync("experience-375-de-viewer");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Experience_AnalystSavesBrandValues_BadRowNamesTheFieldAndSavesNothing()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/experience?period=year");
        var page = browser.Page;
        var words = await page.InputValueAsync("#words-0");
        await page.FillAsync("#words-0", "");
        await page.ClickAsync("#brand-form button[type=submit]");
        await Assertions.Expect(page.Locator("#words-0-error")).ToContainTextAsync("1 to 30 words");
        await Assertions.Expect(page.Locator("p.notice")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("experience-form-error");

        await page.FillAsync("#words-0", words);
        await page.ClickAsync("#brand-form button[type=submit]");
        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("saved");
        Assert.Equal(words, await page.InputValueAsync("#words-0"));
        browser.AssertNoConsoleErrors();
    }
}
