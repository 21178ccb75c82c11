using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Feedback.Ideas;

/// <summary>Customers written straight into the database (the ideas tests need profiles, not identity resolution) and small API helpers.</summary>
internal static class IdeaTestData
{
    public static async Task<long> CustomerAsync(TestServer server, string? email, string? language = null, string? consent = null)
    {
        var workspace = await server.Service<WorkspaceStore>().EnsureDefaultAsync();
        var traits = new Dictionary<string, object?> { ["email"] = email, ["language"] = language };
        if (consent is not null)
        {
            traits["consent"] = JsonDocument.Parse(consent).RootElement;
        }

        await using var connection = await server.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO customers (workspace_id, created_at, updated_at, traits) VALUES (@id, 0, 0, @traits) RETURNING id",
            new { id = workspace.Id, traits = JsonSerializer.Serialize(traits) });
    }

    public static async Task<JsonElement> CreateIdeaAsync(TestServer server, long? customerId, string title, string body, string? language = "en")
    {
        var response = await server.Admin.PostAsJsonAsync("/api/v1/ideas", new { customerId, title, body, language });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<HttpResponseMessage> VoteAsync(TestServer server, long ideaId, long customerId) =>
        await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{ideaId}/votes", new { customerId });

    public static async Task<HttpResponseMessage> MoveAsync(TestServer server, long ideaId, string status, string? answer = null) =>
        await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{ideaId}/status", new { status, answer, by = "product team" });

    public static async Task<string> BoardLinkAsync(TestServer server, long customerId)
    {
        var response = await server.Admin.PostAsJsonAsync("/api/v1/ideas/board-links", new { customerId });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
    }
}
