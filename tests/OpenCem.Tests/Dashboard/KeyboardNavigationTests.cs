using Microsoft.Playwright;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>
/// The dashboard works without a mouse: sign-in, the skip link, the navigation, filters and search by keyboard alone,
/// every tab stop visibly focused, and no keyboard trap.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class KeyboardNavigationTests(DashboardFixture fixture)
{
    [Fact]
    public async Task SignIn_SkipLink_Navigation_AndFilter_WorkByKeyboardAlone()
    {
        await using var browser = await DashboardBrowser.StartAsync(fixture.Chromium, fixture.Server.BaseAddress, 1280, 900, "en-GB");
        var page = browser.Page;
        await browser.GotoAsync("/sign-in");

        // The e-mail field is reachable by Tab; the form submits with Enter.
        await TabUntilAsync(page, "document.activeElement.id === 'email'");
        await page.Keyboard.TypeAsync(DashboardFixture.Email(DashboardRoles.Analyst));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("password", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.TypeAsync(DashboardFixture.Password(DashboardRoles.Analyst));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));

        // The first tab stop is the skip link, visible when focused; it moves the focus into the page's content.
        await page.Keyboard.PressAsync("Tab");
        var skip = page.Locator("a.skip-link");
        await Assertions.Expect(skip).ToBeFocusedAsync();
        var box = await skip.BoundingBoxAsync();
        Assert.True(box is { X: >= 0, Y: >= 0 }, "The focused skip link is off screen.");
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        // A navigation entry opens with Enter.
        await page.Keyboard.PressAsync("Shift+Tab"); // back out of the content into the header
        await TabUntilAsync(page, "document.activeElement.closest('nav.main-nav') && document.activeElement.textContent.trim() === 'Drivers'", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("/drivers", StringComparison.Ordinal));

        // A filter changes from the keyboard: the arrow key picks the next period and the view follows in the URL.
        await TabUntilAsync(page, "document.activeElement.name === 'period'");
        var before = await page.InputValueAsync("select[name=period]");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.WaitForURLAsync(url => url.Contains("period=", StringComparison.Ordinal));
        Assert.NotEqual(before, await page.InputValueAsync("select[name=period]"));
        browser.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/cases")]
    [InlineData("/customers")]
    public async Task EveryTabStop_IsVisiblyFocused_AndTheFocusComesBackAround(string path)
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Admin, path);
        var page = browser.Page;
        var seen = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var stop = await page.EvaluateAsync<FocusStop?>(FocusProbe);
            if (stop is null)
            {
                break; // the focus left the document: the whole page was walked
            }

            Assert.True(stop.Outlined, $"Tab stop {i} on {path} ({stop.Description}) shows no focus indicator.");
            Assert.True(stop.Visible, $"Tab stop {i} on {path} ({stop.Description}) is not on screen when focused.");
            if (seen.Count > 0 && stop.Description == seen[0])
            {
                break; // came back around to the first stop
            }

            seen.Add(stop.Description);
        }

        Assert.True(seen.Count >= 10, $"Only {seen.Count} tab stops on {path}.");
        Assert.True(seen.Count < 400, $"The focus never left {path}: a keyboard trap.");
        Assert.Contains(seen, s => s.Contains("nav", StringComparison.Ordinal));
    }

    // Playwright fills results through a parameterless constructor and setters.
    private sealed class FocusStop
    {
        public string Description { get; set; } = "";

        public bool Outlined { get; set; }

        public bool Visible { get; set; }
    }

    // What has the focus, whether it shows an outline or a box shadow, and whether it is inside the viewport.
    private const string FocusProbe = """
        () => {
          const e = document.activeElement;
          if (!e || e === document.body) return null;
          const style = getComputedStyle(e);
          const outlined = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
          const r = e.getBoundingClientRect();
          const visible = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
          const where = e.closest('nav') ? 'nav ' : e.closest('main') ? 'main ' : '';
          return { description: where + e.tagName.toLowerCase() + ' ' + (e.id || e.getAttribute('name') || e.getAttribute('href') || e.textContent.trim().slice(0, 40)), outlined, visible };
        }
        """;

    private static async Task TabUntilAsync(IPage page, string condition, bool backwards = false)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await page.EvaluateAsync<bool>($"() => !!({condition})"))
            {
                return;
            }

            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }

        throw new Xunit.Sdk.XunitException($"No tab stop satisfied: {condition}");
    }
}
