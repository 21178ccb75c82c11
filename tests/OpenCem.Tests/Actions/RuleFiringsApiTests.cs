using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Actions;

/// <summary>
/// GET /api/v1/rules/{id}/firings on both databases: a firing the real worker made for a detractor (with its case),
/// older firings paged newest first by id until no cursor is left, the 24 h / 7 day counts, and the refusals.
/// One server per database serves every test of the class; each test makes its own rules.
/// </summary>
public sealed class RuleFiringsApiTests(RuleFiringsApiTests.SharedServers shared) : IClassFixture<RuleFiringsApiTests.SharedServers>
{
    private const string DetractorRule = """
        {"name": "Detractor follow-up", "trigger": "response.submitted", "condition": "response.nps <= 6",
         "actions": [{"type": "openCase", "title": "Call back a detractor"}, {"type": "tag", "tag": "detractor"}]}
        """;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Firings_WorkerFiringAndSeededOnes_PagedNewestFirstWithCounts(DatabaseKind kind)
    {
        var server = await shared.ServerAsync(kind);
        var ruleId = await CreateRuleAsync(server, DetractorRule);
        var survey = await RuleApiTests.CreateSurveyAsync(server);
        var workspace = await server.Service<WorkspaceStore>().EnsureDefaultAsync();

        // Older firings first, as the engine would have written them (ids follow time): 10, 3, 2 and 2 days and 2 hours ago.
        var now = DateTimeOffset.UtcNow;
        var ages = new[] { TimeSpan.FromDays(10), TimeSpan.FromDays(3), TimeSpan.FromDays(2), TimeSpan.FromDays(2), TimeSpan.FromHours(2) };
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            for (var i = 0; i < ages.Length; i++)
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO rule_firings (workspace_id, rule_id, source_kind, source_id, customer_id, fired_at, actions)
                    VALUES (@ws, @ruleId, 'interaction', @i, @customer, @at, @actions)
                    """,
                    new { ws = workspace.Id, ruleId, i, customer = i == 0 ? (long?)null : (long?)(1000 + i), at = (now - ages[i]).ToUnixTimeMilliseconds(), actions = """["tag: no customer, skipped"]""" });
            }
        }

        var detractor = await RuleApiTests.AnswerAsync(server, survey, $"dana-{Guid.NewGuid():N}", 2);
        var real = await WaitForFiringAsync(server, ruleId);

        var firings = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/rules/{ruleId}/firings?limit=4{(cursor is null ? "" : $"&cursor={cursor}")}");
            firings.AddRange(page.GetProperty("firings").EnumerateArray());
            Assert.True(page.GetProperty("firedLast24Hours").GetInt64() == 2 && page.GetProperty("firedLast7Days").GetInt64() == 5, $"counts: {page}");
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null);

        var ids = firings.Select(f => f.GetProperty("id").GetInt64()).ToList();
        var shown = string.Join(" | ", firings);
        Assert.True(pages == 2 && ids.Count == 6 && ids.SequenceEqual(ids.OrderDescending()), $"{pages} pages: {shown}");

        // The worker's firing is the newest, so it leads: its trigger, customer, the actions' lines as stored, and its case.
        var first = firings[0];
        Assert.True(real == ids[0], $"the worker's firing {real} is not first: {shown}");
        Assert.Equal("response.submitted", first.GetProperty("trigger").GetString());
        Assert.Equal("event", first.GetProperty("sourceKind").GetString());
        Assert.Equal(detractor.Customer, first.GetProperty("customerId").GetInt64());
        await using var read = await server.Service<Database>().OpenAsync();
        var caseId = await read.ExecuteScalarAsync<long>("SELECT id FROM cases WHERE response_id = @r", new { r = detractor.Response });
        Assert.Equal<string>([$"openCase: case {caseId} opened", "tag: detractor"], first.GetProperty("actions").EnumerateArray().Select(a => a.GetString() ?? "").ToArray());
        Assert.Equal(caseId, first.GetProperty("caseId").GetInt64());

        var seeded = firings[1];
        Assert.Equal("interaction.recorded", seeded.GetProperty("trigger").GetString());
        Assert.False(seeded.TryGetProperty("caseId", out _));
        Assert.Equal<string>(["tag: no customer, skipped"], seeded.GetProperty("actions").EnumerateArray().Select(a => a.GetString() ?? "").ToArray());
        Assert.False(firings[^1].TryGetProperty("customerId", out _));

        // The default page holds them all; a page exactly as long as what is left has no cursor to an empty page (nulls are left out).
        var all = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/rules/{ruleId}/firings");
        Assert.Equal(ids, all.GetProperty("firings").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()));
        var exact = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/rules/{ruleId}/firings?limit=2&cursor={ids[3]}");
        Assert.Equal(ids[4..], exact.GetProperty("firings").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()));
        Assert.False(exact.TryGetProperty("nextCursor", out _));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Firings_BadPagingUnknownOrForeignRule_RefusedNamingTheField(DatabaseKind kind)
    {
        var server = await shared.ServerAsync(kind);
        var ruleId = await CreateRuleAsync(server, """{"name": "Tag signals", "trigger": "signal.received", "actions": [{"type": "tag", "tag": "signal"}]}""");
        var empty = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/rules/{ruleId}/firings");
        Assert.Empty(empty.GetProperty("firings").EnumerateArray());
        Assert.False(empty.TryGetProperty("nextCursor", out _));
        Assert.Equal(0, empty.GetProperty("firedLast7Days").GetInt64());

        foreach (var (query, field) in new[] { ("limit=0", "limit"), ("limit=201", "limit"), ("limit=ten", "limit"), ("cursor=abc", "cursor"), ("cursor=-5", "cursor") })
        {
            var response = await server.Admin.GetAsync($"/api/v1/rules/{ruleId}/firings?{query}");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query}: {problem}");
        }

        Assert.Equal(HttpStatusCode.OK, (await server.Admin.GetAsync($"/api/v1/rules/{ruleId}/firings?limit=200")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync($"/api/v1/rules/{ruleId + 1000}/firings")).StatusCode);

        var other = await server.Service<WorkspaceStore>().CreateAsync($"other-{Guid.NewGuid():N}"[..18], "Other brand");
        using var stranger = new HttpClient { BaseAddress = server.BaseAddress };
        stranger.DefaultRequestHeaders.Authorization = new("Bearer", (await server.Service<ApiKeyStore>().CreateAsync(other.Id, "other-admin", ApiKeyKind.Admin)).Secret);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/rules/{ruleId}/firings")).StatusCode);

        using var writer = new HttpClient { BaseAddress = server.BaseAddress };
        writer.DefaultRequestHeaders.Authorization = TestServer.Basic(server.WriteKey);
        Assert.True((await writer.GetAsync($"/api/v1/rules/{ruleId}/firings")).StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized);
    }

    private static async Task<long> CreateRuleAsync(TestServer server, string json)
    {
        var created = await server.PostJsonAsync("/api/v1/rules", json, server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static async Task<long> WaitForFiringAsync(TestServer server, long ruleId)
    {
        await using var connection = await server.Service<Database>().OpenAsync();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (true)
        {
            var row = await connection.QuerySingleOrDefaultAsync<long?>(
                "SELECT id FROM rule_firings WHERE rule_id = @ruleId AND source_kind = 'event'", new { ruleId });
            if (row is { } found)
            {
                return found;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"rule {ruleId} did not fire within 20 s");
            await Task.Delay(50);
        }
    }

    public sealed class SharedServers : IAsyncLifetime
    {
        private readonly Dictionary<DatabaseKind, Lazy<Task<TestServer>>> _servers =
            new[] { DatabaseKind.Sqlite, DatabaseKind.Postgres }.ToDictionary(kind => kind, kind => new Lazy<Task<TestServer>>(() => TestServer.StartAsync(kind)));

        public Task<TestServer> ServerAsync(DatabaseKind kind) => _servers[kind].Value;

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync()
        {
            foreach (var server in _servers.Values.Where(l => l.IsValueCreated))
            {
                await (await server.Value).DisposeAsync();
            }
        }
    }
}
