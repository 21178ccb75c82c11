using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Hosting;
using OpenCem.Workspaces;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Fuzzing;

/// <summary>Every fuzz test class shares one server per database kind: <c>[Collection(FuzzCollection.Name)]</c>.</summary>
[CollectionDefinition(Name)]
public sealed class FuzzCollection : ICollectionFixture<FuzzServers>
{
    public const string Name = "Fuzzing";
}

/// <summary>One <see cref="FuzzServer"/> per database kind, started when a test first asks for it.</summary>
public sealed class FuzzServers : IAsyncLifetime
{
    private readonly Dictionary<DatabaseKind, Task<FuzzServer>> _servers = [];
    private readonly Lock _lock = new();

    public Task<FuzzServer> GetAsync(DatabaseKind kind)
    {
        lock (_lock)
        {
            if (!_servers.TryGetValue(kind, out var server))
            {
                _servers[kind] = server = FuzzServer.StartAsync(kind);
            }

            return server;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await (await server).DisposeAsync();
        }
    }
}

/// <summary>
/// A server for hostile traffic: the public limits switched off (the fuzzer is one busy address), the text worker off
/// (nothing writes behind the fuzzer's back, so row counts before and after a refused request must agree), an NPS
/// survey with a web intercept, contact rules that let every visitor be asked, and the demo users for the dashboard.
/// </summary>
public sealed class FuzzServer : IAsyncDisposable
{
    /// <summary>The tables a public or import endpoint writes to; a refused request must leave all of them as they were.</summary>
    public static readonly string[] Tables =
    [
        "customers", "customer_identities", "source_records", "record_identifiers", "interactions", "survey_invitations",
        "survey_responses", "signals", "transactions", "ideas", "idea_votes", "idea_comments", "cases",
    ];

    private FuzzServer(TestServer server, long surveyId, long workspaceId)
    {
        Server = server;
        SurveyId = surveyId;
        WorkspaceId = workspaceId;
    }

    public TestServer Server { get; }

    /// <summary>The NPS survey (score, reason for detractors, comment) with a web intercept of its score and comment.</summary>
    public long SurveyId { get; }

    public long WorkspaceId { get; }

    public static async Task<FuzzServer> StartAsync(DatabaseKind kind)
    {
        var server = await TestServer.StartAsync(kind, options => options with
        {
            Configuration = new Dictionary<string, string?>
            {
                ["Text:Worker"] = "false",
                ["RateLimits:TrackingPerKeyPerSecond"] = "0",
                ["RateLimits:TrackingPerAddressPerSecond"] = "0",
                ["RateLimits:InterceptPerAddressPerMinute"] = "0",
                ["RateLimits:RespondentPerAddressPerMinute"] = "0",
                ["Ideas:PerCustomer"] = "1000000",
                ["Ideas:PerAddress"] = "1000000",
            },
        });
        var survey = await InterceptApiTests.CreateSurveyAsync(server);
        var rules = await server.Admin.PutAsJsonAsync("/api/v1/contact-rules", new { maxInvitations = 100, periodDays = 1, skipOpenCases = false, consent = "ignored" });
        Assert.True(rules.IsSuccessStatusCode, await rules.Content.ReadAsStringAsync());
        var workspace = (await server.Service<WorkspaceStore>().EnsureDefaultAsync()).Id;
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            await DemoUsers.EnsureAsync(scope.ServiceProvider.GetRequiredService<UserDirectory>(), workspace, Seed);
        }

        return new FuzzServer(server, survey, workspace);
    }

    public const int Seed = 11;

    /// <summary>Rows in each of <see cref="Tables"/>, in that order.</summary>
    public async Task<long[]> CountsAsync()
    {
        await using var connection = await Server.Service<Database>().OpenAsync();
        var sql = string.Join(" UNION ALL ", Tables.Select((t, i) => $"SELECT {i} AS n, COUNT(*) AS c FROM {t}"));
        var rows = (await connection.QueryAsync<CountRow>(sql)).ToDictionary(r => r.N, r => r.C);
        return [.. Tables.Select((_, i) => rows[i])];
    }

    /// <summary>Which tables changed between two <see cref="CountsAsync"/>, for a failure message.</summary>
    public static string Changes(long[] before, long[] after) =>
        string.Join(", ", Tables.Select((t, i) => (t, i)).Where(x => before[x.i] != after[x.i]).Select(x => $"{x.t} {before[x.i]} → {after[x.i]}"));

    /// <summary>A client with no key, as browsers and public callers are.</summary>
    public HttpClient Anonymous(bool cookies = false) =>
        new(new HttpClientHandler { UseCookies = cookies, AllowAutoRedirect = false }) { BaseAddress = Server.BaseAddress };

    /// <summary>A dashboard client signed in as the admin.</summary>
    public async Task<HttpClient> DashboardAsync()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Server.BaseAddress };
        var response = await OpenCem.Tests.Dashboard.DashboardFixture.SignInAsync(client, DemoUsers.Email("admin"), DemoUsers.Password("admin", Seed));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return client;
    }

    /// <summary>The server still answers its liveness probe.</summary>
    public async Task AssertAliveAsync()
    {
        var health = await Server.Admin.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    public async Task<JsonElement> EligibleAsync(string anonymousId)
    {
        using var client = Anonymous();
        var body = JsonSerializer.Serialize(new { writeKey = Server.WriteKey, surveyId = SurveyId, anonymousId, url = "https://shop.example.com/" });
        var response = await Server.PostJsonAsync("/intercept/v1/eligibility", body, client);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.GetProperty("eligible").GetBoolean(), answer.ToString());
        return answer;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private sealed class CountRow
    {
        public long N { get; set; }

        public long C { get; set; }
    }
}
