using System.Net;
using Microsoft.Playwright;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class SurveysPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Surveys_DemoData_ListsResponseRates_AndASurveyShowsSummaryDistributionAndPreview()
    {
        var surveys = await VoicePages.DemoSurveysAsync(fixture);
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/surveys");
        var page = browser.Page;

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Surveys");
        var rows = page.Locator("table.data-table tbody tr");
        Assert.True(await rows.CountAsync() >= surveys.Count);
        // Some demo survey invited customers: its row has a response rate.
        Assert.True(await page.Locator("table.data-table tbody td.num", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("%$") }).CountAsync() > 0);
        await browser.ScreenshotAsync("surveys-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();

        // Sorting by the response rate is a link that keeps the view in the URL.
        await page.ClickAsync("th a:has-text('Response rate')");
        await page.WaitForURLAsync(url => url.Contains("sort=rate", StringComparison.Ordinal));

        var invited = surveys.First(s => s.Settings.Triggers.Count > 0 || s.Name.Length > 0);
        await browser.GotoAsync($"/surveys/{invited.Id}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(invited.Name);
        await Assertions.Expect(page.Locator(".tile[aria-label='Responses'] .tile-value")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#survey-definition")).ToBeVisibleAsync();
        var frame = page.FrameLocator("iframe.preview-frame");
        await Assertions.Expect(frame.Locator("h1")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("survey-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task SurveyEditor_PreviewsUnsavedChanges_ListsErrorsByField_AndSaves()
    {
        var id = await VoicePages.SurveyWithCommentAsync(fixture, "Editor test survey", "fine");
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, $"/surveys/{id}");
        var page = browser.Page;
        var definition = await page.InputValueAsync("#survey-definition");

        // Preview: the unsaved title shows in the frame, encoded.
        await page.FillAsync("#survey-definition", definition.Replace("How are we doing?", "Preview <i>only</i>", StringComparison.Ordinal));
        await page.ClickAsync("button:has-text('Preview')");
        var frame = page.FrameLocator("iframe.preview-frame");
        await Assertions.Expect(frame.Locator("h1")).ToHaveTextAsync("Preview <i>only</i>");
        Assert.Equal("Editor test survey", await page.InputValueAsync("#survey-name"));

        // Save with a broken definition: nothing saved, the problems listed by where they are.
        await page.FillAsync("#survey-definition", """{"pages": [{"elements": [{"type": "rating", "name": "nps", "rateMin": "x"}]}], "pages2": 1}""");
        await page.ClickAsync("button:has-text('Save')");
        await Assertions.Expect(page.Locator("#survey-errors")).ToContainTextAsync("definition:");
        await browser.ScreenshotAsync("survey-editor-errors");
        await browser.AssertAccessibleAsync();

        await page.FillAsync("#survey-name", "Editor test survey, renamed");
        await page.FillAsync("#survey-definition", definition.Replace("How are we doing?", "Saved title", StringComparison.Ordinal));
        await page.ClickAsync("button:has-text('Save')");
        await page.WaitForURLAsync(url => url.Contains("saved=true", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Editor test survey, renamed");
        await Assertions.Expect(page.FrameLocator("iframe.preview-frame").Locator("h1")).ToHaveTextAsync("Saved title");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task SurveyEditor_ViewerAndAgentAreRefused_SaveAndPreviewNeedTheToken()
    {
        var id = (await VoicePages.DemoSurveysAsync(fixture))[0].Id;
        var path = $"/surveys/{id}";
        var fields = new Dictionary<string, string> { ["Name"] = "Hijacked", ["Definition"] = """{"elements": []}""" };
        foreach (var role in new[] { DashboardRoles.Viewer, DashboardRoles.Agent })
        {
            using var client = await fixture.SignedInClientAsync(role);
            var html = await client.GetStringAsync(path);
            Assert.DoesNotContain("id=\"survey-definition\"", html, StringComparison.Ordinal);
            Assert.Contains("may look at the definition but not change it", html, StringComparison.Ordinal);
            var refused = await VoicePages.PostFormAsync(client, path, "save-survey", fields);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.NotEqual("Hijacked", (await VoicePages.DemoSurveysAsync(fixture)).Single(s => s.Id == id).Name);

        using var analyst = await fixture.SignedInClientAsync(DashboardRoles.Analyst);
        Assert.Equal(HttpStatusCode.BadRequest, (await VoicePages.PostFormAsync(analyst, path, "save-survey", fields, withToken: false)).StatusCode);
        var preview = $"/surveys/{id}/preview";
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.PostAsync(preview, new FormUrlEncodedContent(new Dictionary<string, string> { ["Definition"] = "{}" }))).StatusCode);
        var framed = await analyst.GetAsync(preview);
        Assert.Equal(HttpStatusCode.OK, framed.StatusCode);
        Assert.Equal("SAMEORIGIN", framed.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'self'", framed.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync("/surveys/987654/preview")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync("/surveys/987654")).StatusCode);

        using var anonymous = fixture.AnonymousClient();
        foreach (var signedOut in new[] { "/surveys", path, preview })
        {
            var response = await anonymous.GetAsync(signedOut);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Contains("/sign-in", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
    }
}
