using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCem.Actions.Rules;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>
/// Every dashboard test class shares one server: <c>[Collection(DashboardCollection.Name)]</c> and take a
/// <see cref="DashboardFixture"/> in the constructor. One file per page in this folder.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard";
}

/// <summary>
/// A small demo company (1,500 customers, seed 42, up to today) on SQLite behind a real server on a free loopback
/// port, the demo users (<see cref="DemoUsers"/>: admin, analyst, agent of the billing team, viewer) and one
/// headless Chromium. Offers: an HTTP client signed in as a role, a browser page signed in as a role that records
/// console errors, screenshots (to <see cref="ArtefactsDirectory"/>) and axe-core checks.
/// </summary>
public sealed partial class DashboardFixture : IAsyncLifetime
{
    public const int Customers = 1_500;
    public const int Seed = 42;

    private Chromium? _chromium;

    public TestServer Server { get; private set; } = null!;

    public long WorkspaceId { get; private set; }

    /// <summary><c>tests/OpenCem.Tests/bin/Debug/net10.0/artefacts/dashboard/</c>: one PNG per screenshot name.</summary>
    public static string ArtefactsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artefacts", "dashboard");

    public Chromium Chromium => _chromium ?? throw new InvalidOperationException("Chromium is not started.");

    public async Task InitializeAsync()
    {
        var target = await TestDatabases.CreateAsync(DatabaseKind.Sqlite);
        await using (var database = new Database(target))
        {
            await SchemaMigrator.MigrateAsync(database);
            var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
            await new DemoLoader(database, TimeProvider.System).LoadAsync(workspace.Id, new DemoOptions(Customers, Seed));
        }

        Server = await TestServer.StartAsync(DatabaseKind.Sqlite, target);
        WorkspaceId = (await Server.Service<WorkspaceStore>().EnsureDefaultAsync()).Id;
        await using (var scope = Server.App.Services.CreateAsyncScope())
        {
            await DemoUsers.EnsureAsync(scope.ServiceProvider.GetRequiredService<UserDirectory>(), WorkspaceId, Seed);
        }

        Directory.CreateDirectory(ArtefactsDirectory);
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        await Server.DisposeAsync();
    }

    /// <summary>Stores a rule of the workspace from its JSON definition, as the API would after validating it.</summary>
    public async Task<StoredRule> CreateRuleAsync(string json)
    {
        var errors = new Dictionary<string, string[]>();
        var definition = RuleReader.Read(JsonNode.Parse(json), errors) ?? throw new InvalidOperationException(string.Join("; ", errors.SelectMany(e => e.Value)));
        return await Server.Service<RuleStore>().CreateAsync(WorkspaceId, definition);
    }

    public static string Email(string role) => DemoUsers.Email(role);

    public static string Password(string role) => DemoUsers.Password(role, Seed);

    /// <summary>A cookie-keeping client that is not signed in (follows no redirects, so tests see them).</summary>
    public HttpClient AnonymousClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Server.BaseAddress };

    /// <summary>A client signed in as the demo user of <paramref name="role"/> through the sign-in form.</summary>
    public async Task<HttpClient> SignedInClientAsync(string role)
    {
        var client = AnonymousClient();
        var response = await SignInAsync(client, Email(role), Password(role));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return client;
    }

    /// <summary>Posts the sign-in form as a browser would (with its anti-forgery token); the response is not followed.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string returnUrl = "/")
    {
        var token = await FormTokenAsync(client, "/sign-in");
        return await client.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = token,
            ["Form.Email"] = email,
            ["Form.Password"] = password,
            ["Form.ReturnUrl"] = returnUrl,
        }));
    }

    /// <summary>The anti-forgery token of the first form on a page.</summary>
    public static async Task<string> FormTokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return TokenPattern().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"{path} has no anti-forgery token.");
    }

    /// <summary>A browser page (JavaScript on, 1280 × 900 unless asked) signed in as the role, at <paramref name="path"/>.</summary>
    public async Task<DashboardBrowser> OpenAsync(string role, string path, int width = 1280, int height = 900, string locale = "en-GB")
    {
        var browser = await DashboardBrowser.StartAsync(Chromium, Server.BaseAddress, width, height, locale);
        await browser.SignInAsync(Email(role), Password(role));
        await browser.GotoAsync(path);
        return browser;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

/// <summary>A browser tab on the dashboard that fails the test on any console error; screenshots and axe-core checks.</summary>
public sealed class DashboardBrowser : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly Uri _baseAddress;

    private DashboardBrowser(IBrowserContext context, IPage page, Uri baseAddress)
    {
        _context = context;
        Page = page;
        _baseAddress = baseAddress;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (ConsoleErrors)
                {
                    ConsoleErrors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (ConsoleErrors)
            {
                ConsoleErrors.Add(error);
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Console errors and uncaught script errors so far (CSP violations are console errors).</summary>
    public List<string> ConsoleErrors { get; } = [];

    public static async Task<DashboardBrowser> StartAsync(Chromium chromium, Uri baseAddress, int width, int height, string locale)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
            DeviceScaleFactor = 1,
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return new DashboardBrowser(context, await context.NewPageAsync(), baseAddress);
    }

    public async Task GotoAsync(string path)
    {
        var response = await Page.GotoAsync(new Uri(_baseAddress, path).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.NotNull(response);
        Assert.True(response.Ok, $"GET {path} answered {response.Status}.");
    }

    public async Task SignInAsync(string email, string password)
    {
        await Page.GotoAsync(new Uri(_baseAddress, "/sign-in").ToString());
        await Page.FillAsync("#email", email);
        await Page.FillAsync("#password", password);
        await Page.ClickAsync("button[type=submit]");
        await Page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
    }

    /// <summary>Fails on console errors seen so far.</summary>
    public void AssertNoConsoleErrors() => Assert.True(ConsoleErrors.Count == 0, "Console errors: " + string.Join(" | ", ConsoleErrors));

    /// <summary>A full-page PNG at <c>artefacts/dashboard/NAME.png</c> next to the test assembly; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(DashboardFixture.ArtefactsDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Runs axe-core on the page and fails on critical or serious violations (listed with their elements).</summary>
    public async Task AssertAccessibleAsync()
    {
        var result = await Page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "critical" or "serious").ToList();
        Assert.True(bad.Count == 0, "axe-core: " + string.Join(" | ", bad.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>Fails when any element sticks out of the viewport's width (a table or chart overflowing the page).</summary>
    public async Task AssertNoHorizontalOverflowAsync()
    {
        var overflow = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page is {overflow} px wider than the viewport.");
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
