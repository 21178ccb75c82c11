using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OpenCem.Tests.Feedback;

/// <summary>
/// The respondent page in a real Chromium with JavaScript off: answered with the keyboard alone, checked for
/// accessible names and tied errors, and photographed on a phone and a desktop for a person to look at.
/// </summary>
public sealed partial class RespondentBrowserTests(ITestOutputHelper output)
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots", "respondent-page");

    [Fact]
    public async Task NpsSurvey_AnsweredWithTheKeyboardOnly_WithoutJavaScript_IsStored()
    {
        await using var server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        var links = await RespondentClient.InviteAsync(server, survey, "de", count: 2);
        await using var chromium = await Chromium.LaunchAsync();
        Directory.CreateDirectory(Screenshots);
        output.WriteLine($"Screenshots: {Screenshots}");

        await using var phone = await chromium.NewContextAsync(390, 844, "de-DE", phone: true);
        var page = await phone.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, links[0]).ToString());
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await Expect(page).ToHaveTitleAsync("Wie machen wir uns? – Seite 1 von 2");
        var nps = page.GetByRole(AriaRole.Radiogroup, new() { Name = "Wie wahrscheinlich empfehlen Sie uns weiter? (Pflichtfrage)" });
        await Expect(nps).ToHaveAttributeAsync("aria-required", "true");
        for (var score = 0; score <= 10; score++)
        {
            await Expect(nps.GetByRole(AriaRole.Radio, new() { Name = score.ToString(System.Globalization.CultureInfo.InvariantCulture), Exact = true })).ToHaveCountAsync(1);
        }

        await AssertEveryControlIsNamedAsync(page);
        await Shoot(page, "phone-1-start.png");
        output.WriteLine(await page.Locator("main").AriaSnapshotAsync());

        // Sent empty: the error summary comes first, focused, and links to the field, which points to its message.
        await page.Keyboard.PressAsync("Tab");
        await Expect(nps.GetByRole(AriaRole.Radio, new() { Name = "0", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Weiter" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        var summary = page.GetByRole(AriaRole.Alert);
        await Expect(summary).ToContainTextAsync("Wie wahrscheinlich empfehlen Sie uns weiter? Bitte beantworten Sie diese Frage.");
        await Expect(summary).ToBeFocusedAsync();
        await Expect(page).ToHaveTitleAsync("Fehler: Wie machen wir uns? – Seite 1 von 2");
        await AssertErrorsAreTiedAsync(page, 1);
        await Shoot(page, "phone-2-errors.png");

        // The summary's link leads to the first radio button; arrows choose a low score.
        await page.Keyboard.PressAsync("Tab");
        await Expect(summary.GetByRole(AriaRole.Link)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(nps.GetByRole(AriaRole.Radio, new() { Name = "0", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        for (var i = 0; i < 3; i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
        }

        await Expect(nps.GetByRole(AriaRole.Radio, new() { Name = "3", Exact = true })).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Weiter" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        // A low score brings the reason onto the same page; chosen with Space, then on to the comment.
        var reason = page.GetByRole(AriaRole.Radiogroup, new() { Name = "Was hat Sie am meisten enttäuscht? (Pflichtfrage)" });
        await Expect(reason).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await AssertEveryControlIsNamedAsync(page);
        await Shoot(page, "phone-3-reason.png");
        await Expect(reason.GetByRole(AriaRole.Radio, new() { Name = "Preis" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await Expect(nps.GetByRole(AriaRole.Radio, new() { Name = "3", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(reason.GetByRole(AriaRole.Radio, new() { Name = "Preis" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Weiter" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        var comment = page.GetByRole(AriaRole.Textbox, new() { Name = "Möchten Sie uns noch etwas sagen?" });
        await Expect(comment).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Zurück" })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(comment).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Zu teuer für <das> Netz & den Service");
        await Shoot(page, "phone-4-comment.png");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Absenden" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Wie machen wir uns?" })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Vielen Dank für Ihr Feedback!");
        await Shoot(page, "phone-5-thanks.png");

        var (responses, invitations) = await RespondentClient.StoredAsync(server, survey);
        var response = Assert.Single(responses);
        Assert.Equal(("completed", 3L, "Zu teuer für <das> Netz & den Service"), (response.Status, response.Nps, response.Comment));
        Assert.Equal("price", JsonDocument.Parse(response.Answers).RootElement.GetProperty("reason").GetString());
        Assert.Equal("completed", invitations[0].Status);

        // The desktop: the first page and its errors, for a person to look at.
        await using var desktop = await chromium.NewContextAsync(1280, 900, "de-DE", phone: false);
        var wide = await desktop.NewPageAsync();
        await wide.GotoAsync(new Uri(server.BaseAddress, links[1]).ToString());
        await Shoot(wide, "desktop-1-start.png");
        await wide.GetByRole(AriaRole.Radio, new() { Name = "2", Exact = true }).CheckAsync();
        await wide.GetByRole(AriaRole.Button, new() { Name = "Weiter" }).ClickAsync();
        await wide.GetByRole(AriaRole.Button, new() { Name = "Weiter" }).ClickAsync();
        await Expect(wide.GetByRole(AriaRole.Alert)).ToContainTextAsync("Was hat Sie am meisten enttäuscht? Bitte beantworten Sie diese Frage.");
        await AssertErrorsAreTiedAsync(wide, 1);
        await Shoot(wide, "desktop-2-errors.png");

        // The five-question service survey (ratings, a matrix, yes/no, check boxes) in English on the phone.
        var service = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Service);
        await using var english = await chromium.NewContextAsync(390, 844, "en-GB", phone: true);
        var form = await english.NewPageAsync();
        await form.GotoAsync(new Uri(server.BaseAddress, (await RespondentClient.InviteAsync(server, service, "en"))[0]).ToString());
        await AssertEveryControlIsNamedAsync(form);
        await form.GetByRole(AriaRole.Radiogroup, new() { Name = "Speed" }).GetByRole(AriaRole.Radio, new() { Name = "4" }).CheckAsync();
        foreach (var channel in new[] { "phone", "chat", "email" })
        {
            await form.GetByRole(AriaRole.Checkbox, new() { Name = channel }).CheckAsync();
        }

        await form.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Alert)).ToContainTextAsync("Choose at most 2.");
        await Expect(form.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Listitem).First).ToContainTextAsync("How satisfied are you? Please answer this question.");
        await Expect(form.GetByRole(AriaRole.Checkbox, new() { Name = "email" })).ToBeCheckedAsync();
        await AssertErrorsAreTiedAsync(form, 2);
        await Shoot(form, "phone-6-service-errors.png");
    }

    /// <summary>Every control on the page has an accessible name (its label, legend or text), as the accessibility tree shows it.</summary>
    private static async Task AssertEveryControlIsNamedAsync(IPage page)
    {
        var count = await page.Locator("main input:not([type=hidden]), main select, main textarea, main button").CountAsync();
        var snapshot = await page.Locator("main").AriaSnapshotAsync();
        var controls = snapshot.Split('\n').Select(l => l.Trim()).Where(l => ControlLine().IsMatch(l)).ToList();
        Assert.True(count > 0);
        Assert.Equal(count, controls.Count);
        Assert.All(controls, line => Assert.Matches("^- [a-z]+ \"[^\"]+\"", line));
    }

    /// <summary>Each invalid field says so and points (aria-describedby) at a visible message, which the summary links to.</summary>
    private static async Task AssertErrorsAreTiedAsync(IPage page, int expected)
    {
        var invalid = page.Locator("fieldset[aria-invalid=true], input[aria-invalid=true][aria-describedby], select[aria-invalid=true], textarea[aria-invalid=true]");
        Assert.Equal(expected, await invalid.CountAsync());
        for (var i = 0; i < expected; i++)
        {
            var field = invalid.Nth(i);
            var ids = (await field.GetAttributeAsync("aria-describedby"))!.Split(' ');
            var message = page.Locator($"[id='{ids[0]}']");
            await Expect(message).ToBeVisibleAsync();
            await Expect(message).ToHaveClassAsync("error");
            var text = Regex.Replace(await message.InnerTextAsync(), @"\s+", " ").Trim();
            await Expect(field).ToHaveAccessibleDescriptionAsync(new Regex("^" + Regex.Escape(text)));
            var id = await field.GetAttributeAsync("id");
            await Expect(page.Locator($".summary a[href='#{id}-0']")).ToHaveCountAsync(1);
        }
    }

    [GeneratedRegex("^- (radio|checkbox|textbox|combobox|button)( |:|$)")]
    private static partial Regex ControlLine();

    private async Task Shoot(IPage page, string name)
    {
        var path = Path.Combine(Screenshots, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"  {path}");
    }
}
