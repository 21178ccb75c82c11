using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Fuzzing;

/// <summary>The Segment tracking routes (<c>/v1/track</c> … <c>/v1/batch</c>) under malformed and hostile calls.</summary>
[Collection(FuzzCollection.Name)]
public sealed class TrackingFuzzTests(FuzzServers servers)
{
    public static readonly (string Route, string Template)[] Calls =
    [
        ("/v1/track", """{"userId":"u-1","event":"Bill Viewed","messageId":"m-1","timestamp":"2026-01-05T10:00:00Z","properties":{"outcome":"success","effort":6,"revenue":12.5,"note":"fine"},"context":{"page":{"url":"https://shop.example.com/a","title":"A"},"channel":"web","locale":"de-DE"}}"""),
        ("/v1/identify", """{"userId":"u-1","anonymousId":"a-1","traits":{"name":"Ann","email":"ann@example.com","plan":"tv","phone":"+49 30 1234567"},"messageId":"m-2"}"""),
        ("/v1/page", """{"anonymousId":"a-1","name":"Home","category":"Shop","properties":{"url":"https://shop.example.com/","path":"/"},"messageId":"m-3"}"""),
        ("/v1/screen", """{"userId":"u-1","name":"Settings","messageId":"m-4","properties":{"stage":"billing"}}"""),
        ("/v1/group", """{"userId":"u-1","groupId":"g-1","traits":{"name":"ACME"},"messageId":"m-5"}"""),
        ("/v1/alias", """{"previousId":"a-1","userId":"u-1","messageId":"m-6"}"""),
        ("/v1/batch", """{"sentAt":"2026-01-05T10:00:01Z","batch":[{"type":"track","userId":"u-2","event":"Order Completed","messageId":"b-1","properties":{"revenue":"49.90"}},{"type":"identify","userId":"u-2","traits":{"email":"b@example.com"},"messageId":"b-2"}]}"""),
    ];

    /// <summary>Mostly none; sometimes a compression the body does not have.</summary>
    private static readonly Gen<string?> Encodings = Gen.Frequency((9, Gen.Const((string?)null)), (1, Gen.OneOf<string?>("gzip", "br", "deflate", "x-unknown")));

    private static readonly Gen<(string Route, Payload Body, string? Encoding)> MalformedCalls =
        Gen.Int[0, Calls.Length - 1].SelectMany(i => MalformedJson.From(Calls[i].Template)
            .Select(Encodings, (body, encoding) => (Calls[i].Route, body, encoding)));

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task TrackingRoutes_MalformedCalls_NeverFailAndRefusedOnesStoreNothing(DatabaseKind kind)
    {
        var fuzz = await servers.GetAsync(kind);
        await FuzzRun.CheckAsync(MalformedCalls, nameof(TrackingRoutes_MalformedCalls_NeverFailAndRefusedOnesStoreNothing), ci: 20, async call =>
        {
            var before = await fuzz.CountsAsync();
            using var content = new ByteArrayContent(call.Body.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (call.Encoding is not null)
            {
                // A body that claims a compression it does not have.
                content.Headers.ContentEncoding.Add(call.Encoding);
            }

            var response = await fuzz.Server.Tracking.PostAsync(call.Route, content);
            await FuzzAssert.AnsweredAsync(fuzz, response, before);
        }, call => $"{call.Route} {call.Encoding} {call.Body}");
        await fuzz.AssertAliveAsync();
    }

    private static readonly Gen<(int Call, string[] Texts)> HostileCalls =
        Gen.Select(Gen.Int[0, 1], HostileText.Storable.Array[5]);

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task TrackingRoutes_HostileTextInEveryTextField_IsStoredExactly(DatabaseKind kind)
    {
        var fuzz = await servers.GetAsync(kind);
        await FuzzRun.CheckAsync(HostileCalls, nameof(TrackingRoutes_HostileTextInEveryTextField_IsStoredExactly), ci: 20, async call =>
        {
            var messageId = "hostile-" + Guid.NewGuid().ToString("N");
            var t = call.Texts;
            var body = call.Call == 0
                ? new JsonObject
                {
                    ["userId"] = t[0],
                    ["event"] = t[1],
                    ["messageId"] = messageId,
                    ["properties"] = new JsonObject { ["note"] = t[2], [t[3]] = "key" },
                    ["context"] = new JsonObject { ["page"] = new JsonObject { ["title"] = t[4] } },
                }
                : new JsonObject
                {
                    ["userId"] = t[0],
                    ["messageId"] = messageId,
                    ["traits"] = new JsonObject { ["name"] = t[1], ["city"] = t[2], [t[3]] = t[4] },
                };
            var response = await fuzz.Server.PostJsonAsync(call.Call == 0 ? "/v1/track" : "/v1/identify", body.ToJsonString());
            var answer = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {answer}");

            await using var connection = await fuzz.Server.Service<Database>().OpenAsync();
            var stored = await connection.QuerySingleAsync<(string? Event, string? Properties, string? Context, long CustomerId)>(
                "SELECT event, properties, context, customer_id FROM interactions WHERE message_id = @messageId", new { messageId });
            var identity = await connection.QuerySingleAsync<string>(
                "SELECT value FROM customer_identities WHERE customer_id = @customer AND kind = 'userId' AND value = @value", new { customer = stored.CustomerId, value = t[0] });
            Assert.Equal(t[0], identity);
            if (call.Call == 0)
            {
                Assert.Equal(t[1], stored.Event);
                var properties = JsonNode.Parse(stored.Properties!)!;
                Assert.Equal(t[2], (string?)properties["note"]);
                Assert.Equal("key", (string?)properties[t[3]]);
                Assert.Equal(t[4], (string?)JsonNode.Parse(stored.Context!)!["page"]!["title"]);
            }
            else
            {
                var traits = JsonNode.Parse(await connection.QuerySingleAsync<string>("SELECT traits FROM customers WHERE id = @id", new { id = stored.CustomerId }))!;
                Assert.Equal(t[1], (string?)traits["name"]);
                Assert.Equal(t[2], (string?)traits["city"]);
                Assert.Equal(t[4], (string?)traits[t[3]]);
            }
        }, call => call.Call + ": " + JsonSerializer.Serialize(call.Texts));
    }
}
