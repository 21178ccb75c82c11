using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Interactions;

public sealed class TrackingApiTests
{
    public static IEnumerable<object[]> Kinds => TestDatabases.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Track_RepeatedMessageId_IsStoredOnce(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        const string call = """{"userId":"u1","event":"Bill Viewed","messageId":"m-1","properties":{"outcome":"success","effort":6,"amount":12.5}}""";

        for (var i = 0; i < 3; i++)
        {
            var response = await server.PostJsonAsync("/v1/track", call);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("""{"success":true}""", await response.Content.ReadAsStringAsync());
        }

        var stats = await server.StatsAsync();
        Assert.Equal(1, stats.Interactions);
        Assert.Equal(1, stats.Customers);
        var page = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/interactions");
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("Bill Viewed", item.GetProperty("event").GetString());
        Assert.Equal("success", item.GetProperty("outcome").GetString());
        Assert.Equal(6, item.GetProperty("effort").GetDouble());
        Assert.Equal(12.5, item.GetProperty("properties").GetProperty("amount").GetDouble());
        Assert.False(item.GetProperty("properties").TryGetProperty("outcome", out _));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Batch_SomeInvalidEvents_StoresValidOnesAndListsRejected(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        const string batch = """
            {"batch":[
              {"type":"track","userId":"u1","event":"A","messageId":"b1"},
              {"type":"track","event":"No identity","messageId":"b2"},
              {"type":"track","userId":"u1","event":"B","messageId":"b3","properties":{"effort":"very"}},
              {"type":"nonsense","userId":"u1","messageId":"b4"},
              {"type":"page","anonymousId":"anon-1","name":"Home","messageId":"b5"},
              {"type":"track","userId":"u1","event":"A","messageId":"b1"}
            ]}
            """;

        var response = await server.PostJsonAsync("/v1/batch", batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("success").GetBoolean());
        var rejected = body.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal("batch[1].userId", rejected[0].GetProperty("field").GetString());
        Assert.Equal("batch[2].properties.effort", rejected[1].GetProperty("field").GetString());
        Assert.Equal("batch[3].type", rejected[2].GetProperty("field").GetString());
        Assert.Equal(2, (await server.StatsAsync()).Interactions);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task BadRequests_GetPreciseProblems_AndStoreNothing(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/v1/track", """{"userId":"keep","event":"Kept","messageId":"k1"}""")).StatusCode);

        await AssertProblem(await server.PostJsonAsync("/v1/batch", """{"batch":[{"type":"track","userId":"u","event":"x"}"""), 400, "$");
        await AssertProblem(await server.PostJsonAsync("/v1/track", """{"event":"x"}"""), 400, "userId");
        await AssertProblem(await server.PostJsonAsync("/v1/track", """{"userId":"u","event":"x","properties":[1,2]}"""), 400, "properties");
        await AssertProblem(await server.PostJsonAsync("/v1/track", """{"userId":{"id":1},"event":"x"}"""), 400, "userId");
        await AssertProblem(await server.PostJsonAsync("/v1/track", """{"userId":"u","event":"x","timestamp":"yesterday"}"""), 400, "timestamp");
        await AssertProblem(await server.PostJsonAsync("/v1/track", """{"userId":"u","event":"x","properties":{"outcome":"meh"}}"""), 400, "properties.outcome");
        await AssertProblem(await server.PostJsonAsync("/v1/track", """{"userId":"u"}"""), 400, "event");
        await AssertProblem(await server.PostJsonAsync("/v1/batch", """{"batch":{}}"""), 400, "batch");

        var big = "{\"userId\":\"u\",\"event\":\"x\",\"properties\":{\"blob\":\"" + new string('a', 33 * 1024) + "\"}}";
        await AssertProblem(await server.PostJsonAsync("/v1/track", big), 413, "$");
        var hugeBatch = "{\"batch\":[" + string.Join(",", Enumerable.Range(0, 40).Select(i =>
            $"{{\"type\":\"track\",\"userId\":\"u\",\"event\":\"x\",\"messageId\":\"h{i}\",\"properties\":{{\"blob\":\"{new string('b', 15 * 1024)}\"}}}}")) + "]}";
        await AssertProblem(await server.PostJsonAsync("/v1/batch", hugeBatch), 413, "$");
        var oversizedItem = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"x\",\"messageId\":\"o1\"},{\"type\":\"track\",\"userId\":\"u\",\"event\":\"x\",\"messageId\":\"o2\",\"properties\":{\"blob\":\"" + new string('c', 40 * 1024) + "\"}}]}";
        var partial = await server.PostJsonAsync("/v1/batch", oversizedItem);
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        Assert.Contains("32768", await partial.Content.ReadAsStringAsync());

        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        await AssertProblem(await server.PostJsonAsync("/v1/track", """{"userId":"u","event":"x"}""", anonymous), 401, "writeKey");
        anonymous.DefaultRequestHeaders.Authorization = TestServer.Basic("ocm_write_not-a-key");
        await AssertProblem(await server.PostJsonAsync("/v1/track", """{"userId":"u","event":"x"}""", anonymous), 401, "writeKey");

        Assert.Equal(2, (await server.StatsAsync()).Interactions);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Batch_WriteKeyInBody_IsAccepted(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var body = $$"""{"writeKey":"{{server.WriteKey}}","batch":[{"type":"track","userId":"u","event":"x","messageId":"w1"}]}""";
        var response = await server.PostJsonAsync("/v1/batch", body, client);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await server.StatsAsync()).Interactions);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Identify_AfterAnonymousVisits_KeepsOneProfileWithMergedTraits(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await server.PostJsonAsync("/v1/page", """{"anonymousId":"anon-7","name":"Tariffs","messageId":"p1"}""");
        await server.PostJsonAsync("/v1/identify", """{"anonymousId":"anon-7","userId":"cust-7","traits":{"plan":"tv","region":"Bavaria"},"messageId":"i1"}""");
        await server.PostJsonAsync("/v1/identify", """{"userId":"cust-7","traits":{"plan":"bundle","email":"a@example.com"},"messageId":"i2"}""");
        await server.PostJsonAsync("/v1/track", """{"userId":"cust-7","event":"Order Completed","messageId":"t1","properties":{"revenue":"49.90"}}""");

        Assert.Equal(1, (await server.StatsAsync()).Customers);
        await using var connection = await server.Service<Database>().OpenAsync();
        var traits = JsonDocument.Parse(await connection.QuerySingleAsync<string>("SELECT traits FROM customers")).RootElement;
        Assert.Equal("bundle", traits.GetProperty("plan").GetString());
        Assert.Equal("Bavaria", traits.GetProperty("region").GetString());
        Assert.Equal("a@example.com", traits.GetProperty("email").GetString());
        var revenue = await connection.QuerySingleAsync<double>("SELECT revenue FROM interactions WHERE message_id = 't1'");
        Assert.Equal(49.90, revenue, 6);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ConcurrentRetries_OfOverlappingBatches_StoreEachMessageOnce(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var tasks = Enumerable.Range(0, 40).Select(async request =>
        {
            // Each message appears in four different requests, sent concurrently.
            var calls = Enumerable.Range(0, 100).Select(i => (request * 25 + i) % 1000).Select(m =>
                $$"""{"type":"track","userId":"u{{m % 37}}","event":"Step","messageId":"c{{m}}","timestamp":"2026-01-0{{1 + m % 9}}T10:00:00Z"}""");
            var response = await server.PostJsonAsync("/v1/batch", "{\"batch\":[" + string.Join(",", calls) + "]}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });
        await Task.WhenAll(tasks);

        var stats = await server.StatsAsync();
        Assert.Equal(1000, stats.Interactions);
        Assert.Equal(37, stats.Customers);
        await using var connection = await server.Service<Database>().OpenAsync();
        Assert.Equal(1000, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM interactions"));
        Assert.Equal(1000, await connection.ExecuteScalarAsync<long>("SELECT SUM(interactions) FROM interaction_daily"));
        Assert.Equal(37, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Retry_WithNewSentAt_IsStoredOnce(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        // A client retry resends the same calls with a new sentAt: still the same messages.
        foreach (var sentAt in new[] { "2026-02-01T10:00:01Z", "2026-02-01T10:00:09Z", "2026-02-01T10:01:30Z" })
        {
            var body = $$$"""{"sentAt":"{{{sentAt}}}","batch":[{"type":"track","userId":"u","event":"x","messageId":"r1","timestamp":"2026-02-01T10:00:00Z"},{"type":"identify","userId":"u","messageId":"r2","timestamp":"2026-02-01T10:00:00.5Z","traits":{"plan":"tv"}}]}""";
            Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/v1/batch", body)).StatusCode);
        }

        var stats = await server.StatsAsync();
        Assert.Equal(2, stats.Interactions);
        Assert.Equal(1, stats.Customers);
    }

    [Fact]
    public async Task Batch_GzipEncoded_IsAccepted()
    {
        await using var server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        using var compressed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(System.Text.Encoding.UTF8.GetBytes("""{"batch":[{"type":"track","userId":"u","event":"Zipped","messageId":"z1"}]}"""));
        }

        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        Assert.Equal(HttpStatusCode.OK, (await server.Tracking.PostAsync("/v1/batch", content)).StatusCode);
        Assert.Equal(1, (await server.StatsAsync()).Interactions);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ClockSkew_IsCorrectedWithSentAt(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        // The client's clock runs 2 hours fast: it says the event happened 10 s before it was sent.
        var sentAt = DateTimeOffset.UtcNow.AddHours(2);
        var timestamp = sentAt.AddSeconds(-10);
        var body = $$"""{"userId":"u","event":"x","messageId":"s1","timestamp":"{{timestamp:O}}","sentAt":"{{sentAt:O}}"}""";
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/v1/track", body)).StatusCode);

        var page = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/interactions");
        var item = page.GetProperty("items")[0];
        var occurred = item.GetProperty("timestamp").GetDateTimeOffset();
        var received = item.GetProperty("receivedAt").GetDateTimeOffset();
        Assert.InRange((occurred - received).TotalMilliseconds, -10_002, -9_998);
    }

    private static async Task AssertProblem(HttpResponseMessage response, int status, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }
}
