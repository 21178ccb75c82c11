using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Actions.Rules;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Actions;

/// <summary>Rules through the API and the worker of a real server, on both databases.</summary>
public sealed class RuleApiTests
{
    private const string DetractorRule = """
        {"name": "Detractor follow-up", "trigger": "response.submitted", "condition": "response.nps <= 6",
         "actions": [
           {"type": "openCase", "title": "Call back a detractor", "priority": "high", "team": "retention"},
           {"type": "webhook", "webhookId": 7},
           {"type": "tag", "tag": "detractor"},
           {"type": "helpOffer", "channel": "web", "message": "Sorry to hear that. Can we call you?", "expiresInMinutes": 60},
           {"type": "email", "to": "cx-lead@example.com", "subject": "A detractor answered"}
         ]}
        """;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Create_BadCondition_Is422WithThePosition(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var response = await server.PostJsonAsync("/api/v1/rules",
            """{"name": "x", "trigger": "response.submitted", "condition": "response.nps <= 6 && customer.clv_percentile > 80", "actions": [{"type": "tag", "tag": "t"}]}""",
            server.Admin);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty("condition")[0].GetString();
        Assert.Contains("customer.clv_percentile", message);
        Assert.Contains("line 1, column 31", message);
        Assert.Empty((await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/rules")).GetProperty("rules").EnumerateArray());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Detractor_OpensOneCase_AndRunsEveryActionOnce(DatabaseKind kind)
    {
        await using var sink = new SmtpSink();
        await using var server = await TestServer.StartAsync(kind, options => options with { Smtp = new OpenCem.Feedback.Distribution.SmtpOptions { Host = "127.0.0.1", Port = sink.Port, Security = OpenCem.Feedback.Distribution.SmtpSecurity.None, From = "cx@example.com" } });
        var survey = await CreateSurveyAsync(server);
        var created = await server.PostJsonAsync("/api/v1/rules", DetractorRule, server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ruleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var detractor = await AnswerAsync(server, survey, "dana", 3);
        await AnswerAsync(server, survey, "pat", 10);
        var caseRow = await WaitForAsync(server, "SELECT COUNT(*) FROM cases", 1);

        // Running the rules again (a retry, a second process) acts on nothing twice.
        await server.Service<RuleWorker>().RunOnceAsync();
        await using var connection = await new Database(server.Target).OpenAsync();
        var opened = await connection.QuerySingleAsync<(long CustomerId, string Priority, string Team, string SourceKey, long ResponseId)>(
            "SELECT customer_id, priority, team, source_key, response_id FROM cases");
        Assert.Equal(("high", "retention", detractor.Response), (opened.Priority, opened.Team, opened.ResponseId));
        Assert.Equal(detractor.Customer, opened.CustomerId);
        Assert.StartsWith($"rule:{ruleId}:event:", opened.SourceKey);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cases"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rule_firings"));
        var fired = await connection.ExecuteScalarAsync<string>("SELECT payload FROM events WHERE type = 'rule.fired'");
        Assert.Equal(7, JsonDocument.Parse(fired!).RootElement.GetProperty("webhookId").GetInt64());
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE type = 'help.offered'"));
        Assert.Equal("detractor", await connection.ExecuteScalarAsync<string>("SELECT tag FROM customer_tags WHERE customer_id = @c", new { c = detractor.Customer }));

        var offers = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/help-offers?customer={detractor.Customer}&channel=web");
        Assert.Equal("Sorry to hear that. Can we call you?", offers.GetProperty("offers")[0].GetProperty("message").GetString());
        var mail = Assert.Single(await sink.WaitForAsync(1, TimeSpan.FromSeconds(20)));
        Assert.Equal("A detractor answered", mail.Message.Subject);
        Assert.Contains("Detractor follow-up", mail.Message.TextBody);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task FailingRule_IsPausedAfterRepeatedFailures_AndShowsWhy(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await CreateSurveyAsync(server);
        var created = await server.PostJsonAsync("/api/v1/rules",
            """{"name": "Long comments", "trigger": "response.submitted", "condition": "response.comment.length > 100", "actions": [{"type": "tag", "tag": "t"}]}""",
            server.Admin);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        for (var i = 0; i < RuleEngine.MaxFailures; i++)
        {
            await AnswerAsync(server, survey, $"p{i}", 9);
        }

        JsonElement rule = default;
        for (var wait = 0; wait < 100; wait++)
        {
            await server.Service<RuleWorker>().RunOnceAsync();
            rule = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/rules/{id}");
            if (rule.GetProperty("status").GetString() == "paused")
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal("paused", rule.GetProperty("status").GetString());
        Assert.Contains("length", rule.GetProperty("lastError").GetString());
        Assert.True(rule.TryGetProperty("pausedAt", out _));

        // Saving the rule again starts it afresh.
        var updated = await server.Admin.PutAsync($"/api/v1/rules/{id}", JsonContent.Create(JsonDocument.Parse(
            """{"name": "Long comments", "trigger": "response.submitted", "condition": "(response.comment || '').length > 100", "actions": [{"type": "tag", "tag": "t"}]}""").RootElement));
        Assert.Equal("active", (await updated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task DryRun_CountsWhatWouldHaveFired_WithoutActing(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await CreateSurveyAsync(server);
        int[] scores = [0, 3, 6, 7, 9, 10, 2];
        foreach (var (score, i) in scores.Select((s, i) => (s, i)))
        {
            await AnswerAsync(server, survey, $"c{i}", score);
        }

        var created = await server.PostJsonAsync("/api/v1/rules", DetractorRule.Replace("\"trigger\"", "\"enabled\": false, \"trigger\"", StringComparison.Ordinal), server.Admin);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var from = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");
        var dry = await server.Admin.PostAsync($"/api/v1/rules/{id}/dry-run?from={from}", null);
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var result = await dry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(4, result.GetProperty("wouldFire").GetInt64());
        Assert.Equal(7, result.GetProperty("scanned").GetInt64());
        Assert.Equal(4, result.GetProperty("perDay").EnumerateArray().Sum(d => d.GetProperty("count").GetInt64()));
        Assert.Equal(4, result.GetProperty("samples").GetArrayLength());
        Assert.Equal("would have fired 4 times", result.GetProperty("summary").GetString());

        await using var connection = await new Database(server.Target).OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cases"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.Admin.PostAsync($"/api/v1/rules/{id}/dry-run?from=yesterday", null)).StatusCode);
    }

    internal static async Task<long> CreateSurveyAsync(TestServer server)
    {
        var response = await server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create("Relationship", SurveyFixtures.Nps), server.Admin);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    internal static async Task<(long Response, long Customer)> AnswerAsync(TestServer server, long survey, string user, int nps)
    {
        var answers = nps <= 6 ? $$"""{"nps": {{nps}}, "reason": "price"}""" : $$"""{"nps": {{nps}}}""";
        var ok = await server.PostJsonAsync("/api/v1/responses", $$"""{"surveyId": {{survey}}, "userId": "{{user}}", "answers": {{answers}} }""", server.Admin);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetInt64(), body.GetProperty("customerId").GetInt64());
    }

    private static async Task<long> WaitForAsync(TestServer server, string sql, long expected)
    {
        await using var connection = await new Database(server.Target).OpenAsync();
        for (var i = 0; i < 200; i++)
        {
            var value = await connection.ExecuteScalarAsync<long>(sql);
            if (value >= expected)
            {
                return value;
            }

            await Task.Delay(50);
        }

        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
