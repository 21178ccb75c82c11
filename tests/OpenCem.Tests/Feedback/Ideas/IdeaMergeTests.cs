using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Feedback.Ideas;

/// <summary>
/// When two profiles turn out to be one person, her ideas, comments and votes follow the surviving profile (so its export
/// and erasure find them); a vote both profiles cast on the same idea counts once.
/// </summary>
public sealed class IdeaMergeTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Merge_TwoProfilesOfOnePerson_IdeasCommentsAndVotesFollowTheSurvivor_OneVotePerIdea(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await PostRecordsAsync(server, """
            {"id":"A","email":"ada@example.com"}
            {"id":"B","phone":"+49 30 1111111"}
            """);
        var a = await CustomerOfAsync(server, "A");
        var b = await CustomerOfAsync(server, "B");
        var shared = await IdeaAsync(server, new { title = "Longer shop hours", body = "Open until 8 pm." });
        var own = await IdeaAsync(server, new { customerId = b, title = "Dark mode in the app", body = "Please." });
        foreach (var customerId in new[] { a, b })
        {
            (await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{shared}/votes", new { customerId })).EnsureSuccessStatusCode();
        }

        (await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{own}/votes", new { customerId = b })).EnsureSuccessStatusCode();
        (await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{shared}/comments", new { customerId = b, body = "Yes please" })).EnsureSuccessStatusCode();

        await PostRecordsAsync(server, """{"id":"AB","email":"ada@example.com","phone":"+49 30 1111111"}""");
        Assert.Equal(a, await CustomerOfAsync(server, "B"));

        await using var connection = await server.Service<Database>().OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT (SELECT count(*) FROM ideas WHERE customer_id = @b) + (SELECT count(*) FROM idea_votes WHERE customer_id = @b) + (SELECT count(*) FROM idea_comments WHERE customer_id = @b)", new { b }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT votes FROM ideas WHERE id = @shared", new { shared }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT votes FROM ideas WHERE id = @own", new { own }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ideas i WHERE votes <> (SELECT count(*) FROM idea_votes v WHERE v.idea_id = i.id)"));
        var export = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{a}/export");
        Assert.Equal(own, (long)export!["ideas"]!["ideas"]!.AsArray().Single()!["id"]!);
        Assert.Equal(2, export["ideas"]!["votes"]!.AsArray().Count);
        Assert.Single(export["ideas"]!["comments"]!.AsArray());
    }

    private static async Task<long> CustomerOfAsync(TestServer server, string record) =>
        (long)(await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/sources/crm/records/{record}"))!["customerId"]!;

    private static async Task<long> IdeaAsync(TestServer server, object body) =>
        (long)(await (await server.Admin.PostAsJsonAsync("/api/v1/ideas", body)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

    private static async Task PostRecordsAsync(TestServer server, string ndjson) =>
        (await server.Admin.PostAsync("/api/v1/sources/crm/records", new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"))).EnsureSuccessStatusCode();
}
