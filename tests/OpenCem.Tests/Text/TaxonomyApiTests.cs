using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Text.Themes;

namespace OpenCem.Tests.Text;

/// <summary>The theme taxonomy over HTTP: seeded on first use, edited, and every bad change refused naming the field.</summary>
public sealed class TaxonomyApiTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Taxonomy_SeededOnFirstUse_CreateReadReplaceDelete(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var seeded = await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/text/taxonomy");
        Assert.Equal(TaxonomySeed.Themes.Select(t => t.Key), seeded!.Select(t => t.GetProperty("key").GetString()));
        Assert.Equal(JsonValueKind.Null, seeded![0].GetProperty("parent").ValueKind);

        var created = await server.PostJsonAsync("/api/v1/text/taxonomy", """
            {"key": "roaming", "parent": "network", "names": {"en": "Roaming", "de": "Roaming"}, "keywords": {"en": ["roaming", "abroad"], "de": ["ausland*"]}}
            """, server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/text/taxonomy/roaming", created.Headers.Location?.ToString());

        var read = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/text/taxonomy/roaming");
        Assert.Equal("network", read.GetProperty("parent").GetString());
        Assert.Equal("Roaming", read.GetProperty("names").GetProperty("de").GetString());
        Assert.Equal(["ausland*"], read.GetProperty("keywords").GetProperty("de").EnumerateArray().Select(k => k.GetString()));

        var replaced = await server.Admin.PutAsJsonAsync("/api/v1/text/taxonomy/roaming", new
        {
            parent = (string?)null,
            names = new { en = "Roaming abroad" },
            keywords = new { en = new[] { "roaming" } },
        });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        read = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/text/taxonomy/roaming");
        Assert.Equal(JsonValueKind.Null, read.GetProperty("parent").ValueKind);
        Assert.False(read.GetProperty("names").TryGetProperty("de", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin.DeleteAsync("/api/v1/text/taxonomy/roaming")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/v1/text/taxonomy/roaming")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.DeleteAsync("/api/v1/text/taxonomy/roaming")).StatusCode);

        // Deleting every theme, children before their parents, leaves an empty taxonomy, not the seed again.
        var remaining = (await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/text/taxonomy"))!;
        while (remaining.Length > 0)
        {
            var parents = remaining.Select(t => t.GetProperty("parent").GetString()).OfType<string>().ToHashSet();
            foreach (var leaf in remaining.Select(t => t.GetProperty("key").GetString()!).Where(key => !parents.Contains(key)))
            {
                Assert.Equal(HttpStatusCode.NoContent, (await server.Admin.DeleteAsync($"/api/v1/text/taxonomy/{leaf}")).StatusCode);
            }

            remaining = (await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/text/taxonomy"))!;
        }

        Assert.Empty((await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/text/taxonomy"))!);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Taxonomy_BadChanges_AreRefusedNamingTheField(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await RefusedAsync(server, HttpMethod.Post, "", """{"names": {"en": "No key"}}""", 422, "key");
        await RefusedAsync(server, HttpMethod.Post, "", """{"key": "", "names": {"en": "Empty"}}""", 422, "key");
        await RefusedAsync(server, HttpMethod.Post, "", """{"key": "Bad Key!", "names": {"en": "Bad"}}""", 422, "key");
        await RefusedAsync(server, HttpMethod.Post, "", """{"key": "x", "names": {}}""", 422, "names");
        await RefusedAsync(server, HttpMethod.Post, "", """{"key": "x", "names": {"fr": "Non"}}""", 422, "names.fr");
        await RefusedAsync(server, HttpMethod.Post, "", """{"key": "x", "names": {"en": "X"}, "keywords": {"en": ["ok", 3, ""]}}""", 422, "keywords.en[1]");
        await RefusedAsync(server, HttpMethod.Post, "", """{"key": "x", "names": {"en": "X"}, "colour": "red"}""", 422, "colour");
        await RefusedAsync(server, HttpMethod.Post, "", """[1, 2]""", 422, "body");
        await RefusedAsync(server, HttpMethod.Post, "", """{"key": "x", "parent": "nowhere", "names": {"en": "X"}}""", 422, "parent");
        await RefusedAsync(server, HttpMethod.Post, "", """{"key": "billing", "names": {"en": "Billing again"}}""", 409, "key");
        await RefusedAsync(server, HttpMethod.Put, "/billing", """{"key": "price", "names": {"en": "Renamed"}}""", 422, "key");
        await RefusedAsync(server, HttpMethod.Put, "/billing", """{"parent": "billing", "names": {"en": "Own parent"}}""", 422, "parent");
        await RefusedAsync(server, HttpMethod.Put, "/unknown", """{"names": {"en": "Unknown"}}""", 404, "key");

        // staff-friendliness lies below customer-service: making it customer-service's parent would close a cycle.
        await RefusedAsync(server, HttpMethod.Put, "/customer-service", """{"parent": "staff-friendliness", "names": {"en": "Service"}}""", 422, "parent");
        // customer-service has children, which would point at nothing.
        await RefusedAsync(server, HttpMethod.Delete, "/customer-service", null, 409, "key");

        // Nothing of the refused changes was stored.
        var themes = await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/text/taxonomy");
        Assert.Equal(TaxonomySeed.Themes.Select(t => t.Key), themes!.Select(t => t.GetProperty("key").GetString()));
        Assert.Equal(JsonValueKind.Null, themes!.Single(t => t.GetProperty("key").GetString() == "customer-service").GetProperty("parent").ValueKind);
    }

    private static async Task RefusedAsync(TestServer server, HttpMethod method, string path, string? json, int status, string field)
    {
        using var request = new HttpRequestMessage(method, "/api/v1/text/taxonomy" + path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await server.Admin.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{method} {path} {json}: {(int)response.StatusCode} {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.True(
            (problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _))
                || (problem.TryGetProperty("field", out var named) && named.GetString() == field),
            $"{method} {path} {json}: expected the field {field} in {body}");
    }
}
