using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Organisation;

public sealed class AssessmentApiTests
{
    private static async Task<JsonElement> SendAsync(TestServer server, string method, string path, string? json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await server.Admin.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: {response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static Task<JsonElement> GetAsync(TestServer server, string path) => SendAsync(server, "GET", path, null, HttpStatusCode.OK);

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Assessments_CreateRateTargetIndexCompareAndDelete(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);

        var criteria = await GetAsync(server, "/api/v1/assessments/criteria");
        Assert.Equal(10, criteria.GetProperty("elements").GetArrayLength());
        var service = criteria.GetProperty("elements")[4];
        Assert.Equal("service-processes", service.GetProperty("key").GetString());
        Assert.Equal("Serviceprozesse", service.GetProperty("nameDe").GetString());
        Assert.Contains("service-processes.sla", service.GetProperty("criteria").EnumerateArray().Select(c => c.GetProperty("key").GetString()));
        Assert.Contains("sla-attainment", service.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("key").GetString()));

        var first = await SendAsync(server, "POST", "/api/v1/assessments", """
            {"name": "Baseline 2025", "assessedAt": "2025-11-01", "assessors": ["ana", {"name": "ben", "role": "head of service"}], "targets": {"service-processes": 4}}
            """, HttpStatusCode.Created);
        var firstId = first.GetProperty("id").GetInt64();
        Assert.Equal("draft", first.GetProperty("status").GetString());
        Assert.Equal(new DateTimeOffset(2025, 11, 1, 0, 0, 0, TimeSpan.Zero), first.GetProperty("assessedAt").GetDateTimeOffset());
        Assert.Equal("head of service", first.GetProperty("assessors")[1].GetProperty("role").GetString());
        Assert.Equal(4, first.GetProperty("targets").GetProperty("service-processes").GetDouble());
        await SendAsync(server, "PUT", $"/api/v1/assessments/{firstId}/ratings", """
            [{"criterion": "service-processes.sla", "assessor": "ana", "rating": 2}, {"criterion": "service-processes.sla", "assessor": "ben", "rating": 2}]
            """, HttpStatusCode.OK);

        var second = await SendAsync(server, "POST", "/api/v1/assessments", """{"name": "Review 2026", "assessedAt": "2026-11-01T09:00:00Z", "status": "open"}""", HttpStatusCode.Created);
        var id = second.GetProperty("id").GetInt64();
        var stored = await SendAsync(server, "PUT", $"/api/v1/assessments/{id}/ratings", """
            {"ratings": [
              {"criterion": "service-processes.sla", "assessor": "ana", "rating": 5, "evidence": "SLA report Q3"},
              {"criterion": "service-processes.sla", "assessor": "ben", "rating": 3},
              {"criterion": "service-processes.complaint-recovery", "assessor": "ana", "rating": 2},
              {"criterion": "customer-insight.feedback-loop", "assessor": "cem", "rating": 1}]}
            """, HttpStatusCode.OK);
        Assert.Equal(4, stored.GetArrayLength());
        // A second rating by the same assessor of the same criterion replaces the first.
        await SendAsync(server, "PUT", $"/api/v1/assessments/{id}/ratings", """[{"criterion": "customer-insight.feedback-loop", "assessor": "cem", "rating": 4, "evidence": "relationship survey live"}]""", HttpStatusCode.OK);
        var ratings = await GetAsync(server, $"/api/v1/assessments/{id}/ratings");
        Assert.Equal(4, ratings.GetArrayLength());
        var cem = ratings.EnumerateArray().Single(r => r.GetProperty("assessor").GetString() == "cem");
        Assert.Equal((4, "relationship survey live", "customer-insight"), (cem.GetProperty("rating").GetInt32(), cem.GetProperty("evidence").GetString(), cem.GetProperty("element").GetString()));
        var targets = await SendAsync(server, "PUT", $"/api/v1/assessments/{id}/targets", """{"service-processes": 4.5, "customer-insight": 4}""", HttpStatusCode.OK);
        Assert.Equal(2, targets.GetProperty("targets").EnumerateObject().Count());
        Assert.Equal(["ana", "ben", "cem"], (await GetAsync(server, $"/api/v1/assessments/{id}")).GetProperty("assessors").EnumerateArray().Select(a => a.GetProperty("name").GetString()!).Order().ToArray());

        var index = await GetAsync(server, $"/api/v1/assessments/{id}/index?compareTo={firstId}");
        // Service processes: sla (5 + 3) / 2 = 4, recovery 2 → 3; customer insight 4. Index ((3 + 4) / 2 − 1) / 4 × 100 = 62.5.
        Assert.Equal(62.5, index.GetProperty("index").GetDouble());
        Assert.False(index.GetProperty("complete").GetBoolean());
        Assert.Equal(8, index.GetProperty("unrated").GetArrayLength());
        var element = index.GetProperty("elements").EnumerateArray().Single(e => e.GetProperty("key").GetString() == "service-processes");
        Assert.Equal(3, element.GetProperty("score").GetDouble());
        Assert.Equal(2, element.GetProperty("assessorCount").GetInt32());
        Assert.Equal(1.5, element.GetProperty("gap").GetDouble());
        Assert.Equal(4, element.GetProperty("criteria")[0].GetProperty("mean").GetDouble());
        var sla = element.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("key").GetString() == "sla-attainment");
        Assert.False(string.IsNullOrEmpty(sla.GetProperty("definition").GetString()));
        Assert.False(sla.TryGetProperty("value", out var value) && value.ValueKind != JsonValueKind.Null);
        Assert.False(sla.GetProperty("contradicted").GetBoolean());
        Assert.Equal(
            ["service-processes", "customer-insight"],
            index.GetProperty("gaps").EnumerateArray().Select(g => g.GetProperty("element").GetString()!).ToArray());
        var comparison = index.GetProperty("comparison");
        Assert.Equal(firstId, comparison.GetProperty("id").GetInt64());
        // Baseline: service processes 2 → 25; change +37.5, service processes +1.
        Assert.Equal(25, comparison.GetProperty("index").GetDouble());
        Assert.Equal(37.5, comparison.GetProperty("indexChange").GetDouble());
        Assert.Equal(1, comparison.GetProperty("elements").EnumerateArray().Single(e => e.GetProperty("element").GetString() == "service-processes").GetProperty("change").GetDouble());

        var list = await GetAsync(server, "/api/v1/assessments");
        Assert.Equal([id, firstId], list.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).ToArray());
        Assert.Equal(3, list[0].GetProperty("assessors").GetInt64());
        Assert.Equal(4, list[0].GetProperty("ratings").GetInt64());

        var closed = await SendAsync(server, "PATCH", $"/api/v1/assessments/{id}", """{"status": "closed", "notes": "Agreed in the management meeting"}""", HttpStatusCode.OK);
        Assert.Equal(("closed", "Agreed in the management meeting", "Review 2026"), (closed.GetProperty("status").GetString(), closed.GetProperty("notes").GetString(), closed.GetProperty("name").GetString()));
        var refused = await SendAsync(server, "PUT", $"/api/v1/assessments/{id}/ratings", """[{"criterion": "people.training", "assessor": "ana", "rating": 3}]""", HttpStatusCode.Conflict);
        Assert.Equal("status", refused.GetProperty("field").GetString());
        var cleared = await SendAsync(server, "PATCH", $"/api/v1/assessments/{id}", """{"notes": null}""", HttpStatusCode.OK);
        Assert.False(cleared.TryGetProperty("notes", out var notes) && notes.ValueKind != JsonValueKind.Null);

        await SendAsync(server, "DELETE", $"/api/v1/assessments/{firstId}", null, HttpStatusCode.NoContent);
        await SendAsync(server, "GET", $"/api/v1/assessments/{firstId}", null, HttpStatusCode.NotFound);
        await SendAsync(server, "GET", $"/api/v1/assessments/{firstId}/ratings", null, HttpStatusCode.NotFound);
        Assert.Equal(1, (await GetAsync(server, "/api/v1/assessments")).GetArrayLength());

        // The bodies the endpoints read by hand are still described in the OpenAPI document.
        var paths = (await GetAsync(server, "/openapi/v1.json")).GetProperty("paths");
        Assert.True(paths.GetProperty("/api/v1/assessments/{id}/ratings").GetProperty("put").TryGetProperty("requestBody", out _));
        Assert.True(paths.GetProperty("/api/v1/assessments/{id}/index").TryGetProperty("get", out _));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Assessments_BadInput_ProblemsNamingTheFieldAndNothingStored(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = (await SendAsync(server, "POST", "/api/v1/assessments", """{"name": "Review"}""", HttpStatusCode.Created)).GetProperty("id").GetInt64();
        await SendAsync(server, "PUT", $"/api/v1/assessments/{id}/ratings", """[{"criterion": "people.training", "assessor": "ana", "rating": 3}]""", HttpStatusCode.OK);

        var six = await SendAsync(server, "PUT", $"/api/v1/assessments/{id}/ratings", """
            [{"criterion": "people.training", "assessor": "ana", "rating": 4}, {"criterion": "people.training", "assessor": "ben", "rating": 6}]
            """, HttpStatusCode.UnprocessableEntity);
        Assert.True(six.GetProperty("errors").TryGetProperty("ratings[1].rating", out _));
        var unknown = await SendAsync(server, "PUT", $"/api/v1/assessments/{id}/ratings", """[{"criterion": "people.happiness", "assessor": "ana", "rating": 4}]""", HttpStatusCode.UnprocessableEntity);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("ratings[0].criterion", out _));
        var missing = await SendAsync(server, "PUT", $"/api/v1/assessments/{id}/ratings", """[{"criterion": "people.training", "rating": "4"}]""", HttpStatusCode.UnprocessableEntity);
        Assert.True(missing.GetProperty("errors").TryGetProperty("ratings[0].assessor", out _));
        Assert.True(missing.GetProperty("errors").TryGetProperty("ratings[0].rating", out _));
        await SendAsync(server, "PUT", $"/api/v1/assessments/{id}/ratings", "[]", HttpStatusCode.UnprocessableEntity);
        await SendAsync(server, "PUT", $"/api/v1/assessments/{id}/ratings", "[{", HttpStatusCode.BadRequest);
        // The batch with one bad rating stored nothing: ana's 3 stands.
        var ratings = await GetAsync(server, $"/api/v1/assessments/{id}/ratings");
        Assert.Equal(3, ratings.EnumerateArray().Single().GetProperty("rating").GetInt32());

        var notFound = await SendAsync(server, "PUT", "/api/v1/assessments/999999/ratings", """[{"criterion": "people.training", "assessor": "ana", "rating": 3}]""", HttpStatusCode.NotFound);
        Assert.Equal("id", notFound.GetProperty("field").GetString());
        await SendAsync(server, "GET", "/api/v1/assessments/999999/index", null, HttpStatusCode.NotFound);
        await SendAsync(server, "PATCH", "/api/v1/assessments/999999", """{"name": "x"}""", HttpStatusCode.NotFound);
        await SendAsync(server, "DELETE", "/api/v1/assessments/999999", null, HttpStatusCode.NotFound);
        await SendAsync(server, "PUT", "/api/v1/assessments/999999/targets", """{"people": 4}""", HttpStatusCode.NotFound);
        var compare = await SendAsync(server, "GET", $"/api/v1/assessments/{id}/index?compareTo=999999", null, HttpStatusCode.UnprocessableEntity);
        Assert.True(compare.GetProperty("errors").TryGetProperty("compareTo", out _));

        var target = await SendAsync(server, "PUT", $"/api/v1/assessments/{id}/targets", """{"people": 7, "morale": 3}""", HttpStatusCode.UnprocessableEntity);
        Assert.True(target.GetProperty("errors").TryGetProperty("targets.people", out _));
        Assert.True(target.GetProperty("errors").TryGetProperty("targets.morale", out _));
        var create = await SendAsync(server, "POST", "/api/v1/assessments", """{"name": " ", "assessedAt": "last week", "status": "done", "targets": {"people": 0}}""", HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["assessedAt", "name", "status", "targets.people"], create.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToArray());
        var patch = await SendAsync(server, "PATCH", $"/api/v1/assessments/{id}", """{"status": "finished"}""", HttpStatusCode.UnprocessableEntity);
        Assert.True(patch.GetProperty("errors").TryGetProperty("status", out _));
        await SendAsync(server, "POST", "/api/v1/assessments", "[1]", HttpStatusCode.BadRequest);
        Assert.Equal(1, (await GetAsync(server, "/api/v1/assessments")).GetArrayLength());
        Assert.Equal("Review", (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{id}")).GetProperty("name").GetString());
    }
}
