using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Playwright;
using OpenCem.Actions.Rules;
using OpenCem.Actions.Webhooks;
using OpenCem.Dashboard.Settings.Rules;
using OpenCem.Storage;
using OpenCem.Text.Themes;
using OpenCem.Workspaces;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>
/// The settings pages in a browser (render, axe, no overflow, no console errors, the dry-run window as a filter) and
/// over HTTP as each role (who may open and change what, anti-forgery, secrets shown once). Tests make their own users,
/// keys, webhooks, rules and themes, so the demo's stay as other page tests expect them.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class SettingsPageTests(DashboardFixture fixture)
{
    private static readonly string[] AdminOnly = ["/settings/users", "/settings/api-keys", "/settings/webhooks"];
    private static readonly string[] AnalystToo = ["/settings", "/settings/rules", "/settings/themes"];

    [Fact]
    public async Task SettingsPages_AsAdmin_RenderAccessiblyWithoutOverflowOrConsoleErrors()
    {
        var rule = await DemoRuleAsync("Detractor follow-up");
        await using var browser = await fixture.OpenAsync(DashboardRoles.Admin, "/settings");
        foreach (var (path, name) in new[]
        {
            ("/settings", "settings"), ("/settings/users", "settings-users"), ("/settings/api-keys", "settings-api-keys"),
            ("/settings/webhooks", "settings-webhooks"), ("/settings/rules", "settings-rules"),
            ($"/settings/rules/{rule.Id}?dryrun=1", "settings-rule-dry-run"), ("/settings/themes", "settings-themes"),
        })
        {
            await browser.GotoAsync(path);
            await Assertions.Expect(browser.Page.Locator("h1")).ToBeVisibleAsync();
            await browser.ScreenshotAsync(name);
            await browser.AssertAccessibleAsync();
            await browser.AssertNoHorizontalOverflowAsync();
        }

        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task SettingsPages_Narrow_DoNotOverflow()
    {
        await using var browser = await fixture.OpenAsync(DashboardRoles.Admin, "/settings/users", width: 375, height: 800);
        await browser.ScreenshotAsync("settings-users-375");
        await browser.AssertNoHorizontalOverflowAsync();
        await browser.GotoAsync("/settings/themes");
        await browser.ScreenshotAsync("settings-themes-375");
        await browser.AssertNoHorizontalOverflowAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task RuleDryRun_AnalystChangesTheWindow_ResultAndChartFollow()
    {
        var rule = await DemoRuleAsync("Detractor follow-up");
        await using var browser = await fixture.OpenAsync(DashboardRoles.Analyst, $"/settings/rules/{rule.Id}");

        // The analyst sees the definition but no editor and no switch.
        await Assertions.Expect(browser.Page.Locator("pre.code")).ToContainTextAsync("response.nps");
        await Assertions.Expect(browser.Page.Locator("textarea")).ToHaveCountAsync(0);
        await Assertions.Expect(browser.Page.Locator("form[method=post] button.primary")).ToHaveCountAsync(0);

        var today = DateTime.UtcNow.Date;
        await browser.Page.FillAsync("input[name=from]", today.AddDays(-365).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await browser.Page.ClickAsync("text=Run dry-run");
        await browser.Page.WaitForURLAsync(new Regex("dryrun=1"));
        var yearSummary = await browser.Page.Locator(".result-summary").TextContentAsync();
        Assert.Matches(@"Would have fired [\d,]+ times", yearSummary);
        var drawn = await browser.Page.EvaluateAsync<bool>("() => !!(window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]')))");
        Assert.True(drawn, "The per-day chart was not drawn.");
        await browser.ScreenshotAsync("settings-rule-dry-run-year");
        await browser.AssertAccessibleAsync();

        await browser.Page.FillAsync("input[name=from]", today.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await browser.Page.ClickAsync("text=Run dry-run");
        await Assertions.Expect(browser.Page.Locator(".result-summary")).Not.ToHaveTextAsync(yearSummary!);
        Assert.Contains($"from={today.AddDays(-3):yyyy-MM-dd}", browser.Page.Url);
        browser.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData(DashboardRoles.Viewer)]
    [InlineData(DashboardRoles.Agent)]
    [InlineData(DashboardRoles.Analyst)]
    [InlineData(DashboardRoles.Admin)]
    public async Task SettingsPages_EachRole_OpensOnlyWhatItMay(string role)
    {
        var rule = await DemoRuleAsync("Detractor follow-up");
        using var client = await fixture.SignedInClientAsync(role);
        foreach (var path in AdminOnly.Concat(AnalystToo).Append($"/settings/rules/{rule.Id}"))
        {
            var allowed = role == DashboardRoles.Admin || (role == DashboardRoles.Analyst && !AdminOnly.Contains(path));
            var response = await client.GetAsync(path);
            Assert.True((allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden) == response.StatusCode, $"{role} GET {path}: {response.StatusCode}");
        }

        var home = await client.GetStringAsync("/");
        Assert.Equal(role is DashboardRoles.Admin or DashboardRoles.Analyst, home.Contains("href=\"/settings\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DashboardRoles.Viewer)]
    [InlineData(DashboardRoles.Agent)]
    [InlineData(DashboardRoles.Analyst)]
    public async Task SettingsChanges_RolesWithoutThePermission_AreRefusedAndChangeNothing(string role)
    {
        using var client = await fixture.SignedInClientAsync(role);
        var token = await DashboardFixture.FormTokenAsync(client, "/");
        var email = $"refused-{Guid.NewGuid():N}@example.com";
        var rule = await CreateRuleAsync($"Refused {Guid.NewGuid():N}", enabled: true);
        var keysBefore = (await fixture.Server.Service<ApiKeyStore>().ListAsync(fixture.WorkspaceId)).Count;
        var webhooksBefore = (await fixture.Server.Service<WebhookStore>().ListAsync(fixture.WorkspaceId)).Count;
        var themeKey = $"refused-{Guid.NewGuid():N}"[..30];

        var attempts = new (string Path, Dictionary<string, string> Form)[]
        {
            ("/settings/users", new() { ["_handler"] = "add-user", ["email"] = email, ["role"] = "admin" }),
            ("/settings/api-keys", new() { ["_handler"] = "create-key", ["name"] = "refused", ["kind"] = "admin" }),
            ("/settings/webhooks", new() { ["_handler"] = "create-webhook", ["url"] = "https://203.0.113.7/hook", ["events"] = "*", ["enabled"] = "true" }),
            ("/settings/rules", new() { ["_handler"] = "create-rule", ["definition"] = RuleEditing.Template }),
            ($"/settings/rules/{rule.Id}", new() { ["_handler"] = "toggle-rule" }),
            ($"/settings/rules/{rule.Id}", new() { ["_handler"] = "edit-rule", ["definition"] = RuleEditing.Template }),
        };
        var themeAttempt = ("/settings/themes", new Dictionary<string, string> { ["_handler"] = "save-theme", ["key"] = themeKey, ["name-en"] = "Refused" });
        foreach (var (path, form) in role == DashboardRoles.Analyst ? attempts : [.. attempts, themeAttempt])
        {
            form["__RequestVerificationToken"] = token;
            var response = await client.PostAsync(path, new FormUrlEncodedContent(form));
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, $"{role} POST {path} {form["_handler"]}: {response.StatusCode}");
        }

        Assert.DoesNotContain((await UsersAsync()), u => u.Email == email);
        Assert.Equal(keysBefore, (await fixture.Server.Service<ApiKeyStore>().ListAsync(fixture.WorkspaceId)).Count);
        Assert.Equal(webhooksBefore, (await fixture.Server.Service<WebhookStore>().ListAsync(fixture.WorkspaceId)).Count);
        var after = (await fixture.Server.Service<RuleStore>().GetAsync(fixture.WorkspaceId, rule.Id))!;
        Assert.True(after.Definition.Enabled);
        Assert.Equal(rule.Definition.Name, after.Definition.Name);
        Assert.DoesNotContain((await fixture.Server.Service<TaxonomyStore>().ListAsync(fixture.WorkspaceId)), t => t.Key == themeKey);
        await fixture.Server.Service<RuleStore>().DeleteAsync(fixture.WorkspaceId, rule.Id);
    }

    [Fact]
    public async Task SettingsForms_WithoutAntiforgeryToken_AreRefused()
    {
        using var client = await fixture.SignedInClientAsync(DashboardRoles.Admin);
        var email = $"no-token-{Guid.NewGuid():N}@example.com";
        foreach (var (path, handler) in new[]
        {
            ("/settings/users", "add-user"), ("/settings/api-keys", "create-key"), ("/settings/webhooks", "create-webhook"),
            ("/settings/rules", "create-rule"), ("/settings/themes", "save-theme"),
        })
        {
            var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = handler,
                ["email"] = email,
                ["role"] = "viewer",
                ["name"] = "no-token",
                ["kind"] = "write",
                ["url"] = "https://203.0.113.7/hook",
                ["events"] = "*",
                ["definition"] = RuleEditing.Template,
                ["key"] = "no-token",
                ["name-en"] = "No token",
            }));
            Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"POST {path} without a token: {response.StatusCode}");
        }

        Assert.DoesNotContain((await UsersAsync()), u => u.Email == email);
        Assert.DoesNotContain((await fixture.Server.Service<ApiKeyStore>().ListAsync(fixture.WorkspaceId)), k => k.Name == "no-token");

        // Every settings form carries a token.
        foreach (var path in AdminOnly.Concat(AnalystToo))
        {
            var html = await client.GetStringAsync(path);
            var forms = PostForms().Matches(html);
            Assert.All(forms, form => Assert.Contains("__RequestVerificationToken", form.Value, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Users_AdminAddsChangesLocksAndRemoves_PasswordShownOnce()
    {
        using var admin = await fixture.SignedInClientAsync(DashboardRoles.Admin);
        var email = $"new-agent-{Guid.NewGuid():N}@example.com";

        var added = await PostAsync(admin, "/settings/users", "add-user", new() { ["email"] = email, ["role"] = "agent", ["team"] = "billing" });
        var password = SecretCode().Match(added).Groups[1].Value;
        Assert.Equal(20, password.Length);
        Assert.DoesNotContain(password, await admin.GetStringAsync("/settings/users"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, (await DashboardFixture.SignInAsync(fixture.AnonymousClient(), email, password)).StatusCode);

        var bad = await PostAsync(admin, "/settings/users", "add-user", new() { ["email"] = "not-an-e-mail", ["role"] = "agent" });
        Assert.Contains("email must be an e-mail address", bad, StringComparison.Ordinal);

        var user = (await UsersAsync()).Single(u => u.Email == email);
        await PostAsync(admin, "/settings/users", $"user-{user.Id}", new() { ["role"] = "analyst", ["team"] = "network" });
        user = (await UsersAsync()).Single(u => u.Email == email);
        Assert.Equal((DashboardRoles.Analyst, "network"), (user.Role, user.Team));

        await PostAsync(admin, "/settings/users", $"lock-{user.Id}", []);
        Assert.True((await UsersAsync()).Single(u => u.Email == email).LockedOut);
        Assert.NotEqual(HttpStatusCode.Found, (await DashboardFixture.SignInAsync(fixture.AnonymousClient(), email, password)).StatusCode);
        await PostAsync(admin, "/settings/users", $"lock-{user.Id}", []);
        Assert.False((await UsersAsync()).Single(u => u.Email == email).LockedOut);

        await PostAsync(admin, "/settings/users", $"remove-{user.Id}", []);
        Assert.DoesNotContain((await UsersAsync()), u => u.Email == email);

        // The signed-in administrator has no forms for their own row.
        var self = (await UsersAsync()).Single(u => u.Email == DashboardFixture.Email(DashboardRoles.Admin));
        Assert.DoesNotContain($"remove-{self.Id}", await admin.GetStringAsync("/settings/users"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeys_AdminCreatesAndRevokes_SecretShownOnceAndWorksUntilRevoked()
    {
        using var admin = await fixture.SignedInClientAsync(DashboardRoles.Admin);
        var name = $"dashboard-key-{Guid.NewGuid():N}";

        var created = await PostAsync(admin, "/settings/api-keys", "create-key", new() { ["name"] = name, ["kind"] = "admin" });
        var secret = WebUtility.HtmlDecode(SecretCode().Match(created).Groups[1].Value);
        Assert.StartsWith("ocm_admin_", secret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await admin.GetStringAsync("/settings/api-keys"), StringComparison.Ordinal);

        using var api = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/rules")).StatusCode);

        Assert.Contains("A name of 1 to 100 characters", await PostAsync(admin, "/settings/api-keys", "create-key", new() { ["name"] = "", ["kind"] = "write" }), StringComparison.Ordinal);

        var key = (await fixture.Server.Service<ApiKeyStore>().ListAsync(fixture.WorkspaceId)).Single(k => k.Name == name);
        await PostAsync(admin, "/settings/api-keys", $"revoke-{key.Id}", []);
        Assert.NotNull((await fixture.Server.Service<ApiKeyStore>().ListAsync(fixture.WorkspaceId)).Single(k => k.Name == name).RevokedAt);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/rules")).StatusCode);
    }

    [Fact]
    public async Task Webhooks_AdminCreatesEditsAndRedeliversADeadDelivery()
    {
        using var admin = await fixture.SignedInClientAsync(DashboardRoles.Admin);

        var refused = await PostAsync(admin, "/settings/webhooks", "create-webhook", new() { ["url"] = "http://127.0.0.1:9/hook", ["events"] = "case.opened" });
        Assert.Contains("internal address", refused, StringComparison.Ordinal);
        var noEvents = await PostAsync(admin, "/settings/webhooks", "create-webhook", new() { ["url"] = "https://203.0.113.7/hook" });
        Assert.Contains("Choose 1 to 50 events", noEvents, StringComparison.Ordinal);

        // A receiver on loopback is refused by the form, so the webhook is made in the store (as an allowed network would let it).
        var store = fixture.Server.Service<WebhookStore>();
        var (webhook, secret) = await store.CreateAsync(fixture.WorkspaceId, "http://127.0.0.1:9/settings-test", "settings test", ["case.opened"]);
        await store.UpdateAsync(fixture.WorkspaceId, webhook.Id, webhook.Url, webhook.Description, webhook.Events, enabled: false);
        var page = await admin.GetStringAsync($"/settings/webhooks/{webhook.Id}");
        Assert.DoesNotContain(secret, page, StringComparison.Ordinal);
        Assert.Contains("settings test", page, StringComparison.Ordinal);

        var saved = await PostAsync(admin, $"/settings/webhooks/{webhook.Id}", "edit-webhook", new() { ["url"] = "https://203.0.113.7/hook", ["description"] = "edited", ["events"] = "rule.fired", ["patterns"] = "case.*" });
        Assert.Contains("Saved.", saved, StringComparison.Ordinal);
        var edited = (await store.GetAsync(fixture.WorkspaceId, webhook.Id))!;
        Assert.Equal(("https://203.0.113.7/hook", "edited", false), (edited.Url, edited.Description, edited.Enabled));
        Assert.Equal(["rule.fired", "case.*"], edited.Events);

        long deliveryId;
        await using (var connection = await fixture.Server.Service<Database>().OpenAsync())
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            deliveryId = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO webhook_deliveries (workspace_id, webhook_id, event_id, event_type, message_id, status, attempts, next_attempt_at,
                    last_status_code, last_error, last_duration_ms, created_at)
                VALUES (@ws, @webhook, 1, 'case.opened', @message, 'dead', 8, @now, 500, 'HTTP 500 <script>alert(1)</script>', 12, @now) RETURNING id
                """,
                new { ws = fixture.WorkspaceId, webhook = webhook.Id, message = Guid.NewGuid().ToString("N"), now });
        }

        var dead = await admin.GetStringAsync($"/settings/webhooks/{webhook.Id}?status=dead");
        Assert.Contains($"redeliver-{deliveryId}", dead, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", dead, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", dead, StringComparison.Ordinal);

        var redelivered = await PostAsync(admin, $"/settings/webhooks/{webhook.Id}?status=dead", $"redeliver-{deliveryId}", []);
        Assert.Contains($"Delivery {deliveryId} is sent again now.", redelivered, StringComparison.Ordinal);
        var status = (await fixture.Server.Service<WebhookDeliveries>().GetAsync(fixture.WorkspaceId, deliveryId, default))!.Status;
        Assert.NotEqual(DeliveryStatus.Dead, status);

        var deleted = await admin.PostAsync($"/settings/webhooks/{webhook.Id}", Form(await TokenAsync(admin), "delete-webhook", []));
        Assert.Equal(HttpStatusCode.Found, deleted.StatusCode);
        Assert.Null(await store.GetAsync(fixture.WorkspaceId, webhook.Id));
    }

    [Fact]
    public async Task Rules_AdminCreatesWithErrorsByFieldThenTogglesAndEdits()
    {
        using var admin = await fixture.SignedInClientAsync(DashboardRoles.Admin);
        var name = $"Settings rule {Guid.NewGuid():N}";

        var invalid = await PostAsync(admin, "/settings/rules", "create-rule", new()
        {
            ["definition"] = """{"name": "x", "trigger": "response.submitted", "condition": "nps <= 6", "actions": [{"type": "openCase"}]}""",
        });
        Assert.Contains("<strong>condition</strong>", invalid, StringComparison.Ordinal);
        Assert.Contains("The rule was not saved", invalid, StringComparison.Ordinal);
        Assert.Contains("<strong>body</strong>", await PostAsync(admin, "/settings/rules", "create-rule", new() { ["definition"] = "{ not json" }), StringComparison.Ordinal);

        var definition = RuleEditing.Template.Replace("New rule", name, StringComparison.Ordinal);
        var created = await admin.PostAsync("/settings/rules", Form(await TokenAsync(admin), "create-rule", new() { ["definition"] = definition }));
        Assert.Equal(HttpStatusCode.Found, created.StatusCode);
        var rule = (await fixture.Server.Service<RuleStore>().ListAsync(fixture.WorkspaceId)).Single(r => r.Definition.Name == name);
        Assert.EndsWith($"/settings/rules/{rule.Id}", created.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.False(rule.Definition.Enabled);

        await PostAsync(admin, $"/settings/rules/{rule.Id}", "toggle-rule", []);
        Assert.True((await fixture.Server.Service<RuleStore>().GetAsync(fixture.WorkspaceId, rule.Id))!.Definition.Enabled);

        var edited = RuleEditing.Json(rule.Definition with { Name = name + " edited", Enabled = false, CooldownMinutes = 60 });
        Assert.Contains("Saved.", await PostAsync(admin, $"/settings/rules/{rule.Id}", "edit-rule", new() { ["definition"] = edited }), StringComparison.Ordinal);
        var after = (await fixture.Server.Service<RuleStore>().GetAsync(fixture.WorkspaceId, rule.Id))!;
        Assert.Equal((name + " edited", false, (int?)60), (after.Definition.Name, after.Definition.Enabled, after.Definition.CooldownMinutes));
        await fixture.Server.Service<RuleStore>().DeleteAsync(fixture.WorkspaceId, rule.Id);
    }

    [Fact]
    public async Task Themes_AnalystAddsAndEditsATheme_ErrorsByFieldAndNamesEncoded()
    {
        using var analyst = await fixture.SignedInClientAsync(DashboardRoles.Analyst);
        var key = $"settings-{Guid.NewGuid():N}"[..24];
        var parent = (await fixture.Server.Service<TaxonomyStore>().ListAsync(fixture.WorkspaceId)).First(t => t.Parent is null).Key;

        var invalid = await PostAsync(analyst, "/settings/themes", "save-theme", new() { ["key"] = "Not A Key", ["name-en"] = "", ["keywords-en"] = "ok\n" + new string('k', 101) });
        Assert.Contains("theme-key-error", invalid, StringComparison.Ordinal);
        Assert.Contains("keywords.en[1]:", invalid, StringComparison.Ordinal);

        var added = await PostAsync(analyst, "/settings/themes", "save-theme", new()
        {
            ["key"] = key,
            ["parent"] = parent,
            ["name-en"] = "Hold <script>alert(1)</script>",
            ["name-de"] = "Warteschleife",
            ["keywords-en"] = "on hold\nhold music",
            ["keywords-de"] = "warteschleife",
        });
        Assert.Contains($"Theme {key} was added.", added, StringComparison.Ordinal);
        Assert.Contains("Hold &lt;script&gt;alert(1)&lt;/script&gt;", added, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", added, StringComparison.Ordinal);
        var theme = (await fixture.Server.Service<TaxonomyStore>().ListAsync(fixture.WorkspaceId)).Single(t => t.Key == key);
        Assert.Equal(parent, theme.Parent);
        Assert.Equal(["on hold", "hold music"], theme.Keywords["en"]);

        var duplicate = await PostAsync(analyst, "/settings/themes", "save-theme", new() { ["key"] = key, ["name-en"] = "Again" });
        Assert.Contains("exists already", duplicate, StringComparison.Ordinal);

        var edited = await PostAsync(analyst, $"/settings/themes?edit={key}", "save-theme", new() { ["name-en"] = "Hold music", ["keywords-en"] = "hold music" });
        Assert.Contains($"Theme {key} was saved.", edited, StringComparison.Ordinal);
        theme = (await fixture.Server.Service<TaxonomyStore>().ListAsync(fixture.WorkspaceId)).Single(t => t.Key == key);
        Assert.Null(theme.Parent);
        Assert.Equal("Hold music", theme.Names["en"]);

        await fixture.Server.Service<TaxonomyStore>().DeleteAsync(fixture.WorkspaceId, key);
    }

    private async Task<StoredRule> DemoRuleAsync(string name) =>
        (await fixture.Server.Service<RuleStore>().ListAsync(fixture.WorkspaceId)).Single(r => r.Definition.Name == name);

    private async Task<StoredRule> CreateRuleAsync(string name, bool enabled)
    {
        var errors = new Dictionary<string, string[]>();
        var definition = RuleEditing.Read(RuleEditing.Template, errors)! with { Name = name, Enabled = enabled };
        return await fixture.Server.Service<RuleStore>().CreateAsync(fixture.WorkspaceId, definition);
    }

    private async Task<IReadOnlyList<UserSummary>> UsersAsync()
    {
        await using var users = new StandaloneUsers(fixture.Server.Service<Database>());
        return await users.Directory.ListAsync(fixture.WorkspaceId);
    }

    private static Task<string> TokenAsync(HttpClient client) => DashboardFixture.FormTokenAsync(client, "/settings/rules");

    private static FormUrlEncodedContent Form(string token, string handler, Dictionary<string, string> fields)
    {
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = token;
        return new FormUrlEncodedContent(fields);
    }

    /// <summary>Posts a settings form as the browser would and returns the page it answers with (200 expected).</summary>
    private static async Task<string> PostAsync(HttpClient client, string path, string handler, Dictionary<string, string> fields)
    {
        var response = await client.PostAsync(path, Form(await TokenAsync(client), handler, fields));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path} {handler}: {response.StatusCode} {html[..Math.Min(html.Length, 500)]}");
        return html;
    }

    [GeneratedRegex("<section class=\"secret\"[^>]*>.*?<code>([^<]+)</code>", RegexOptions.Singleline)]
    private static partial Regex SecretCode();

    [GeneratedRegex("<form[^>]*method=\"post\".*?</form>", RegexOptions.Singleline)]
    private static partial Regex PostForms();
}
