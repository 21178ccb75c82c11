using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Organisation;

public sealed class InitiativeApiTests
{
    /// <summary>Monday 1 June 2026, 12:00 UTC: "now" for these tests.</summary>
    internal static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Realisation starts on 1 March 2026: before is 1 Dec 2025 – 28 Feb, after from 31 March to the end of today.</summary>
    private static readonly DateTimeOffset Realisation = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    /// <param name="kind">The database.</param>
    /// <param name="minutes">
    /// Minutes after <see cref="Now"/>: metrics cache parsed surveys by id and update time across databases, so tests
    /// that create different surveys with the same id must not create them at the same instant.
    /// </param>
    internal static async Task<TestServer> StartAsync(DatabaseKind kind, int minutes = 0) =>
        await TestServer.StartAsync(kind, options => options with
        {
            Time = new FakeTimeProvider(Now.AddMinutes(minutes)),
            Configuration = new Dictionary<string, string?> { ["Cases:Clock"] = "false", ["Text:Worker"] = "false" },
        });

    internal static async Task<JsonElement> SendAsync(TestServer server, string path, string json, HttpStatusCode expected = HttpStatusCode.OK, string method = "POST")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        var response = await server.Admin.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    internal static async Task<long> SurveyAsync(TestServer server, string name, string definition)
    {
        var created = await server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create(name, definition), server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>The service survey's CSAT answers at the shop and on the web, before and after realisation (see the test for the counts).</summary>
    private static async Task<long> ServiceResponsesAsync(TestServer server)
    {
        foreach (var (key, channel) in new[] { ("shop", "shop"), ("web", "web") })
        {
            Assert.Equal(HttpStatusCode.Created, (await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new { key, name = key, channel, events = Array.Empty<string>() })).StatusCode);
        }

        var survey = await SurveyAsync(server, "Service", SurveyFixtures.Service);
        var csv = new StringBuilder("responseId,userId,submittedAt,touchpoint,csat\n");
        var n = 0;
        void Add(string touchpoint, DateTimeOffset day, int count, int csat)
        {
            for (var i = 0; i < count; i++, n++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"r-{n},u-{n % 50},{day.AddHours(i % 20):O},{touchpoint},{csat}\n");
            }
        }

        var before = new DateTimeOffset(2026, 1, 20, 0, 0, 0, TimeSpan.Zero);
        var after = new DateTimeOffset(2026, 4, 20, 0, 0, 0, TimeSpan.Zero);
        Add("shop", before, 16, 5);
        Add("shop", before, 24, 2);
        Add("shop", after, 30, 5);
        Add("shop", after, 10, 2);
        Add("web", before, 20, 4);
        Add("web", before, 20, 1);
        Add("web", after, 20, 4);
        Add("web", after, 20, 1);
        Add("shop", new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), 50, 1); // before the before window
        Add("shop", new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero), 50, 1); // in the lag
        var imported = await server.Admin.PostAsync($"/api/v1/surveys/{survey}/responses/import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        return survey;
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Initiative_ThroughItsPhases_BaselineAndEffectMatchTheHandComputedNumbers(DatabaseKind kind)
    {
        await using var server = await StartAsync(kind);
        var survey = await ServiceResponsesAsync(server);
        var created = await SendAsync(server, "/api/v1/initiatives", $$"""
            {"name": "Shop appointments", "owner": "Retail lead", "element": "service-processes", "startedAt": "2025-11-01T00:00:00Z",
             "kpis": [{"kind": "csat", "touchpoint": "shop", "target": 70},
                      {"kind": "csat", "measure": "mean", "survey": {{survey}}, "touchpoints": ["shop"], "comparison": ["web"]}],
             "packages": [{"name": "Booking page", "due": "2026-02-15"}]}
            """, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("strategy", created.GetProperty("phase").GetString());
        Assert.False(created.TryGetProperty("draft", out _));
        Assert.Equal(["solution-design", "stopped"], created.GetProperty("allowedTransitions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("planned", created.GetProperty("packages")[0].GetProperty("status").GetString());
        Assert.Equal("2026-02-15", created.GetProperty("packages")[0].GetProperty("due").GetString());

        var early = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/initiatives/{id}/effect");
        Assert.All(early.GetProperty("kpis").EnumerateArray(), k => Assert.Equal("too-little-data", k.GetProperty("verdict").GetString()));
        Assert.Contains("not entered realisation", early.GetProperty("kpis")[0].GetProperty("note").GetString(), StringComparison.Ordinal);

        var refused = await SendAsync(server, $"/api/v1/initiatives/{id}/transitions", """{"to": "realisation"}""", HttpStatusCode.Conflict);
        Assert.Equal(["solution-design", "stopped"], refused.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("to", refused.GetProperty("field").GetString());
        await SendAsync(server, $"/api/v1/initiatives/{id}/transitions", """{"to": "solution-design", "at": "2026-01-10T00:00:00Z", "by": "ana", "note": "approved"}""");
        var backwards = await SendAsync(server, $"/api/v1/initiatives/{id}/transitions", """{"to": "realisation", "at": "2026-01-01T00:00:00Z"}""", HttpStatusCode.UnprocessableEntity);
        Assert.True(backwards.GetProperty("errors").TryGetProperty("at", out _));
        var realised = await SendAsync(server, $"/api/v1/initiatives/{id}/transitions", $$"""{"to": "realisation", "at": "{{Realisation:O}}", "by": "ana"}""");
        Assert.Equal("realisation", realised.GetProperty("phase").GetString());
        Assert.Equal(
            ["strategy", "solution-design", "realisation"], realised.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phase").GetString()));
        Assert.Equal(Realisation, realised.GetProperty("phases")[1].GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal("approved", realised.GetProperty("history")[1].GetProperty("note").GetString());

        // Baseline: the 90 days before 1 March hold 16 fives and 24 twos at the shop: 40 % top-two box, mean (80 + 48)/40 = 3.2.
        var share = realised.GetProperty("kpis")[0].GetProperty("baseline");
        Assert.Equal(40, share.GetProperty("value").GetDouble(), 9);
        Assert.Equal(40, share.GetProperty("n").GetInt64());
        Assert.Equal(new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero), share.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(3.2, realised.GetProperty("kpis")[1].GetProperty("baseline").GetProperty("value").GetDouble(), 9);

        var effect = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/initiatives/{id}/effect");
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 0, 0, 0, TimeSpan.Zero), effect.GetProperty("after").GetProperty("from").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 6, 2, 0, 0, 0, TimeSpan.Zero), effect.GetProperty("after").GetProperty("to").GetDateTimeOffset());

        // Top-two box: 40 % → 75 % (n 40 each): SE 7.746 and 6.847, Δ 35 ± 1.96·10.338; the web (all other touchpoints)
        // stays at 50 % (SE 7.906): difference-in-differences 35, SE sqrt(60 + 46.875 + 62.5 + 62.5) = 15.228, 1.96·SE = 29.85.
        var top = effect.GetProperty("kpis")[0];
        Assert.Equal(40, top.GetProperty("before").GetProperty("value").GetDouble());
        Assert.Equal(75, top.GetProperty("after").GetProperty("value").GetDouble());
        Assert.Equal(40, top.GetProperty("after").GetProperty("n").GetInt64());
        Assert.Equal(35, top.GetProperty("difference").GetProperty("value").GetDouble());
        Assert.Equal(Math.Round(35 - (1.959963984540054 * Math.Sqrt(60 + 46.875)), 2), top.GetProperty("difference").GetProperty("low").GetDouble());
        Assert.True(top.GetProperty("difference").GetProperty("significant").GetBoolean());
        Assert.Equal(50, top.GetProperty("comparisonBefore").GetProperty("value").GetDouble());
        Assert.Equal(50, top.GetProperty("comparisonAfter").GetProperty("value").GetDouble());
        Assert.Equal(35, top.GetProperty("differenceInDifferences").GetProperty("value").GetDouble());
        Assert.Equal(Math.Round(35 - (1.959963984540054 * Math.Sqrt(231.875)), 2), top.GetProperty("differenceInDifferences").GetProperty("low").GetDouble());
        Assert.Equal("improved", top.GetProperty("verdict").GetString());
        Assert.Equal("difference-in-differences", top.GetProperty("basis").GetString());
        Assert.True(top.GetProperty("targetMet").GetBoolean());

        // The mean: 3.2 → (150 + 20)/40 = 4.25 at the shop; the web 2.5 → 2.5.
        var mean = effect.GetProperty("kpis")[1];
        Assert.Equal(3.2, mean.GetProperty("before").GetProperty("value").GetDouble());
        Assert.Equal(4.25, mean.GetProperty("after").GetProperty("value").GetDouble());
        Assert.Equal(2.5, mean.GetProperty("comparisonAfter").GetProperty("value").GetDouble());
        Assert.Equal("improved", mean.GetProperty("verdict").GetString());

        await SendAsync(server, $"/api/v1/initiatives/{id}/transitions", """{"to": "standardisation"}""");
        var done = await SendAsync(server, $"/api/v1/initiatives/{id}/transitions", """{"to": "completed"}""");
        Assert.Empty(done.GetProperty("allowedTransitions").EnumerateArray());
        var final = await SendAsync(server, $"/api/v1/initiatives/{id}/transitions", """{"to": "stopped"}""", HttpStatusCode.Conflict);
        Assert.Contains("none (final phase)", final.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var list = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/initiatives?phase=completed");
        Assert.Equal(id, list[0].GetProperty("id").GetInt64());
        Assert.Equal(2, list[0].GetProperty("kpis").GetInt32());
        Assert.Equal(0, (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/initiatives?phase=strategy")).GetArrayLength());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Initiative_BadInputIsRefusedNamingTheField_PackagesAndKpisChangeAndGo(DatabaseKind kind)
    {
        await using var server = await StartAsync(kind);
        Assert.Equal(HttpStatusCode.Created, (await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new { key = "shop", name = "Shop", channel = "shop", events = Array.Empty<string>() })).StatusCode);

        var bad = await SendAsync(server, "/api/v1/initiatives", """
            {"name": "", "element": "marketing", "beforeDays": 0, "startedAt": "2030-01-01T00:00:00Z",
             "kpis": [{"kind": "nps", "touchpoint": "nowhere"}, {"kind": "metric"}, {"kind": "enps", "survey": 999}], "packages": [{"status": "late"}]}
            """, HttpStatusCode.UnprocessableEntity);
        var errors = bad.GetProperty("errors");
        foreach (var field in new[] { "name", "element", "beforeDays", "startedAt", "kpis[0].touchpoints", "kpis[1].question", "kpis[2].survey", "packages[0].name", "packages[0].status" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} missing in {errors}");
        }

        Assert.Equal(0, (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/initiatives")).GetArrayLength());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.Admin.GetAsync("/api/v1/initiatives?phase=dreaming")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/v1/initiatives/999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/v1/initiatives/999/effect")).StatusCode);
        await SendAsync(server, "/api/v1/initiatives/999/transitions", """{"to": "stopped"}""", HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Admin.PostAsync("/api/v1/initiatives", new StringContent("{\"name\": 5", Encoding.UTF8, "application/json"))).StatusCode);

        var id = (await SendAsync(server, "/api/v1/initiatives", """{"name": "Callback"}""", HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var unknown = await SendAsync(server, $"/api/v1/initiatives/{id}/transitions", """{"to": "finished"}""", HttpStatusCode.UnprocessableEntity);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("to", out _));
        var patched = await SendAsync(server, $"/api/v1/initiatives/{id}", """{"description": "Call back instead of queueing", "element": "channels-interaction", "lagDays": 14}""", method: "PATCH");
        Assert.Equal("channels-interaction", patched.GetProperty("element").GetString());
        Assert.Equal(14, patched.GetProperty("lagDays").GetInt32());
        Assert.Equal("Callback", patched.GetProperty("name").GetString());
        await SendAsync(server, $"/api/v1/initiatives/{id}", """{"lagDays": -3}""", HttpStatusCode.UnprocessableEntity, "PATCH");

        var package = await SendAsync(server, $"/api/v1/initiatives/{id}/packages", """{"name": "Telephony", "due": "2026-09-01"}""", HttpStatusCode.Created);
        var packageId = package.GetProperty("id").GetInt64();
        var moved = await SendAsync(server, $"/api/v1/initiatives/{id}/packages/{packageId}", """{"status": "in-progress"}""", method: "PATCH");
        Assert.Equal("in-progress", moved.GetProperty("status").GetString());
        Assert.Equal("Telephony", moved.GetProperty("name").GetString());
        await SendAsync(server, $"/api/v1/initiatives/{id}/packages/{packageId}", """{"status": "someday"}""", HttpStatusCode.UnprocessableEntity, "PATCH");
        await SendAsync(server, $"/api/v1/initiatives/{id}/packages/12345", """{"status": "done"}""", HttpStatusCode.NotFound, "PATCH");

        var kpi = await SendAsync(server, $"/api/v1/initiatives/{id}/kpis", """{"kind": "sla-attainment", "team": "care", "target": 90}""", HttpStatusCode.Created);
        var kpiId = kpi.GetProperty("id").GetInt64();
        var retargeted = await SendAsync(server, $"/api/v1/initiatives/{id}/kpis/{kpiId}", """{"target": 95, "touchpoint": "shop"}""", method: "PATCH");
        Assert.Equal(95, retargeted.GetProperty("target").GetDouble());
        Assert.Equal("care", retargeted.GetProperty("team").GetString());
        Assert.Equal(["shop"], retargeted.GetProperty("touchpoints").EnumerateArray().Select(t => t.GetString()));
        var wrong = await SendAsync(server, $"/api/v1/initiatives/{id}/kpis/{kpiId}", """{"comparison": ["shop"]}""", HttpStatusCode.UnprocessableEntity, "PATCH");
        Assert.True(wrong.GetProperty("errors").TryGetProperty("comparison", out _));
        var kpis = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/initiatives/{id}/kpis");
        Assert.Equal(95, kpis[0].GetProperty("target").GetDouble());

        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin.DeleteAsync($"/api/v1/initiatives/{id}/kpis/{kpiId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin.DeleteAsync($"/api/v1/initiatives/{id}/packages/{packageId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.DeleteAsync($"/api/v1/initiatives/{id}/packages/{packageId}")).StatusCode);
        var empty = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/initiatives/{id}");
        Assert.Equal(0, empty.GetProperty("kpis").GetArrayLength());
        Assert.Equal(0, empty.GetProperty("packages").GetArrayLength());

        await SendAsync(server, $"/api/v1/initiatives/{id}/packages", """{"name": "Pilot"}""", HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin.DeleteAsync($"/api/v1/initiatives/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync($"/api/v1/initiatives/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.DeleteAsync($"/api/v1/initiatives/{id}")).StatusCode);
    }
}
