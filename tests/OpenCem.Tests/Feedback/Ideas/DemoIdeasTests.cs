using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;
using Xunit.Abstractions;

namespace OpenCem.Tests.Feedback.Ideas;

/// <summary>Truth 15 through the API: the demo board's planted lead users are exactly the first ones ranked.</summary>
public sealed class DemoIdeasTests(ITestOutputHelper output)
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task DemoBoard_LeadUsersRanking_RecoversThePlantedLeadUsers(DatabaseKind kind)
    {
        var target = await TestDatabases.CreateAsync(kind);
        var options = new DemoOptions(Customers: 2500, Seed: 42, AsOf: new DateTimeOffset(2025, 6, 30, 0, 0, 0, TimeSpan.Zero));
        IReadOnlyList<long> planted;
        await using (var database = new Database(target))
        {
            await SchemaMigrator.MigrateAsync(database);
            var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
            await using (var connection = await database.OpenAsync())
            {
                // The board needs people, not the whole demo: profiles with a language, as the demo's sources give them.
                await connection.ExecuteAsync(
                    "INSERT INTO customers (workspace_id, created_at, updated_at, traits) VALUES (@Workspace, 0, 0, @Traits)",
                    Enumerable.Range(0, options.Customers).Select(i => new { Workspace = workspace.Id, Traits = $$"""{"language":"{{(i % 3 == 0 ? "de" : "en")}}","email":"c{{i}}@example.com"}""" }));
            }

            var watch = Stopwatch.StartNew();
            await DemoIdeas.LoadAsync(database, TimeProvider.System, workspace.Id, options, CancellationToken.None);
            output.WriteLine($"{kind}: the demo board in {watch.ElapsedMilliseconds} ms");
            planted = DemoIdeas.LeadUsers(await DemoIdeas.PoolAsync(database, workspace.Id));
        }

        Assert.Equal(DemoTruths.IdeaLeadUsers, planted.Count);
        await using var server = await TestServer.StartAsync(kind, target);
        var users = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ideas/lead-users?limit=20");
        var ranked = users.EnumerateArray().Select(u => u.GetProperty("customerId").GetInt64()).ToList();
        output.WriteLine(string.Join(", ", users.EnumerateArray().Take(10).Select(u => $"{u.GetProperty("customerId")}: {u.GetProperty("score")}")));
        Assert.Equal(planted.Order(), ranked.Take(DemoTruths.IdeaLeadUsers).Order());

        var published = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ideas?moderation=published&limit=100");
        Assert.Equal(40, published.GetArrayLength());
        Assert.Equal(12, published.EnumerateArray().Count(i => i.GetProperty("status").GetString() == "done"));
        Assert.Contains(published.EnumerateArray(), i => i.GetProperty("language").GetString() == "de");
        Assert.All(published.EnumerateArray(), i => Assert.True(i.GetProperty("votes").GetInt64() >= 1));
        Assert.Equal(2, (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ideas?moderation=held")).GetArrayLength());
    }
}
