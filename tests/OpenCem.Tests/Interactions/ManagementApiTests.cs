using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Interactions;

public sealed class ManagementApiTests
{
    public static IEnumerable<object[]> Kinds => TestDatabases.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Catalogue_Crud_MapsEventsToTouchpointsAtIngestion(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var journey = await server.Admin.PostAsJsonAsync("/api/v1/journeys", new
        {
            key = "fault-repair",
            name = "Fault repair",
            stages = new[] { new { key = "reported", name = "Fault reported" }, new { key = "visit", name = "Technician visit" } },
        });
        Assert.Equal(HttpStatusCode.Created, journey.StatusCode);
        var created = await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new
        {
            key = "technician-visit",
            name = "Technician visit",
            channel = "field",
            journey = "fault-repair",
            stage = "visit",
            events = new[] { "Technician Visit Completed" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/touchpoints/technician-visit", created.Headers.Location?.ToString());

        Assert.Equal(HttpStatusCode.Conflict, (await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new { key = "technician-visit", name = "Again", channel = "field" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new { key = "x", name = "X", channel = "field", journey = "fault-repair", stage = "nope" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/v1/touchpoints/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await server.Admin.DeleteAsync("/api/v1/journeys/fault-repair")).StatusCode);

        await server.PostJsonAsync("/v1/track", """{"userId":"u","event":"Technician Visit Completed","messageId":"v1","properties":{"outcome":"success","effort":2}}""");
        await server.PostJsonAsync("/v1/track", """{"userId":"u","event":"Something Else","messageId":"v2"}""");

        var page = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/interactions?touchpoint=technician-visit");
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("field", item.GetProperty("channel").GetString());
        Assert.Equal("fault-repair", item.GetProperty("journey").GetString());
        Assert.Equal("visit", item.GetProperty("stage").GetString());

        var updated = await server.Admin.PutAsJsonAsync("/api/v1/touchpoints/technician-visit", new { name = "Engineer visit", channel = "field", journey = "fault-repair", stage = "visit", events = new[] { "Engineer Visit Completed" } });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Engineer visit", (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/touchpoints/technician-visit")).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin.DeleteAsync("/api/v1/touchpoints/technician-visit")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin.DeleteAsync("/api/v1/journeys/fault-repair")).StatusCode);
        Assert.Equal(0, (await server.StatsAsync()).Touchpoints);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Interactions_KeysetPaging_VisitsEveryRowOnceNewestFirst(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var calls = Enumerable.Range(0, 250).Select(i =>
            // Pairs share a timestamp, so paging must break ties by id.
            $$$"""{"type":"track","userId":"u{{{i % 3}}}","event":"E","messageId":"p{{{i}}}","timestamp":"{{{start.AddMinutes(i / 2):O}}}","properties":{"channel":"{{{(i % 2 == 0 ? "web" : "app")}}}"}}""");
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/v1/batch", "{\"batch\":[" + string.Join(",", calls) + "]}")).StatusCode);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/interactions?limit=40" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("messageId").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null && pages < 20);

        Assert.Equal(7, pages);
        Assert.Equal(250, seen.Distinct().Count());
        Assert.Equal(250, seen.Count);

        var filtered = await server.Admin.GetFromJsonAsync<JsonElement>(
            $"/api/v1/interactions?channel=web&from={start.AddMinutes(10):O}&to={start.AddMinutes(20):O}&limit=1000".Replace("+", "%2B"));
        var items = filtered.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(10, items.Count);
        Assert.All(items, i => Assert.Equal("web", i.GetProperty("channel").GetString()));
        Assert.True(items.Select(i => i.GetProperty("timestamp").GetDateTimeOffset()).SequenceEqual(items.Select(i => i.GetProperty("timestamp").GetDateTimeOffset()).OrderDescending()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Interactions_BadParameters_AreNamed(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var response = await server.Admin.GetAsync("/api/v1/interactions?customerId=abc&limit=0&from=soon&cursor=%21%21&touchpoint=none");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["cursor", "customerId", "from", "limit", "touchpoint"], errors.EnumerateObject().Select(p => p.Name).Order());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Workspaces_AreIsolated(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var other = await server.Service<WorkspaceStore>().CreateAsync("brand-b", "Brand B");
        var keys = server.Service<ApiKeyStore>();
        var otherWrite = await keys.CreateAsync(other.Id, "b-write", ApiKeyKind.Write);
        var otherAdmin = await keys.CreateAsync(other.Id, "b-admin", ApiKeyKind.Admin);
        using var otherTracking = new HttpClient { BaseAddress = server.BaseAddress };
        otherTracking.DefaultRequestHeaders.Authorization = TestServer.Basic(otherWrite.Secret);
        using var otherApi = new HttpClient { BaseAddress = server.BaseAddress };
        otherApi.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", otherAdmin.Secret);

        // The same messageId and userId in two workspaces are two interactions of two customers.
        await server.PostJsonAsync("/v1/track", """{"userId":"u","event":"E","messageId":"same"}""");
        await server.PostJsonAsync("/v1/track", """{"userId":"u","event":"E","messageId":"same"}""", otherTracking);
        await server.PostJsonAsync("/v1/track", """{"userId":"u","event":"F","messageId":"only-b"}""", otherTracking);
        await otherApi.PostAsJsonAsync("/api/v1/touchpoints", new { key = "b-shop", name = "Shop", channel = "shop" });

        Assert.Equal(1, (await server.StatsAsync()).Interactions);
        var otherStats = await otherApi.GetFromJsonAsync<JsonElement>("/api/v1/stats");
        Assert.Equal(2, otherStats.GetProperty("interactions").GetInt64());
        Assert.Equal(1, otherStats.GetProperty("customers").GetInt64());
        Assert.Empty((await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/touchpoints")).EnumerateArray());
        var mine = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/interactions");
        Assert.Single(mine.GetProperty("items").EnumerateArray());
        var customerOfB = (await otherApi.GetFromJsonAsync<JsonElement>("/api/v1/interactions")).GetProperty("items")[0].GetProperty("customerId").GetInt64();
        var crossRead = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/interactions?customerId={customerOfB}");
        Assert.Empty(crossRead.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ManagementApi_RefusesMissingWriteAndRevokedKeys(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/stats")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.WriteKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/stats")).StatusCode);

        var keys = server.Service<ApiKeyStore>();
        var workspace = await server.Service<WorkspaceStore>().EnsureDefaultAsync();
        var temporary = await keys.CreateAsync(workspace.Id, "temporary", ApiKeyKind.Admin);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", temporary.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/stats")).StatusCode);
        Assert.Equal(1, await keys.RevokeAsync(workspace.Id, "temporary"));
        var refused = await client.GetAsync("/api/v1/stats");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task HealthAndDocs_AreServed(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal("ok", (await client.GetFromJsonAsync<JsonElement>("/healthz")).GetProperty("status").GetString());
        Assert.Equal("ready", (await client.GetFromJsonAsync<JsonElement>("/readyz")).GetProperty("status").GetString());
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/batch", paths);
        Assert.Contains("/api/v1/interactions", paths);
        Assert.Contains("/api/v1/touchpoints/{key}", paths);
        var docs = await client.GetStringAsync("/docs/index.html");
        Assert.Contains("swagger", docs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cdn", docs, StringComparison.OrdinalIgnoreCase);
    }
}
