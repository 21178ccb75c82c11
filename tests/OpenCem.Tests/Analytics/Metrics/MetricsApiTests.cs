using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Analytics.Metrics;

/// <summary><c>GET /api/v1/analytics/metrics</c>: validation, honest statistics, eNPS, settings and the start-up rebuild.</summary>
public sealed class MetricsApiTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Get_BadParameters_AreProblemDetailsNamingTheParameter(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await CreateSurveyAsync(server, "NPS", SurveyFixtures.Nps);
        (string Query, string Field)[] cases =
        [
            ("metric=nope", "metric"),
            ("", "metric"),
            ("metric=nps&by=colour", "by"),
            ("metric=nps&by=trait.shoeSize", "by"),
            ("metric=nps&filter=colour:red", "filter"),
            ("metric=nps&filter=touchpoint", "filter"),
            ("metric=nps&interval=fortnight", "interval"),
            ("metric=nps&from=soon", "from"),
            ("metric=nps&from=2025-02-01&to=2025-01-01", "to"),
            ("metric=mean&survey=" + survey, "question"),
            ($"metric=mean&survey={survey}&question=comment", "question"),
            ($"metric=mean&survey={survey}&question=nope", "question"),
            ("metric=nps&survey=999999", "survey"),
            ($"metric=csat&survey={survey}", "survey"),
            ($"metric=enps&survey={survey}", "survey"),
            ("metric=enps", "metric"),
            ($"metric=nps&survey={survey}&by=answer.comment", "by"),
            ($"metric=nps&survey={survey}&filter=answer.nope:x", "filter"),
        ];
        foreach (var (query, field) in cases)
        {
            var response = await server.Admin.GetAsync("/api/v1/analytics/metrics?" + query);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }

        // Without any response a valid query answers an empty list.
        Assert.Empty(await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/analytics/metrics?metric=nps") ?? []);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Get_ChangeBetweenMonths_SignificantOnlyAboveTheMinimumN(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await CreateSurveyAsync(server, "NPS", SurveyFixtures.Nps);
        // January: 40 answers in English, 20 promoters (10) and 20 detractors (0): NPS 0. February: 40 promoters: NPS 100.
        // German: 5 detractors in January, 5 promoters in February: the same jump, but n = 5 < 30.
        for (var i = 0; i < 40; i++)
        {
            await PostAsync(server, survey, "en", new DateTimeOffset(2024, 1, 10, 9, i, 0, TimeSpan.Zero), i % 2 == 0 ? 10 : 0);
            await PostAsync(server, survey, "en", new DateTimeOffset(2024, 2, 10, 9, i, 0, TimeSpan.Zero), 10);
        }

        for (var i = 0; i < 5; i++)
        {
            await PostAsync(server, survey, "de", new DateTimeOffset(2024, 1, 11, 9, i, 0, TimeSpan.Zero), 0);
            await PostAsync(server, survey, "de", new DateTimeOffset(2024, 2, 11, 9, i, 0, TimeSpan.Zero), 10);
        }

        var rows = (await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/analytics/metrics?metric=nps&by=language&interval=month"))!;
        var english = rows.Single(r => r.GetProperty("group").GetProperty("language").GetString() == "en" && r.GetProperty("period").GetString() == "2024-02");
        Assert.Equal(40, english.GetProperty("n").GetInt64());
        Assert.Equal(100, english.GetProperty("value").GetDouble());
        Assert.Equal(0, english.GetProperty("previous").GetDouble());
        Assert.True(english.GetProperty("significant").GetBoolean());
        Assert.False(english.GetProperty("flagged").GetBoolean());
        // n = 40 with p = 1, d = 0: SE = 0, so the interval is the value itself (never omitted).
        Assert.Equal(100, english.GetProperty("ciLow").GetDouble());

        var german = rows.Single(r => r.GetProperty("group").GetProperty("language").GetString() == "de" && r.GetProperty("period").GetString() == "2024-02");
        Assert.Equal(-100, german.GetProperty("previous").GetDouble());
        Assert.True(german.GetProperty("flagged").GetBoolean());
        Assert.False(german.GetProperty("significant").GetBoolean());
        Assert.Equal(JsonValueKind.Number, german.GetProperty("ciLow").ValueKind);

        var january = rows.Single(r => r.GetProperty("group").GetProperty("language").GetString() == "en" && r.GetProperty("period").GetString() == "2024-01");
        Assert.Equal(JsonValueKind.Null, january.GetProperty("previous").ValueKind);
        Assert.False(january.GetProperty("significant").GetBoolean());
        Assert.Equal(50, january.GetProperty("promoters").GetDouble());

        // A lower minimum n makes the German change count too.
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.PutAsJsonAsync("/api/v1/analytics/metrics/settings", new { minimumN = 5 })).StatusCode);
        rows = (await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/analytics/metrics?metric=nps&by=language&interval=month&filter=language:de"))!;
        Assert.True(rows.Single(r => r.GetProperty("period").GetString() == "2024-02").GetProperty("significant").GetBoolean());
        var bad = await server.Admin.PutAsJsonAsync("/api/v1/analytics/metrics/settings", new { minimumN = 1 });
        Assert.Equal("minimumN", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Enps_EmployeeSurvey_IsRefusedHereAndNpsReadsCustomerSurveysOnly(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var customers = await CreateSurveyAsync(server, "NPS", SurveyFixtures.Nps);
        var employees = await CreateSurveyAsync(server, "Pulse", Pulse);
        await PostAsync(server, customers, "en", new DateTimeOffset(2024, 1, 10, 9, 0, 0, TimeSpan.Zero), 0);
        foreach (var (team, score) in new[] { ("call-centre", 3), ("call-centre", 9), ("field-service", 10), ("field-service", 9) })
        {
            var body = new { surveyId = employees, submittedAt = "2024-01-12T10:00:00Z", answers = new Dictionary<string, object> { ["team"] = team, ["enps"] = score } };
            Assert.True((await server.Admin.PostAsJsonAsync("/api/v1/responses", body)).IsSuccessStatusCode);
        }

        // Employee answers only go out through the pulse's anonymity policy (Organisation/PulseApiTests).
        var refused = await server.Admin.GetAsync("/api/v1/analytics/metrics?metric=enps&by=answer.team&interval=all");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("/api/v1/pulse/enps", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var nps = (await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/analytics/metrics?metric=nps&interval=all"))!;
        Assert.Equal(-100, Assert.Single(nps).GetProperty("value").GetDouble());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Start_MarkedWorkspace_RebuildsTheRollupsFromTheStoredResponses(DatabaseKind kind)
    {
        var target = await TestDatabases.CreateAsync(kind);
        string before;
        await using (var server = await TestServer.StartAsync(kind, target))
        {
            var survey = await CreateSurveyAsync(server, "NPS", SurveyFixtures.Nps);
            for (var i = 0; i < 12; i++)
            {
                await PostAsync(server, survey, i % 3 == 0 ? "de" : "en", new DateTimeOffset(2024, 1 + (i % 4), 3, 9, i, 0, TimeSpan.Zero), i % 11);
            }

            before = await server.Admin.GetStringAsync("/api/v1/analytics/metrics?metric=nps&by=language");
            Assert.Contains("\"n\"", before, StringComparison.Ordinal);

            // As migration 6 leaves a database that held responses: empty rollups and the rebuild mark.
            await using var database = new Database(target);
            await using var connection = await database.OpenAsync();
            foreach (var cube in OpenCem.Analytics.Metrics.MetricCube.All)
            {
                await connection.ExecuteAsync($"DELETE FROM {cube.Table}");
            }

            await connection.ExecuteAsync("INSERT INTO workspace_settings (workspace_id, name, value) SELECT DISTINCT workspace_id, 'metrics_rebuild', 'pending' FROM survey_responses");
            Assert.Equal("[]", await server.Admin.GetStringAsync("/api/v1/analytics/metrics?metric=nps&by=language"));
        }

        await using (var restarted = await TestServer.StartAsync(kind, target))
        {
            Assert.Equal(before, await restarted.Admin.GetStringAsync("/api/v1/analytics/metrics?metric=nps&by=language"));
        }
    }

    private const string Pulse = """
        {"audience": "employees", "elements": [
          {"type": "radiogroup", "name": "team", "choices": ["call-centre", "field-service"]},
          {"type": "rating", "name": "enps", "role": "nps", "rateMin": 0, "rateMax": 10}]}
        """;

    private static async Task PostAsync(TestServer server, long survey, string language, DateTimeOffset at, int nps)
    {
        var body = new { surveyId = survey, language, submittedAt = at.ToString("O"), answers = new Dictionary<string, object> { ["nps"] = nps, ["reason"] = "price" } };
        var answers = nps <= 6 ? body : (object)new { surveyId = survey, language, submittedAt = at.ToString("O"), answers = new Dictionary<string, object> { ["nps"] = nps } };
        var response = await server.Admin.PostAsJsonAsync("/api/v1/responses", answers);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<long> CreateSurveyAsync(TestServer server, string name, string definition)
    {
        var created = await server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create(name, definition), server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }
}
