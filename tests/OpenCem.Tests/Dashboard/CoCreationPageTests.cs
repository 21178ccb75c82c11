using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>The Ideas page on the demo: ideas by votes, the moderation queue, lead users, advocates; who may change what.</summary>
[Collection(DashboardCollection.Name)]
public sealed class CoCreationPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task CoCreation_Demo_ShowsIdeasQueueLeadUsersAdvocates_AnalystSetsStatus()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/co-creation");
        var page = browser.Page;
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Customer ideas and advocates");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve BEST PHONE DEALS AT WWW.CHEAP-PHONES-NOW.COM" })).ToBeVisibleAsync();
        Assert.True(await page.Locator("#lead-title + p + .table-scroll tbody tr").CountAsync() >= 6, "the six planted lead users are missing");
        Assert.True(await page.Locator("#advocates-title ~ form tbody tr").CountAsync() > 0, "no advocates on the demo");
        await browser.ScreenshotAsync("co-creation-1280");
        await browser.AssertAccessibleAsync();
        browser.AssertNoConsoleErrors();

        // The analyst plans the most-voted idea under review with an answer; the board shows the answer.
        var underReview = (await fixture.Server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ideas?status=under_review&moderation=published"))[0];
        var id = underReview.GetProperty("id").GetInt64();
        var row = page.Locator("tr", new() { Has = page.Locator($"a[href='/ideas/{id}']") });
        await row.Locator("select[name=status]").SelectOptionAsync("planned");
        await row.Locator("input[name=answer]").FillAsync("We will build this next quarter.");
        await row.GetByRole(AriaRole.Button, new() { Name = "Set" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("is now planned");
        var after = await fixture.Server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/ideas/{id}");
        Assert.Equal("planned", after.GetProperty("status").GetString());
        Assert.Equal("We will build this next quarter.", after.GetProperty("answer").GetString());
    }

    [Fact]
    public async Task CoCreation_Viewer_ReadsWithoutForms_AndCannotPost()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Viewer, "/co-creation", width: 390, height: 844);
        await Assertions.Expect(browser.Page.Locator("h1")).ToHaveTextAsync("Customer ideas and advocates");
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Button, new() { Name = "Set" })).ToHaveCountAsync(0);
        await Assertions.Expect(browser.Page.Locator("input[name=customer]")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("co-creation-390-viewer");
        await browser.AssertAccessibleAsync();

        using var viewer = await fixture.SignedInClientAsync(DashboardRoles.Viewer);
        var refused = await VoicePages.PostFormAsync(viewer, "/co-creation", "invite", new() { ["programme"] = "referral", ["customer"] = "1" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
