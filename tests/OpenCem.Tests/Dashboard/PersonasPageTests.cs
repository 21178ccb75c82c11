using System.Net;
using Microsoft.Playwright;
using OpenCem.Customers.Personas;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class PersonasPageTests(DashboardFixture fixture)
{
    private static readonly SemaphoreSlim Once = new(1, 1);

    /// <summary>The fixture's demo has no persona run: publish one (k = 4, the planted personas) once for these tests.</summary>
    private async Task<PersonaRunView> CurrentRunAsync()
    {
        await Once.WaitAsync();
        try
        {
            var query = fixture.Server.Service<PersonaQuery>();
            if (await query.CurrentAsync(fixture.WorkspaceId) is { } current)
            {
                return current;
            }

            await fixture.Server.Service<PersonaRunner>().RunAsync(fixture.WorkspaceId, 4, null);
            return (await query.CurrentAsync(fixture.WorkspaceId))!;
        }
        finally
        {
            Once.Release();
        }
    }

    [Fact]
    public async Task Personas_CurrentRun_RendersCardsAccessibly_WithoutOverflowAt1280And390()
    {
        var run = await CurrentRunAsync();
        Assert.Equal(4, run.Personas.Count);

        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/personas");
        var page = browser.Page;
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Personas");
        await Assertions.Expect(page.Locator(".persona-card")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator(".persona-card h2").First).ToHaveTextAsync(run.Personas[0].Name.En);
        await Assertions.Expect(page.Locator(".persona-card").First).ToContainTextAsync("What sets them apart");
        await Assertions.Expect(page.Locator(".persona-card").First).ToContainTextAsync("In their own words");
        await Assertions.Expect(page.Locator("button", new() { HasTextString = "Run clustering" })).ToBeVisibleAsync();

        // Features, channels, themes and journeys by their display names, not their keys.
        var cards = await page.Locator(".persona-cards").InnerTextAsync();
        // Keys that read as words (value, touchpoints) may appear in the text; those written like keys (appShare, theme.price, fault-repair) may not.
        var keys = run.Personas.SelectMany(p => p.Profile.Separating.Take(4).Select(f => f.Feature)
            .Concat(p.Profile.Delights.Take(3).Concat(p.Profile.Pains.Take(3)).Select(t => t.Theme))
            .Concat(p.Profile.Journeys.Take(3).Select(j => j.Journey)))
            .Where(k => k.Any(char.IsUpper) || k.Contains('-', StringComparison.Ordinal) || k.Contains('.', StringComparison.Ordinal)).Distinct().ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.DoesNotContain(key, cards, StringComparison.Ordinal));
        var feature = run.Personas.SelectMany(p => p.Profile.Separating.Take(4)).First(f => !f.Feature.StartsWith(PersonaFeatures.ThemePrefix, StringComparison.Ordinal)).Feature;
        Assert.Contains(new OpenCem.Dashboard.Personas.PersonaLabels([], new Dictionary<string, string>(), german: false).Feature(feature), cards, StringComparison.Ordinal);
        await browser.ScreenshotAsync("personas-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();

        await using var phone = await fixture.OpenAsync(DashboardRoles.Viewer, "/personas", width: 390, height: 844);
        await Assertions.Expect(phone.Page.Locator(".persona-card")).ToHaveCountAsync(4);
        await Assertions.Expect(phone.Page.Locator("button", new() { HasTextString = "Run clustering" })).ToHaveCountAsync(0);
        await phone.ScreenshotAsync("personas-390");
        await phone.AssertAccessibleAsync();
        await phone.AssertNoHorizontalOverflowAsync();
        phone.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Personas_Scenario_RendersEmotionCurveChartAndPaths()
    {
        var persona = (await CurrentRunAsync()).Personas[0];
        await using var browser = await fixture.OpenAsync(DashboardRoles.Viewer, "/personas");
        await browser.Page.Locator(".persona-card").First.GetByRole(AriaRole.Link, new() { Name = "Scenario" }).ClickAsync();
        await browser.Page.WaitForURLAsync(url => url.Contains($"persona={persona.Id}", StringComparison.Ordinal));
        await Assertions.Expect(browser.Page.Locator("main h2").First).ToContainTextAsync(persona.Name.En);
        var drawn = await browser.Page.EvaluateAsync<int>("() => [...document.querySelectorAll('canvas[data-chart]')].filter(c => window.Chart && Chart.getChart(c)).length");
        Assert.True(drawn >= 1, $"{drawn} charts drawn.");
        await Assertions.Expect(browser.Page.Locator("figure").First).ToContainTextAsync("Emotion curve");
        await Assertions.Expect(browser.Page.Locator("caption", new() { HasTextString = "Most frequent paths" }).First).ToBeAttachedAsync();
        await browser.ScreenshotAsync("personas-scenario-1280");
        await browser.AssertAccessibleAsync();
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Personas_FilterLink_CarriesThePersonaTraitToJourneys()
    {
        var persona = (await CurrentRunAsync()).Personas[0];
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, "/personas");
        await browser.Page.Locator(".persona-card").First.Locator(".persona-links").GetByRole(AriaRole.Link, new() { Name = "Journeys" }).ClickAsync();
        await browser.Page.WaitForURLAsync(url => url.Contains("/journeys", StringComparison.Ordinal));
        Assert.Contains("trait=persona%3A" + persona.Key, browser.Page.Url, StringComparison.Ordinal);
        await Assertions.Expect(browser.Page.Locator("input[name=trait]")).ToHaveValueAsync("persona:" + persona.Key);
        browser.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData("/personas?persona=abc")]
    [InlineData("/personas?persona=999999999")]
    [InlineData("/personas?persona=%3Cscript%3E")]
    public async Task Personas_UnknownPersona_ShowsNotFoundState(string path)
    {
        await CurrentRunAsync();
        using var viewer = await fixture.SignedInClientAsync(DashboardRoles.Viewer);
        var html = await viewer.GetStringAsync(path);
        Assert.Contains("No such persona of the current run", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Personas_SignedOut_RedirectsToSignIn()
    {
        using var client = fixture.AnonymousClient();
        var response = await client.GetAsync("/personas");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith("/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Personas_RunClustering_ViewerAndAgentAreRefused_AnalystBadKIsNamed_TokenRequired()
    {
        var before = await CurrentRunAsync();
        foreach (var role in new[] { DashboardRoles.Viewer, DashboardRoles.Agent })
        {
            using var client = await fixture.SignedInClientAsync(role);
            var refused = await VoicePages.PostFormAsync(client, "/personas", "run-personas", new() { ["K"] = "4" });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var analyst = await fixture.SignedInClientAsync(DashboardRoles.Analyst);
        var noToken = await VoicePages.PostFormAsync(analyst, "/personas", "run-personas", new() { ["K"] = "4" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);

        var invalid = await VoicePages.PostFormAsync(analyst, "/personas", "run-personas", new() { ["K"] = "99" });
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Contains("k must be a whole number between 2 and 12", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Nothing was run: the current run is still the one before.
        Assert.Equal(before.Id, (await fixture.Server.Service<PersonaQuery>().CurrentAsync(fixture.WorkspaceId))!.Id);

        // An admin's run publishes a new run with the same personas (same seed and data).
        using var admin = await fixture.SignedInClientAsync(DashboardRoles.Admin);
        var ran = await VoicePages.PostFormAsync(admin, "/personas", "run-personas", new() { ["K"] = "4" });
        Assert.Equal(HttpStatusCode.Found, ran.StatusCode);
        var after = (await fixture.Server.Service<PersonaQuery>().CurrentAsync(fixture.WorkspaceId))!;
        Assert.True(after.Id > before.Id);
        Assert.Equal(before.Personas.Select(p => p.Size), after.Personas.Select(p => p.Size));
    }
}
