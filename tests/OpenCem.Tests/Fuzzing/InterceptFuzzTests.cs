using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Fuzzing;

/// <summary>The web intercept (<c>/intercept/v1/eligibility</c>, <c>/intercept/v1/responses</c>) under malformed and hostile bodies.</summary>
[Collection(FuzzCollection.Name)]
public sealed class InterceptFuzzTests(FuzzServers servers)
{
    private static int _visitor;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Intercept_MalformedBodies_NeverFailAndRefusedOnesStoreNothing(DatabaseKind kind)
    {
        var fuzz = await servers.GetAsync(kind);
        var survey = fuzz.SurveyId.ToString(CultureInfo.InvariantCulture);
        var eligibility = MalformedJson.From($$"""{"writeKey":"{{fuzz.Server.WriteKey}}","surveyId":{{survey}},"userId":"u-ann","anonymousId":"anon-x","language":"de","url":"https://shop.example.com/checkout"}""")
            .Select(body => (Route: "/intercept/v1/eligibility", Body: body));
        var answer = MalformedJson.From($$$"""{"writeKey":"{{{fuzz.Server.WriteKey}}}","token":"TOKEN","answers":{"nps":9,"comment":"Fine"}}""")
            .Select(body => (Route: "/intercept/v1/responses", Body: body));
        using var client = fuzz.Anonymous();
        await FuzzRun.CheckAsync(Gen.OneOf(eligibility, answer), nameof(Intercept_MalformedBodies_NeverFailAndRefusedOnesStoreNothing), ci: 20, async call =>
        {
            var bytes = call.Body.Body;
            if (call.Route.EndsWith("responses", StringComparison.Ordinal))
            {
                // A fresh token each time, so a body that is fine is answered rather than refused as a repeat.
                var token = (await fuzz.EligibleAsync($"fuzz-{Interlocked.Increment(ref _visitor)}")).GetProperty("token").GetString()!;
                bytes = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(bytes).Replace("TOKEN", token, StringComparison.Ordinal));
            }

            var before = await fuzz.CountsAsync();
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            await FuzzAssert.AnsweredAsync(fuzz, await client.PostAsync(call.Route, content), before);
        }, call => $"{call.Route} {call.Body}");
        await fuzz.AssertAliveAsync();
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Intercept_HostileComment_IsStoredExactly(DatabaseKind kind)
    {
        var fuzz = await servers.GetAsync(kind);
        using var client = fuzz.Anonymous();
        await FuzzRun.CheckAsync(HostileText.Typed, nameof(Intercept_HostileComment_IsStoredExactly), ci: 5, async comment =>
        {
            var token = (await fuzz.EligibleAsync($"hostile-{Interlocked.Increment(ref _visitor)}")).GetProperty("token").GetString()!;
            var body = new JsonObject { ["writeKey"] = fuzz.Server.WriteKey, ["token"] = token, ["answers"] = new JsonObject { ["nps"] = 4, ["comment"] = comment } };
            var response = await fuzz.Server.PostJsonAsync("/intercept/v1/responses", body.ToJsonString(), client);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            var id = JsonDocument.Parse(text).RootElement.GetProperty("responseId").GetInt64();
            await using var connection = await fuzz.Server.Service<Database>().OpenAsync();
            Assert.Equal(comment, await connection.QuerySingleAsync<string>("SELECT comment FROM survey_responses WHERE id = @id", new { id }));
        }, comment => JsonSerializer.Serialize(comment));
    }
}
