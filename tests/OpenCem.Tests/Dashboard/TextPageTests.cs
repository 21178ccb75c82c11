using System.Net;
using Microsoft.Playwright;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class TextPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Text_DemoData_RendersImpactChartTrendThemesAndHighlightedComments()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/text?period=year");
        var page = browser.Page;

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Text analytics");
        var drawn = await page.EvaluateAsync<int>("() => [...document.querySelectorAll('canvas[data-chart]')].filter(c => window.Chart && Chart.getChart(c)).length");
        Assert.Equal(2, drawn);
        await Assertions.Expect(page.Locator("table[class=data-table] caption", new() { HasTextString = "Themes, the costliest first" })).ToBeVisibleAsync();
        Assert.True(await page.Locator("li.comment").CountAsync() > 0);
        Assert.True(await page.Locator("li.comment mark").CountAsync() > 0, "No theme words are highlighted.");
        Assert.True(await page.Locator("#suggested-title").IsVisibleAsync());

        await browser.ScreenshotAsync("text-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Text_ThemeAndSearchFilters_LiveInTheUrl_AndNarrowTheComments()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Viewer, "/text?period=year", width: 390, height: 844);
        var page = browser.Page;
        // A theme link in the table drills through to that theme's comments.
        var first = page.Locator("table.data-table tbody tr td a").First;
        var theme = (await first.TextContentAsync())!.Trim();
        await first.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("theme=", StringComparison.Ordinal));
        Assert.Contains("period=year", page.Url, StringComparison.Ordinal);
        var comments = page.Locator("li.comment");
        Assert.True(await comments.CountAsync() > 0);
        foreach (var comment in await comments.AllAsync())
        {
            await Assertions.Expect(comment.Locator("a.theme-tag", new() { HasTextString = theme })).ToHaveCountAsync(1);
        }

        // The period filter submits itself: the trend is then by day.
        await page.SelectOptionAsync("select[name=period]", "Month");
        await page.WaitForURLAsync(url => url.Contains("period=Month", StringComparison.Ordinal));
        Assert.Contains("theme=", page.Url, StringComparison.Ordinal); // the drill-down survives a filter change
        await Assertions.Expect(page.Locator("#trend-title ~ figure .chart-data thead th, #trend-title ~ .empty-state").First).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Day|No analysed comments"));

        await page.FillAsync("input[name=q]", "zzzz-no-such-words");
        await page.ClickAsync("form[aria-label='Search comments'] button[type=submit]");
        await page.WaitForURLAsync(url => url.Contains("q=zzzz", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("text=No comments match")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("text-375-filtered");
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Text_CommentWithMarkupAndContacts_RendersAsText_MaskedWithoutPermission()
    {
        var survey = await VoicePages.SurveyWithCommentAsync(fixture, "Text page test survey", "<script>alert('x')</script> waited forever, call me on +49 30 1234567 or ana@example.com");
        var path = $"/text?period=month&survey={survey}";

        await using var viewer = await fixture.OpenAsync(DashboardRoles.Viewer, path);
        var text = viewer.Page.Locator("li.comment .comment-text").First;
        await Assertions.Expect(text).ToContainTextAsync("<script>alert('x')</script>");
        await Assertions.Expect(text).ToContainTextAsync("•••@example.com");
        await Assertions.Expect(text).Not.ToContainTextAsync("ana@example.com");
        await Assertions.Expect(text).Not.ToContainTextAsync("1234567");
        Assert.Equal(0, await viewer.Page.Locator("li.comment script").CountAsync());
        await Assertions.Expect(text.Locator("mark").First).ToHaveTextAsync("waited");
        viewer.AssertNoConsoleErrors();

        using var analyst = await fixture.SignedInClientAsync(DashboardRoles.Analyst);
        var html = await analyst.GetStringAsync(path);
        Assert.Contains("ana@example.com", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_EveryRoleMayRead_SignedOutIsSentToSignIn_BadQueryIsNoError()
    {
        foreach (var role in DashboardRoles.All)
        {
            using var client = await fixture.SignedInClientAsync(role);
            var response = await client.GetAsync("/text?period=nonsense&survey=abc&touchpoint=nowhere&theme=%3Cx%3E&page=abc&q=%25_%5C");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var anonymous = fixture.AnonymousClient();
        var refused = await anonymous.GetAsync("/text");
        Assert.Equal(HttpStatusCode.Found, refused.StatusCode);
        Assert.Contains("/sign-in", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
