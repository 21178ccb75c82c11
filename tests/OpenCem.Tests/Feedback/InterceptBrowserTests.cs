using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using OpenCem.Hosting;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OpenCem.Tests.Feedback;

/// <summary>
/// The intercept in a real browser (Debian's Chromium, headless), embedded in a shop page of another origin whose
/// own styles would spoil anything not scoped: the visitor answers with the keyboard only.
/// </summary>
public sealed class InterceptBrowserTests(ITestOutputHelper output)
{
    private const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public async Task Visitor_AnswersWithTheKeyboard_AndTheAnswerIsStored()
    {
        Assert.True(File.Exists(ChromiumPath), $"This test drives Debian's Chromium at {ChromiumPath} (apt-get install chromium); it never downloads a browser.");
        await using var server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        var survey = await InterceptApiTests.CreateSurveyAsync(server);
        var ann = await InterceptApiTests.CustomerIdAsync(server, "ann@example.com");
        await using var shop = await ShopPage.StartAsync(ShopHtml(server, survey));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1024, Height = 640 } });
        page.Console += (_, message) => output.WriteLine($"browser console: {message.Text}");
        SetDefaultExpectTimeout(15_000);
        await page.GotoAsync(shop.Url);

        var dialog = page.GetByRole(AriaRole.Dialog, new PageGetByRoleOptions { Name = "How likely are you to recommend us to a friend?" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Group, new LocatorGetByRoleOptions { Name = "How likely are you to recommend us to a friend?" })).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Radio)).ToHaveCountAsync(11);
        var zero = dialog.GetByRole(AriaRole.Radio, new LocatorGetByRoleOptions { Name = "0", Exact = true });
        await Expect(zero).ToBeFocusedAsync();
        await Expect(zero).ToHaveAccessibleDescriptionAsync("Not at all likely");
        await Expect(dialog.GetByRole(AriaRole.Radio, new LocatorGetByRoleOptions { Name = "10" })).ToHaveAccessibleDescriptionAsync("Extremely likely");

        // On a phone the dialog keeps to the screen's width.
        await page.SetViewportSizeAsync(360, 640);
        Assert.True((await dialog.BoundingBoxAsync())!.Width <= 360 - 32);
        await ScreenshotAsync(page, "intercept-dialog-narrow.png");
        await page.SetViewportSizeAsync(1024, 640);

        // Space picks the focused 0, the arrows move along the scale, Tab leaves it for the comment.
        await page.Keyboard.PressAsync("Space");
        for (var i = 0; i < 9; i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
        }

        await Expect(dialog.GetByRole(AriaRole.Radio, new LocatorGetByRoleOptions { Name = "9", Exact = true })).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("Tab");
        var comment = dialog.GetByRole(AriaRole.Textbox, new LocatorGetByRoleOptions { Name = "Anything else you want to tell us?" });
        await Expect(comment).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Quick and friendly.");
        await page.Keyboard.PressAsync("Tab");
        await Expect(dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Close" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Submit" })).ToBeFocusedAsync();
        await ScreenshotAsync(page, "intercept-dialog.png");

        await page.Keyboard.PressAsync("Enter");
        var thanks = page.GetByRole(AriaRole.Dialog, new PageGetByRoleOptions { Name = "Thank you for your feedback!" });
        await Expect(thanks).ToBeVisibleAsync();
        await Expect(thanks.GetByRole(AriaRole.Status)).ToBeFocusedAsync();
        await ScreenshotAsync(page, "intercept-thanks.png");

        // Escape closes it and gives the focus back to where the visitor was.
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Expect(page.Locator("#search")).ToBeFocusedAsync();

        var response = (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/responses")).GetProperty("responses").EnumerateArray().Single();
        Assert.Equal(ann, response.GetProperty("customerId").GetInt64());
        Assert.Equal(9, response.GetProperty("nps").GetInt32());
        Assert.Equal("Quick and friendly.", response.GetProperty("comment").GetString());
        Assert.Equal("intercept", response.GetProperty("source").GetString());

        // The same visitor is not asked again on the next page.
        await page.GotoAsync(shop.Url + "?page=2");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        output.WriteLine($"screenshot: {path}");
        Console.WriteLine($"screenshot: {path}");
    }

    /// <summary>A shop page with rude global styles, the visitor's id, and the script from the OpenCem server.</summary>
    private static string ShopHtml(TestServer server, long survey) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Example shop</title>
          <style>
            * { box-sizing: content-box; }
            body { margin: 40px; font: 18px Georgia, serif; color: #333; background: #fafaf5; }
            button { padding: 20px; border-radius: 0; background: #e0245e; color: #fff; text-transform: uppercase; }
            label { display: block; color: #080; }
            fieldset { border: 3px dashed orange; }
            p { margin: 2em 0; }
          </style>
        </head>
        <body>
          <h1>Example shop</h1>
          <p>Fibre broadband, mobile plans and TV. Search the shop:</p>
          <input id="search" type="search" aria-label="Search the shop" autofocus>
          <button type="button">Buy now</button>
          <script>window.OpenCemIntercept = { userId: "u-ann" };</script>
          <script src="{{server.BaseAddress}}intercept.js" data-write-key="{{server.WriteKey}}" data-survey="{{survey}}" async></script>
        </body>
        </html>
        """;

    /// <summary>The company's site: a second Kestrel server on its own loopback port, so the script runs cross-origin.</summary>
    private sealed class ShopPage : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private ShopPage(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public static async Task<ShopPage> StartAsync(string html)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapGet("/", () => Results.Content(html, "text/html; charset=utf-8"));
            await app.StartAsync();
            return new ShopPage(app, OpenCemServer.Addresses(app).First() + "/");
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
