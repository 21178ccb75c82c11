using System.Net;
using System.Text.Json;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Text;

namespace OpenCem.Tests.Text;

/// <summary><c>POST /api/v1/text/analyze</c>: the contract's shape, its limit, and bad texts answered rather than failed.</summary>
public sealed class AnalyzeApiTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Analyze_AnswersEachTextUnderItsId_WithTheWorkspaceTaxonomy(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var answer = await server.PostJsonAsync("/api/v1/text/analyze", """
            {"texts": [
              {"id": "a", "text": "The technician was friendly but I waited three weeks", "lang": "auto"},
              {"id": 7, "text": "Die Rechnung war falsch", "lang": "de"},
              {"id": "c", "text": "Nothing to see here"}
            ]}
            """, server.Admin);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var results = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Array, results.ValueKind);
        Assert.Equal(["a", "7", "c"], results.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        foreach (var result in results.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, result.GetProperty("lang").ValueKind);
            Assert.Equal(JsonValueKind.Number, result.GetProperty("sentiment").GetProperty("score").ValueKind);
            Assert.Contains(result.GetProperty("sentiment").GetProperty("label").GetString(), new[] { "negative", "neutral", "positive" });
            Assert.Equal(JsonValueKind.Array, result.GetProperty("emotions").ValueKind);
            Assert.False(result.GetProperty("truncated").GetBoolean());
        }

        var themes = results[0].GetProperty("themes").EnumerateArray().Select(t => t.GetProperty("key").GetString()).ToList();
        Assert.Contains("waiting-time", themes);
        Assert.Contains("technician-visit", themes);
        Assert.Equal(JsonValueKind.Number, results[0].GetProperty("themes")[0].GetProperty("sentiment").ValueKind);
        Assert.Equal("de", results[1].GetProperty("lang").GetString());
        Assert.Contains("billing", results[1].GetProperty("themes").EnumerateArray().Select(t => t.GetProperty("key").GetString()));

        // A theme added to the taxonomy is used by the next call.
        await server.PostJsonAsync("/api/v1/text/taxonomy", """{"key": "roaming", "names": {"en": "Roaming"}, "keywords": {"en": ["roaming"]}}""", server.Admin);
        var again = await server.PostJsonAsync("/api/v1/text/analyze", """{"texts": [{"id": "r", "text": "Roaming charges in Italy"}]}""", server.Admin);
        Assert.Contains("roaming", JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement[0].GetProperty("themes").EnumerateArray()
            .Select(t => t.GetProperty("key").GetString()));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Analyze_EmptyHugeGarbageAndHtml_AreAnsweredAndLongTextsFlaggedTruncated(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var huge = string.Concat(Enumerable.Repeat("I waited and waited. ", 1_500));
        var garbage = new string(Enumerable.Range(0, 3_000).Select(i => (char)((i * 7919) % 0xD7FF)).ToArray());
        var body = JsonSerializer.Serialize(new
        {
            texts = new object[]
            {
                new { id = "empty", text = "" },
                new { id = "null", text = (string?)null },
                new { id = "huge", text = huge },
                new { id = "garbage", text = garbage },
                new { id = "html", text = "<p>The <b>app</b> crashes &amp; <script>alert(1)</script> again</p>" },
                new { id = "mixed", text = "Der Techniker was great, aber die Rechnung ist falsch 😡😡" },
            },
        });
        var answer = await server.PostJsonAsync("/api/v1/text/analyze", body, server.Admin);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var results = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(6, results.GetArrayLength());
        Assert.True(huge.Length > TextLimits.MaxLength);
        Assert.True(results[2].GetProperty("truncated").GetBoolean());
        Assert.False(results[0].GetProperty("truncated").GetBoolean());
        Assert.Empty(results[0].GetProperty("themes").EnumerateArray());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Analyze_BadRequests_AreRefusedNamingTheField(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var tooMany = JsonSerializer.Serialize(new { texts = Enumerable.Range(0, TextLimits.MaxBatch + 1).Select(i => new { id = $"{i}", text = "ok" }) });
        await RefusedAsync(server, tooMany, "texts");
        var atLimit = JsonSerializer.Serialize(new { texts = Enumerable.Range(0, TextLimits.MaxBatch).Select(i => new { id = $"{i}", text = "The bill was wrong" }) });
        var ok = await server.PostJsonAsync("/api/v1/text/analyze", atLimit, server.Admin);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(TextLimits.MaxBatch, JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement.GetArrayLength());

        await RefusedAsync(server, """{"texts": []}""", "texts");
        await RefusedAsync(server, """{"text": "no list"}""", "texts");
        await RefusedAsync(server, """["a"]""", "texts");
        await RefusedAsync(server, """{"texts": [{"text": "no id"}]}""", "texts[0].id");
        await RefusedAsync(server, """{"texts": [{"id": "1", "text": 42}]}""", "texts[0].text");
        await RefusedAsync(server, """{"texts": [{"id": "1", "text": "x", "lang": "fr"}]}""", "texts[0].lang");
        await RefusedAsync(server, """{"texts": [{"id": "1", "text": "x"}, "y"]}""", "texts[1]");
        await RefusedAsync(server, """{"texts": [{"id": "1", "text": "x", "colour": "red"}]}""", "texts[0].colour");

        var broken = await server.PostJsonAsync("/api/v1/text/analyze", """{"texts": [""", server.Admin);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
    }

    private static async Task RefusedAsync(TestServer server, string json, string field)
    {
        var response = await server.PostJsonAsync("/api/v1/text/analyze", json, server.Admin);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{json}: {(int)response.StatusCode} {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{json}: expected {field} in {body}");
    }
}
