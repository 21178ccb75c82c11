using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Demo;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Customers.Personas;

/// <summary>
/// The personas API on a small demo: a run answers with profiles, a second run with the same seed gives the same
/// personas, the current run's persona becomes a trait that filters metrics, drivers and journeys, and bad input is
/// refused naming the field.
/// </summary>
public sealed class PersonasApiTests
{
    private static readonly DemoOptions Options = new(Customers: 600, Seed: 11, AsOf: DemoSample.AsOf);

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Personas_RunTwiceListGetScenarioAndFilter_StableAndFilteringEverywhere(DatabaseKind kind)
    {
        var target = (await DemoDatabases.CopyAsync(kind, Options)).Target;

        // The text worker off: its catch-up would change the comments' analyses between the two runs compared below.
        await using var server = await TestServer.StartAsync(kind, options => options with { Configuration = new Dictionary<string, string?> { ["Text:Worker"] = "false" } }, target);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/v1/personas")).StatusCode);

        var first = await RunAsync(server, """{"k": 4, "seed": 3}""");
        var second = await RunAsync(server, """{"k": 4, "seed": 3}""");
        var personas = first.GetProperty("personas").EnumerateArray().ToList();
        Assert.Equal(4, personas.Count);
        Assert.Equal(1.0, personas.Sum(p => p.GetProperty("share").GetDouble()), 2);
        Assert.Equal(1.0, personas.Sum(p => p.GetProperty("valueShare").GetDouble()), 2);
        Assert.Equal(personas.Select(p => p.GetProperty("size").GetInt64()).OrderDescending(), personas.Select(p => p.GetProperty("size").GetInt64()));
        Assert.All(personas, p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("name").GetProperty("en").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("name").GetProperty("de").GetString()));
            Assert.NotEmpty(p.GetProperty("profile").GetProperty("separating").EnumerateArray());
            Assert.NotEmpty(p.GetProperty("profile").GetProperty("touchpoints").EnumerateArray());
        });
        Assert.Equal(4, personas.Select(p => p.GetProperty("name").GetProperty("en").GetString()).Distinct().Count());
        Assert.Contains(personas, p => p.GetProperty("profile").GetProperty("comments").GetArrayLength() > 0);

        // Stability: the same seed and data give the same personas, profiles and assignments.
        var again = second.GetProperty("personas").EnumerateArray().ToList();
        Assert.Equal(personas.Select(p => p.GetProperty("profile").ToString()), again.Select(p => p.GetProperty("profile").ToString()));
        await using (var database = new Database(target))
        await using (var connection = await database.OpenAsync())
        {
            var differing = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM persona_assignments a JOIN persona_assignments b ON b.customer_id = a.customer_id AND b.run_id = @second WHERE a.run_id = @first AND a.number <> b.number",
                new { first = first.GetProperty("id").GetInt64(), second = second.GetProperty("id").GetInt64() });
            Assert.Equal(0, differing);
        }

        // The list is the current (latest published) run; a persona reads by id; only the current run has scenarios.
        var current = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/personas");
        Assert.Equal(second.GetProperty("id").GetInt64(), current.GetProperty("id").GetInt64());
        Assert.True(current.GetProperty("current").GetBoolean());
        var p1 = current.GetProperty("personas")[0];
        var read = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/personas/{p1.GetProperty("id").GetInt64()}");
        Assert.Equal("p1", read.GetProperty("key").GetString());
        var scenario = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/personas/{p1.GetProperty("id").GetInt64()}/scenario");
        Assert.Equal("trait.persona:p1", scenario.GetProperty("filter").GetString());
        var journeys = scenario.GetProperty("journeys").EnumerateArray().ToList();
        Assert.NotEmpty(journeys);
        Assert.All(journeys, j => Assert.NotEmpty(j.GetProperty("paths").EnumerateArray()));
        var old = first.GetProperty("personas")[0].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Conflict, (await server.Admin.GetAsync($"/api/v1/personas/{old}/scenario")).StatusCode);

        // Journeys: the persona's instances are a part of everyone's.
        var journey = journeys[0].GetProperty("journey").GetString();
        var all = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/journeys/{journey}");
        var filtered = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/journeys/{journey}?filter=trait.persona:p1");
        Assert.InRange(filtered.GetProperty("instances").GetInt64(), 1, all.GetProperty("instances").GetInt64() - 1);
        Assert.Equal(journeys[0].GetProperty("instances").GetInt64(), filtered.GetProperty("instances").GetInt64());

        // Metrics: persona is a rolled-up trait; the personas partition the relationship answers.
        var surveys = await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/surveys");
        var relationship = surveys!.Single(s => s.GetProperty("name").GetString() == DemoSurveys.Get(DemoSurveys.RelationshipNps).Name).GetProperty("id").GetInt64();
        var total = (await server.Admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/analytics/metrics?metric=nps&survey={relationship}&interval=all"))!.Single();
        var byPersona = (await server.Admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/analytics/metrics?metric=nps&survey={relationship}&interval=all&by=trait.persona"))!;
        Assert.Equal(total.GetProperty("n").GetInt64(), byPersona.Sum(r => r.GetProperty("n").GetInt64()));
        Assert.True(byPersona.Count(r => r.GetProperty("group").GetProperty("trait.persona").GetString() is "p1" or "p2" or "p3" or "p4") >= 3);
        var onlyP1 = (await server.Admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/analytics/metrics?metric=nps&survey={relationship}&interval=all&filter=trait.persona:p1"))!.Single();
        Assert.Equal(byPersona.Single(r => r.GetProperty("group").GetProperty("trait.persona").GetString() == "p1").GetProperty("n").GetInt64(), onlyP1.GetProperty("n").GetInt64());

        // Drivers: the filter keeps the persona's respondents only.
        var drivers = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/drivers?survey={relationship}&outcome=nps&samples=50");
        var driversP1 = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/drivers?survey={relationship}&outcome=nps&samples=50&filter=trait.persona:p1");
        Assert.InRange(driversP1.GetProperty("n").GetInt64(), 10, drivers.GetProperty("n").GetInt64() - 1);

        // Bad input: the field is named; nothing is run.
        await AssertProblemAsync(server, """{"k": "four"}""", HttpStatusCode.BadRequest, "k");
        await AssertProblemAsync(server, """{"k": 99}""", HttpStatusCode.UnprocessableEntity, "k");
        await AssertProblemAsync(server, """{"seed": 1.5}""", HttpStatusCode.BadRequest, "seed");
        await AssertProblemAsync(server, """{"publish": "yes"}""", HttpStatusCode.BadRequest, "publish");
        await AssertProblemAsync(server, "[1]", HttpStatusCode.BadRequest, "body");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/v1/personas/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/v1/personas/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Admin.GetAsync("/api/v1/personas?run=x")).StatusCode);
        Assert.Equal(second.GetProperty("id").GetInt64(), (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/personas")).GetProperty("id").GetInt64());
    }

    private static async Task<JsonElement> RunAsync(TestServer server, string body)
    {
        var response = await server.PostJsonAsync("/api/v1/personas", body, server.Admin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task AssertProblemAsync(TestServer server, string body, HttpStatusCode status, string field)
    {
        var response = await server.PostJsonAsync("/api/v1/personas", body, server.Admin);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
