using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenCem.Storage;

namespace OpenCem.Tests.Fuzzing;

/// <summary>
/// The cases the fuzzers found (each was a 500, or a 503 that a retrying client would repeat for ever), kept as
/// plain examples: each must now be a 4xx naming the field, and store nothing.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class BadInputRegressionTests(FuzzServers servers)
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (var kind in new[] { DatabaseKind.Sqlite, DatabaseKind.Postgres })
        {
            // Duplicate trait: the trait merge threw (500 on SQLite, 503 on PostgreSQL).
            yield return [kind, "/v1/identify", """{"userId":"u-dup","traits":{"plan":"tv","plan":"dsl"},"messageId":"r-1"}""", null!, 400, "$"];
            // NUL in an id: PostgreSQL refuses it in text (503, retried for ever).
            yield return [kind, "/v1/track", """{"userId":"nul\u0000id","event":"x","messageId":"r-2"}""", null!, 400, "userId"];
            // Half a surrogate pair: reading the string threw.
            yield return [kind, "/v1/track", """{"userId":"u-1","event":"a\ud800b","messageId":"r-3"}""", null!, 400, "event"];
            // A body that is not the compression it claims.
            yield return [kind, "/v1/track", """{"userId":"u-1","event":"x","messageId":"r-4"}""", "br", 400, "Content-Encoding"];
            yield return [kind, "/v1/batch", """{"batch":[]}""", "deflate", 400, "Content-Encoding"];
            // Bytes that are not UTF-8 in the write key.
            yield return [kind, "/intercept/v1/eligibility", "{\"writeKey\":\"a\u00FF\u00FEb\",\"surveyId\":1}", "latin1", 400, "writeKey"];
            // Management API: an empty body, a surveyId that is a text, a lone surrogate in a customer record.
            yield return [kind, "/api/v1/responses", "", null!, 400, "$"];
            yield return [kind, "/api/v1/responses", """{"surveyId":"9999-12-31T23:59:59Z","answers":{}}""", null!, 422, null!];
            yield return [kind, "/api/v1/sources/crm/records", """[{"id":"c-x","name":"a\udc00b","email":"sur@example.com"}]""", null!, 422, "body"];
            yield return [kind, "/api/v1/signals", """{"source":"review","text":"a\u0000b"}""", null!, 400, "text"];
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task FoundByFuzzing_IsRefusedNamingTheField_AndStoresNothing(DatabaseKind kind, string route, string body, string? encoding, int status, string? field)
    {
        var fuzz = await servers.GetAsync(kind);
        var before = await fuzz.CountsAsync();
        // "latin1" sends the body's characters as single bytes, so \u00FF\u00FE become the invalid UTF-8 bytes FF FE.
        using var content = new ByteArrayContent(encoding == "latin1" ? Encoding.Latin1.GetBytes(body) : Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (encoding is "br" or "deflate")
        {
            content.Headers.ContentEncoding.Add(encoding);
        }

        var client = route.StartsWith("/api/", StringComparison.Ordinal) ? fuzz.Server.Admin : fuzz.Server.Tracking;
        var response = await client.PostAsync(route, content);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }

        Assert.Equal(before, await fuzz.CountsAsync());
    }
}
