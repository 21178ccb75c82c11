using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenCem.Demo;
using OpenCem.Interactions;
using OpenCem.Storage;
using OpenCem.Workspaces;
using OpenCem.Workspaces.Users;

namespace OpenCem.SoakBench;

/// <summary>The keys and the dashboard user made on the fresh database before the server starts.</summary>
internal sealed record SoakKeys(long WorkspaceId, string WriteKey, string AdminKey, string Email, string Password);

/// <summary>The survey and webhooks the server was configured with over its API.</summary>
internal sealed record SoakConfiguration(long SurveyId, long CrmWebhookId, long FlakyWebhookId, long RuleId);

/// <summary>Everything the soak needs before the load starts: the database's catalogue, keys, a dashboard user, and over HTTP the survey, webhooks and rule.</summary>
internal static partial class SoakSetup
{
    public const string Email = "soak@opencem.test";

    /// <summary>Migrates the fresh database, seeds the demo journeys and touchpoints (most events land on one), makes a write key, an admin key and an admin dashboard user.</summary>
    public static async Task<SoakKeys> PrepareDatabaseAsync(DatabaseTarget target)
    {
        await using var database = new Database(target);
        await SchemaMigrator.MigrateAsync(database);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        var catalogue = new CatalogueStore(database, TimeProvider.System);
        foreach (var journey in DemoCompany.Journeys)
        {
            await catalogue.SaveJourneyAsync(workspace.Id, journey);
        }

        foreach (var touchpoint in DemoCompany.Touchpoints)
        {
            await catalogue.SaveTouchpointAsync(workspace.Id, touchpoint);
        }

        var keys = new ApiKeyStore(database, TimeProvider.System);
        var write = (await keys.CreateAsync(workspace.Id, "soak-tracking", ApiKeyKind.Write)).Secret;
        var admin = (await keys.CreateAsync(workspace.Id, "soak-admin", ApiKeyKind.Admin)).Secret;
        var password = $"soak-{Guid.NewGuid():N}";
        await using (var users = new StandaloneUsers(database))
        {
            var change = await users.Directory.AddAsync(workspace.Id, Email, DashboardRoles.Admin, password: password);
            if (change.Error is { } error)
            {
                throw new InvalidOperationException($"Could not add the dashboard user: {change.Field}: {error}");
            }
        }

        return new SoakKeys(workspace.Id, write, admin, Email, password);
    }

    /// <summary>
    /// An NPS survey with a comment; a "crm" webhook that takes every case.opened; a flaky webhook that takes every
    /// response.submitted (and answers 503 to a share, so retries run all the time); the detractor rule NPS ≤ 6 → open a
    /// case and call the crm webhook.
    /// </summary>
    public static async Task<SoakConfiguration> ConfigureAsync(HttpClient admin, string crmUrl, string flakyUrl)
    {
        var surveyId = await CreateAsync(admin, "/api/v1/surveys",
            """{"name": "Relationship NPS", "definition": {"elements": [{"type": "rating", "name": "nps", "role": "nps", "rateMin": 0, "rateMax": 10, "isRequired": true}, {"type": "comment", "name": "why"}]}}""");
        var crm = await CreateAsync(admin, "/api/v1/webhooks", $$"""{"url": "{{crmUrl}}", "events": ["case.opened"], "description": "soak: crm"}""");
        var flaky = await CreateAsync(admin, "/api/v1/webhooks", $$"""{"url": "{{flakyUrl}}", "events": ["response.submitted"], "description": "soak: flaky receiver"}""");
        var rule = await CreateAsync(admin, "/api/v1/rules",
            $$"""{"name": "Detractor follow-up", "trigger": "response.submitted", "condition": "response.nps <= 6", "actions": [{"type": "openCase", "title": "Call back", "priority": "high"}, {"type": "webhook", "webhookId": {{crm}}}]}""");
        return new SoakConfiguration(surveyId, crm, flaky, rule);
    }

    /// <summary>A client signed in to the dashboard through the sign-in form (anti-forgery token and cookie, as a browser).</summary>
    public static async Task<HttpClient> SignInAsync(Uri baseAddress, string email, string password)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseProxy = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var html = await client.GetStringAsync("/sign-in");
        var token = TokenPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The sign-in page has no anti-forgery token.");
        using var response = await client.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = token,
            ["Form.Email"] = email,
            ["Form.Password"] = password,
            ["Form.ReturnUrl"] = "/",
        }));
        if (response.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"Signing in answered {(int)response.StatusCode}, not 302.");
        }

        return client;
    }

    public static HttpClient Client(Uri baseAddress, AuthenticationHeaderValue authorization, int connections)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    public static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);

    public static AuthenticationHeaderValue Basic(string key) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));

    private static async Task<long> CreateAsync(HttpClient admin, string path, string json)
    {
        using var response = await admin.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
