using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OpenCem.Tests.Feedback.Ideas;

/// <summary>
/// The public board in a real Chromium with JavaScript off: read anonymously, arrive by the personal link, post,
/// vote and unvote through plain forms, the German board; axe-core on every kind of page; screenshots to look at.
/// </summary>
public sealed class IdeaBoardBrowserTests(ITestOutputHelper output)
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots", "ideas-board");

    [Fact]
    public async Task Board_WithoutJavaScript_ReadPostVoteUnvote_InEnglishAndGerman_Accessible()
    {
        await using var server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        var ann = await IdeaTestData.CustomerAsync(server, "ann@example.com", "en");
        var jonas = await IdeaTestData.CustomerAsync(server, "jonas@example.com", "de");
        var seeded = (await IdeaTestData.CreateIdeaAsync(server, jonas, "Pause my TV package in summer", "I am away for two months every summer.")).GetProperty("id").GetInt64();
        await IdeaTestData.VoteAsync(server, seeded, jonas);
        await IdeaTestData.MoveAsync(server, seeded, "planned", "Good idea: we are building it for next summer.");
        await IdeaTestData.CreateIdeaAsync(server, null, "Rechnung per App", "Die Rechnung direkt in der App ansehen.", "de");
        await using var chromium = await Chromium.LaunchAsync();
        Directory.CreateDirectory(Screenshots);
        output.WriteLine($"Screenshots: {Screenshots}");

        // Anonymous: the list and an idea with its answer; no forms to write.
        await using var visitor = await chromium.NewContextAsync(390, 844, "en-GB", phone: true);
        var page = await visitor.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/ideas").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customer ideas", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Vote" })).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "1-anonymous-list.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new() { Name = "Pause my TV package in summer" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Our answer" })).ToContainTextAsync("we are building it for next summer");

        // Ann arrives by her personal link and posts an idea with the keyboard-free plain form.
        await using var annContext = await chromium.NewContextAsync(1280, 900, "en-GB", phone: false);
        var annPage = await annContext.NewPageAsync();
        await annPage.GotoAsync(await IdeaTestData.BoardLinkAsync(server, ann));
        await Expect(annPage).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/ideas$"));
        await Expect(annPage.GetByText("You are signed in with your personal link")).ToBeVisibleAsync();
        await annPage.GetByRole(AriaRole.Link, new() { Name = "Post an idea" }).ClickAsync();
        await annPage.GetByRole(AriaRole.Button, new() { Name = "Post idea" }).ClickAsync();
        // The browser's own required check holds the empty form without any script; filled in, it goes.
        await Expect(annPage).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/ideas/new"));
        await annPage.GetByLabel("Title").FillAsync("Family data pool");
        await annPage.GetByLabel("Describe your idea").FillAsync("One data volume shared by the whole family.");
        await annPage.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "2-post-form.png"), FullPage = true });
        await annPage.GetByRole(AriaRole.Button, new() { Name = "Post idea" }).ClickAsync();
        await Expect(annPage.GetByRole(AriaRole.Heading, new() { Name = "Family data pool", Level = 1 })).ToBeVisibleAsync();
        await Expect(annPage.GetByRole(AriaRole.Status)).ToContainTextAsync("Your idea is on the board");
        await annPage.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "3-posted.png"), FullPage = true });

        // Vote and unvote on the list: plain buttons in forms, counted by the server.
        await annPage.GetByRole(AriaRole.Link, new() { Name = "Back to all ideas" }).ClickAsync();
        var item = annPage.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Pause my TV package in summer" });
        await Expect(item.Locator(".count strong")).ToHaveTextAsync("1");
        await item.GetByRole(AriaRole.Button, new() { Name = "Vote: Pause my TV package in summer" }).ClickAsync();
        await Expect(item.Locator(".count strong")).ToHaveTextAsync("2");
        await annPage.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "4-voted.png"), FullPage = true });
        await item.GetByRole(AriaRole.Button, new() { Name = "Remove my vote: Pause my TV package in summer" }).ClickAsync();
        await Expect(item.Locator(".count strong")).ToHaveTextAsync("1");

        // Jonas's board is German (his profile's language); the switch leads to English.
        await using var jonasContext = await chromium.NewContextAsync(390, 844, "en-GB", phone: true);
        var jonasPage = await jonasContext.NewPageAsync();
        await jonasPage.GotoAsync(await IdeaTestData.BoardLinkAsync(server, jonas));
        await Expect(jonasPage.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await Expect(jonasPage.GetByRole(AriaRole.Heading, new() { Name = "Ideen unserer Kunden", Level = 1 })).ToBeVisibleAsync();
        await Expect(jonasPage.GetByRole(AriaRole.Button, new() { Name = "Stimme zurückziehen: Pause my TV package in summer" })).ToBeVisibleAsync();
        await jonasPage.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "5-german-phone.png"), FullPage = true });
        await jonasPage.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Expect(jonasPage.Locator("html")).ToHaveAttributeAsync("lang", "en");

        // axe-core (it needs script, so a second profile with JavaScript on) on the list, an idea, the post form, in both languages.
        await using var checker = await chromium.Browser.NewContextAsync(new() { JavaScriptEnabled = true, Locale = "de-DE" });
        var check = await checker.NewPageAsync();
        await check.GotoAsync(await IdeaTestData.BoardLinkAsync(server, jonas));
        foreach (var path in new[] { "/ideas", $"/ideas/{seeded}", "/ideas/new", "/ideas?lang=en", $"/ideas/{seeded}?lang=en", "/ideas/new?lang=en" })
        {
            await check.GotoAsync(new Uri(server.BaseAddress, path).ToString());
            var result = await check.RunAxe();
            var bad = result.Violations.Where(v => v.Impact is "critical" or "serious").ToList();
            Assert.True(bad.Count == 0, path + " axe-core: " + string.Join(" | ", bad.Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}")));
        }
    }
}
