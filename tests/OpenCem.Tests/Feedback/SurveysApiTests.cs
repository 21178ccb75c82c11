using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Feedback;

public sealed class SurveysApiTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task CreateGetUpdateDelete_RoundTripsTheDefinition(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var created = await server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create("Relationship NPS", SurveyFixtures.Nps), server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var survey = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}");
        Assert.Equal("Relationship NPS", survey.GetProperty("name").GetString());
        Assert.Equal(["nps", "verbatim"], survey.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).Order());
        Assert.Contains("de", survey.GetProperty("languages").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("{nps} <= 6", survey.GetProperty("definition").GetProperty("pages")[0].GetProperty("elements")[1].GetProperty("visibleIf").GetString());

        var put = await server.Admin.PutAsync($"/api/v1/surveys/{id}", new StringContent(SurveyFixtures.Create("Renamed", SurveyFixtures.Service), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var updated = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, updated.GetProperty("version").GetInt32());
        Assert.Equal(["ces", "csat", "driver"], updated.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).Order());

        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin.DeleteAsync($"/api/v1/surveys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync($"/api/v1/surveys/{id}")).StatusCode);
    }

    [Fact]
    public async Task Create_UnsupportedFeatures_AreAllListedAndNothingIsStored()
    {
        await using var server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        const string definition = """
            {"elements": [
              {"type": "html", "name": "intro", "html": "<b>Hi</b>"},
              {"type": "rating", "name": "nps", "role": "nps", "rateMin": 1, "rateMax": 10},
              {"type": "radiogroup", "name": "q", "choices": ["a"], "hasOther": true, "visibleIf": "age({birth}) > 18"},
              {"type": "text", "name": "t", "visibleIf": "{missing} = 1"}
            ], "triggers": [{"type": "complete"}]}
            """;
        var response = await server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create("Bad", definition), server.Admin);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problems = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("definition")
            .EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.Contains("'html' is not supported", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("nps rating runs from 0 to 10", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("hasOther", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("function 'age' is not supported", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'missing', which is not a question", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("survey.triggers", StringComparison.Ordinal));
        Assert.Empty(await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/surveys") ?? []);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Responses_ValidOnesAreSummarisedWithTheNpsInterval_BadOnesAreRefusedPrecisely(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await CreateAsync(server, SurveyFixtures.Nps);
        // 6 promoters, 2 passives, 2 detractors: NPS 40; SE = 100·sqrt((0.6 + 0.2 − 0.16)/10) = 25.30.
        int[] scores = [10, 9, 9, 10, 9, 10, 8, 7, 3, 5];
        foreach (var (score, i) in scores.Select((s, i) => (s, i)))
        {
            var answers = score <= 6 ? $$"""{"nps": {{score}}, "reason": "price"}""" : $$"""{"nps": {{score}}, "comment": "Fine {{i}}"}""";
            var ok = await server.PostJsonAsync("/api/v1/responses", $$"""{"surveyId": {{id}}, "userId": "u{{i}}", "answers": {{answers}} }""", server.Admin);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.True((await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerId").GetInt64() > 0);
        }

        await AssertRefusedAsync(server, $$"""{"surveyId": {{id}}, "answers": {"nps": 11} }""", "answers.nps", "from 0 to 10");
        await AssertRefusedAsync(server, $$"""{"surveyId": {{id}}, "answers": {"nps": 9, "colour": "red"} }""", "answers.colour", "not a question");
        await AssertRefusedAsync(server, $$"""{"surveyId": {{id}}, "answers": {"nps": 4} }""", "answers.reason", "required");
        await AssertRefusedAsync(server, $$"""{"surveyId": {{id}}, "answers": {"comment": "no score"} }""", "answers.nps", "required");
        await AssertRefusedAsync(server, $$"""{"surveyId": {{id}}, "answers": {"nps": 4, "reason": "weather"} }""", "answers.reason", "not one of the choices");

        var summary = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/summary");
        Assert.Equal(10, summary.GetProperty("n").GetInt64());
        var nps = summary.GetProperty("nps");
        Assert.Equal(40, nps.GetProperty("value").GetDouble());
        Assert.Equal(40 - (1.96 * 25.2982), nps.GetProperty("ciLow").GetDouble(), 1);
        Assert.Equal(40 + (1.96 * 25.2982), nps.GetProperty("ciHigh").GetDouble(), 1);
        Assert.False(summary.TryGetProperty("csat", out _));
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("responseRate").ValueKind); // no invitations: no rate, but the field is there

        var csv = await server.Admin.GetStringAsync($"/api/v1/surveys/{id}/responses?format=csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(11, lines.Length);
        Assert.EndsWith("nps,reason,comment", lines[0].TrimEnd('\r'), StringComparison.Ordinal);
        Assert.Contains(lines, l => l.TrimEnd('\r').EndsWith(",3,price,", StringComparison.Ordinal));

        var page = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/responses?limit=4");
        Assert.Equal(4, page.GetProperty("responses").GetArrayLength());
        Assert.Equal(10, page.GetProperty("responses")[0].GetProperty("answers").GetProperty("nps").GetInt32());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Responses_CsatCesMatrixAndRepeatedResponseId(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await CreateAsync(server, SurveyFixtures.Service);
        var body = $$"""
            {"surveyId": {{id}}, "identifiers": {"email": "Ann@Example.com"}, "responseId": "ext-1",
             "answers": {"csat": 5, "ces": 6, "attributes": {"friendliness": 5, "speed": "3"}, "resolved": true, "channels": ["chat", "phone"]} }
            """;
        var first = await (await server.PostJsonAsync("/api/v1/responses", body, server.Admin)).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await server.PostJsonAsync("/api/v1/responses", body, server.Admin)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());

        await server.PostJsonAsync("/api/v1/responses", $$"""{"surveyId": {{id}}, "answers": {"csat": 2, "ces": 3} }""", server.Admin);
        await AssertRefusedAsync(server, $$"""{"surveyId": {{id}}, "answers": {"csat": 4, "channels": ["phone", "chat", "email"]} }""", "answers.channels", "at most 2");
        await AssertRefusedAsync(server, $$"""{"surveyId": {{id}}, "answers": {"csat": 4, "attributes": {"looks": 3} } }""", "answers.attributes", "no row 'looks'");

        var summary = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/summary");
        Assert.Equal(2, summary.GetProperty("n").GetInt64());
        Assert.Equal(50, summary.GetProperty("csat").GetProperty("value").GetDouble());
        Assert.Equal(3.5, summary.GetProperty("csat").GetProperty("mean").GetDouble());
        Assert.Equal(4.5, summary.GetProperty("ces").GetProperty("value").GetDouble());

        var customer = first.GetProperty("customerId").GetInt64();
        var found = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/customers?q=ann@example.com");
        Assert.Equal(customer, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
        var scores = (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{customer}")).GetProperty("scores");
        Assert.Equal(5, scores.GetProperty("csat").GetProperty("value").GetInt32());
        Assert.Equal(6, scores.GetProperty("ces").GetProperty("value").GetInt32());
        Assert.Equal(1, scores.GetProperty("responses").GetInt64());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Signals_AreLinkedToTheCustomer_AndABadOneStoresNothing(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var identify = await server.PostJsonAsync("/v1/identify", """{"userId": "u-77", "traits": {"email": "eva@example.com"} }""");
        Assert.Equal(HttpStatusCode.OK, identify.StatusCode);
        var stored = await server.PostJsonAsync("/api/v1/signals", """
            [{"source": "review", "text": "The technician was great.", "rating": 5, "userId": "u-77", "url": "https://reviews.example/1", "externalId": "r1", "timestamp": "2026-10-01T10:00:00Z"},
             {"source": "complaint", "text": "Third bill with errors!", "email": "eva@example.com"}]
            """, server.Admin);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        var signals = (await stored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signals");
        Assert.Equal(signals[0].GetProperty("customerId").GetInt64(), signals[1].GetProperty("customerId").GetInt64());

        var bad = await server.PostJsonAsync("/api/v1/signals", """[{"source": "social", "text": "ok"}, {"source": "pigeon", "text": ""}]""", server.Admin);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("[1].source", out _));
        Assert.True(errors.TryGetProperty("[1].text", out _));

        var list = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/signals?customerId={signals[0].GetProperty("customerId").GetInt64()}");
        Assert.Equal(2, list.GetProperty("signals").GetArrayLength());
        Assert.Equal("complaint", list.GetProperty("signals")[0].GetProperty("source").GetString());
    }

    internal static async Task<long> CreateAsync(TestServer server, string definition, string? settings = null)
    {
        var created = await server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create("Survey", definition, settings), server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static async Task AssertRefusedAsync(TestServer server, string body, string field, string message)
    {
        var response = await server.PostJsonAsync("/api/v1/responses", body, server.Admin);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for {field}: {errors}");
        Assert.Contains(message, messages[0].GetString(), StringComparison.Ordinal);
    }
}
