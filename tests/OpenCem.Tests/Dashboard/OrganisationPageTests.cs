using System.Net;
using Microsoft.Playwright;
using OpenCem.Demo;
using OpenCem.Organisation.Initiatives;
using OpenCem.Organisation.Maturity;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class OrganisationPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Organisation_DemoData_ShowsTheFourTargets_TheIndexAgainstTheLastAssessment_AndTheInitiativesEffects()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Viewer, "/organisation");
        var page = browser.Page;

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Service organisation");
        await Assertions.Expect(page.Locator(".tile")).ToHaveCountAsync(4);
        foreach (var target in new[] { "Customer loyalty", "Increase in sales", "Employee loyalty", "Efficiency" })
        {
            await Assertions.Expect(page.Locator($".tile[aria-label^='{target}']")).ToBeVisibleAsync();
        }

        Assert.DoesNotContain("1969", await page.Locator("#targets-title + p.hint").TextContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("th", new() { HasTextString = "Packages" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".tile[aria-label^='Efficiency'] .tile-value")).ToBeVisibleAsync();
        var drawn = await page.EvaluateAsync<int>("() => [...document.querySelectorAll('canvas[data-chart]')].filter(c => window.Chart && Chart.getChart(c)).length");
        Assert.True(drawn >= 3, $"{drawn} charts drawn.");

        // The demo's two assessments: the latest compared with the one a year before, ten elements, ranked gaps.
        await Assertions.Expect(page.Locator(".index-figures dt", new() { HasTextString = "Previous: " })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.org-table caption", new() { HasTextString = "Core elements" }).Locator("xpath=..").Locator("tbody tr")).ToHaveCountAsync(10);
        Assert.True(await page.Locator("table.org-table th:has-text('Rank')").CountAsync() == 1);
        Assert.True(await page.Locator(".definition").CountAsync() >= DataIndicators.All.Count);

        // The three initiatives; the callback's CES effect is checked, not claimed.
        await Assertions.Expect(page.Locator("a", new() { HasTextString = DemoInitiatives.HotlineCallback }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.org-table tbody tr", new() { HasTextString = DemoInitiatives.HotlineCallback }).Locator(".badge").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("button", new() { HasTextString = "Move" })).ToHaveCountAsync(0);

        await browser.ScreenshotAsync("organisation-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Organisation_GermanOnAPhone_IsTranslated_AndFitsTheScreen()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/organisation", width: 390, height: 844, locale: "de-DE");
        var page = browser.Page;
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Serviceorganisation");
        await Assertions.Expect(page.Locator("h2", new() { HasTextString = "Die vier strategischen Ziele" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("h2", new() { HasTextString = "Verbesserungsinitiativen" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("th", new() { HasTextString = "Pakete" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("organisation-390-de");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Assessment_DrillDown_ShowsCriteriaAndTheComparison()
    {
        var latest = (await fixture.Server.Service<AssessmentStore>().ListAsync(fixture.WorkspaceId)).MaxBy(a => a.AssessedAt)!;
        await using var browser = await fixture.OpenAsync(DashboardRoles.Agent, $"/organisation/assessments/{latest.Id}");
        var page = browser.Page;
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(latest.Name);
        await Assertions.Expect(page.Locator("table.data-table caption", new() { HasTextString = "Criteria by element" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".index-figures dt", new() { HasTextString = "Previous: " })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("organisation-assessment-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();

        using var viewer = await fixture.SignedInClientAsync(DashboardRoles.Viewer);
        Assert.Contains("No assessment has this id", await viewer.GetStringAsync("/organisation/assessments/987654"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initiative_AnalystMovesItToTheNextPhase_FromTheDrillDown()
    {
        var id = await NewInitiativeAsync("Dashboard move test");
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, $"/organisation/initiatives/{id}");
        var page = browser.Page;
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Dashboard move test");
        await Assertions.Expect(page.Locator(".phase-steps li[aria-current=step]")).ToHaveTextAsync("Strategy");
        await page.SelectOptionAsync("#move-to", InitiativePhases.SolutionDesign);
        await page.FillAsync("#move-note", "Design <b>starts</b>");
        await page.ClickAsync("button:has-text('Move')");
        await page.WaitForURLAsync(url => url.Contains("moved=1", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Solution design");
        await Assertions.Expect(page.Locator(".phase-steps li[aria-current=step]")).ToHaveTextAsync("Solution design");
        await Assertions.Expect(page.Locator("td", new() { HasTextString = "Design <b>starts</b>" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("organisation-initiative-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();

        var stored = await fixture.Server.Service<InitiativeStore>().GetAsync(fixture.WorkspaceId, id);
        Assert.Equal(InitiativePhases.SolutionDesign, stored!.Phase);
        Assert.Equal("user:" + DashboardFixture.Email(DashboardRoles.Analyst), stored.History[^1].By);
        // The overview forgot what it remembered: the move shows at once.
        using var viewer = await fixture.SignedInClientAsync(DashboardRoles.Viewer);
        var overview = await viewer.GetStringAsync("/organisation");
        Assert.Contains("Dashboard move test", overview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initiative_Move_ViewerAndAgentAreRefused_TokenRequired_BadPhaseIsAFormError()
    {
        var id = await NewInitiativeAsync("Dashboard refusal test");
        var path = $"/organisation/initiatives/{id}";
        foreach (var role in new[] { DashboardRoles.Viewer, DashboardRoles.Agent })
        {
            using var client = await fixture.SignedInClientAsync(role);
            var html = await client.GetStringAsync(path);
            Assert.Contains("Dashboard refusal test", html, StringComparison.Ordinal);
            Assert.DoesNotContain("move-phase", html, StringComparison.Ordinal);
            var refused = await VoicePages.PostFormAsync(client, path, "move-phase", new() { ["MoveTo"] = "solution-design" });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var admin = await fixture.SignedInClientAsync(DashboardRoles.Admin);
        var noToken = await VoicePages.PostFormAsync(admin, path, "move-phase", new() { ["MoveTo"] = "solution-design" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);

        var skipping = await VoicePages.PostFormAsync(admin, path, "move-phase", new() { ["MoveTo"] = "completed" });
        Assert.Equal(HttpStatusCode.OK, skipping.StatusCode);
        Assert.Contains("not allowed from the current phase", await skipping.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var unknown = await VoicePages.PostFormAsync(admin, path, "move-phase", new() { ["MoveTo"] = "<script>x</script>" });
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("Choose one of the phases offered", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var stored = await fixture.Server.Service<InitiativeStore>().GetAsync(fixture.WorkspaceId, id);
        Assert.Equal(InitiativePhases.Strategy, stored!.Phase);
        Assert.Single(stored.History);

        var missing = await admin.GetStringAsync("/organisation/initiatives/987654");
        Assert.Contains("No initiative has this id", missing, StringComparison.Ordinal);
    }

    private async Task<long> NewInitiativeAsync(string name) =>
        (await fixture.Server.Service<InitiativeStore>().CreateAsync(
            fixture.WorkspaceId, new InitiativeDraft(name, "A test initiative", "Test owner", "service-processes", 90, 30), [], [], "test", null)).Id;
}
