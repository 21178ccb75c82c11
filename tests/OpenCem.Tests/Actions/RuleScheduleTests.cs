using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using OpenCem.Actions.Rules;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Actions;

/// <summary>Schedule rules whose condition selects customers: actions per customer, once per occurrence, bounded, logged.</summary>
public sealed class RuleScheduleTests
{
    /// <summary>Monday 2 February 2026, midnight UTC; the rules run daily at 01:00.</summary>
    private static readonly DateTimeOffset Start = new(2026, 2, 2, 0, 0, 0, TimeSpan.Zero);

    private const string AtRisk = """
        {"name": "At risk and silent", "trigger": "schedule", "schedule": "0 1 * * *", "cooldownMinutes": 10080,
         "condition": "customer.churnRisk > 0.7 && count({within: '30d'}) == 0",
         "actions": [{"type": "openCase", "title": "Call an at-risk customer", "priority": "high"}, {"type": "tag", "tag": "at-risk"},
                     {"type": "webhook", "webhookId": 1}]}
        """;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task CustomerSchedule_ActsOncePerSelectedCustomer_BoundedWithOverflowLogged_RestLaterByCooldown(DatabaseKind kind)
    {
        var (server, time) = await StartAsync(kind, maxCustomers: 2);
        await using var _ = server;
        // a, b, c are at risk and silent for 60 days; d is not at risk; e is at risk but was in touch an hour ago.
        var customers = await CustomersAsync(server, time, ("a", 0.9, -60 * 24), ("b", 0.8, -60 * 24), ("c", 0.95, -60 * 24), ("d", 0.2, -60 * 24), ("e", 0.99, -1));
        var created = await server.PostJsonAsync("/api/v1/rules", AtRisk, server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ruleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        // Two engines (as two server processes, besides the server's own worker) run the 01:00 occurrence at once,
        // then again: it is acted on once. (Which of them fired is theirs to race for, so the tables are asked.)
        time.Advance(TimeSpan.FromMinutes(90));
        var other = new RuleEngine(server.Service<Database>(), server.Service<RuleFactsReader>(), server.Service<RuleActions>(), new RuleOptions { MaxCustomersPerOccurrence = 2 }, time);
        await Task.WhenAll(server.Service<RuleEngine>().RunOnceAsync(), other.RunOnceAsync(), server.Service<RuleWorker>().RunOnceAsync());
        await Task.WhenAll(server.Service<RuleEngine>().RunOnceAsync(), other.RunOnceAsync());

        await using var connection = await new Database(server.Target).OpenAsync();
        Assert.Equal([customers["a"], customers["b"]], await CaseCustomersAsync(connection));
        Assert.Equal([customers["a"], customers["b"]], (await connection.QueryAsync<long>("SELECT customer_id FROM customer_tags WHERE tag = 'at-risk' ORDER BY customer_id")).ToList());
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE type = 'rule.fired'"));
        Assert.Equal(["schedule@2026-02-02T01:00Z"], (await connection.QueryAsync<string>("SELECT DISTINCT source_kind FROM rule_firings")).ToList());

        var runs = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/rules/{ruleId}/runs");
        var run = Assert.Single(runs.GetProperty("runs").EnumerateArray());
        Assert.Equal(Start.AddHours(1), run.GetProperty("occurrenceAt").GetDateTimeOffset());
        Assert.Equal((5, 3, 2, 1), (run.GetProperty("customersScanned").GetInt64(), run.GetProperty("matched").GetInt64(), run.GetProperty("fired").GetInt64(), run.GetProperty("overflow").GetInt64()));
        Assert.Contains("1 left for a later occurrence", run.GetProperty("note").GetString());

        // The next day a and b cool down (a week), so c's turn comes; nothing is left over.
        time.Advance(TimeSpan.FromDays(1));
        await server.Service<RuleWorker>().RunOnceAsync();
        Assert.Equal([customers["a"], customers["b"], customers["c"]], await CaseCustomersAsync(connection));
        var latest = (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/rules/{ruleId}/runs")).GetProperty("runs")[0];
        Assert.Equal((1, 0), (latest.GetProperty("matched").GetInt64(), latest.GetProperty("overflow").GetInt64()));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/v1/rules/9999/runs")).StatusCode);

        // The dry-run asks the same question per customer and occurrence (today's profile): two days, a, b, c each day.
        var dry = await server.Admin.PostAsync($"/api/v1/rules/{ruleId}/dry-run?from=2026-02-02&to=2026-02-04", null);
        var result = await dry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(10, result.GetProperty("scanned").GetInt64());
        Assert.Equal(3, result.GetProperty("wouldFire").GetInt64());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task CustomerSchedule_SurveyInvitations_RespectTheContactFrequency(DatabaseKind kind)
    {
        var (server, time) = await StartAsync(kind, maxCustomers: 100);
        await using var _ = server;
        var customers = await CustomersAsync(server, time, ("a", 0.9, -60 * 24), ("b", 0.1, -60 * 24));
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.PutAsync("/api/v1/contact-rules",
            JsonContent.Create(new { maxInvitations = 1, periodDays = 30, consent = "unlessRefused" }))).StatusCode);
        var survey = await server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create("Check-in", SurveyFixtures.Nps), server.Admin);
        var surveyId = (await survey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var rule = $$"""
            {"name": "Check in with the at-risk", "trigger": "schedule", "schedule": "0 1 * * *", "condition": "customer.churnRisk > 0.7",
             "actions": [{"type": "survey", "surveyId": {{surveyId}}, "channel": "link"}]}
            """;
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonAsync("/api/v1/rules", rule, server.Admin)).StatusCode);

        // Daily, no cooldown: a is selected on both days, but the contact rules allow one invitation in 30 days.
        time.Advance(TimeSpan.FromMinutes(90));
        await server.Service<RuleWorker>().RunOnceAsync();
        time.Advance(TimeSpan.FromDays(1));
        await server.Service<RuleWorker>().RunOnceAsync();

        await using var connection = await new Database(server.Target).OpenAsync();
        var invitations = (await connection.QueryAsync<(long CustomerId, string Status, string? Reason)>(
            "SELECT customer_id AS CustomerId, status AS Status, suppressed_reason AS Reason FROM survey_invitations ORDER BY id")).ToList();
        Assert.True(invitations.Count == 2, string.Join("; ", invitations));
        Assert.All(invitations, i => Assert.Equal(customers["a"], i.CustomerId));
        Assert.Null(invitations[0].Reason);
        Assert.StartsWith("contact frequency", invitations[1].Reason);
    }

    [Fact]
    public void SelectsCustomers_WhenTheConditionReadsTheCustomerOrCountsTheirInteractions()
    {
        Assert.True(RuleCondition.Parse("customer.churnRisk > 0.7").Condition!.SelectsCustomers);
        Assert.True(RuleCondition.Parse("count({within: '30d'}) == 0").Condition!.SelectsCustomers);
        Assert.False(RuleCondition.Parse("count({outcome: 'failure', within: '1h', customers: 'all'}) > 50").Condition!.SelectsCustomers);
        Assert.False(RuleCondition.Parse("event.type == 'schedule'").Condition!.SelectsCustomers);
    }

    private static async Task<(TestServer Server, FakeTimeProvider Time)> StartAsync(DatabaseKind kind, int maxCustomers)
    {
        var time = new FakeTimeProvider(Start);
        var server = await TestServer.StartAsync(kind, options => options with
        {
            Time = time,
            Configuration = new Dictionary<string, string?>
            {
                ["Cases:Clock"] = "false",
                ["Text:Worker"] = "false",
                ["Rules:MaxCustomersPerOccurrence"] = maxCustomers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });
        return (server, time);
    }

    /// <summary>Customers known from one tracked interaction each (hours before now), with a churn risk; their ids by user.</summary>
    private static async Task<Dictionary<string, long>> CustomersAsync(TestServer server, FakeTimeProvider time, params (string User, double ChurnRisk, int HoursAgo)[] customers)
    {
        foreach (var (user, _, hours) in customers)
        {
            var at = time.GetUtcNow().AddHours(hours).ToString("O");
            Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/v1/track",
                $$"""{"userId": "{{user}}", "event": "Logged In", "messageId": "m-{{user}}", "timestamp": "{{at}}"}""")).StatusCode);
        }

        await using var connection = await new Database(server.Target).OpenAsync();
        for (var i = 0; i < 200 && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM interactions") < customers.Length; i++)
        {
            await Task.Delay(50);
        }

        var ids = new Dictionary<string, long>();
        foreach (var (user, risk, _) in customers)
        {
            var id = await connection.ExecuteScalarAsync<long>("SELECT customer_id FROM interactions WHERE message_id = @m", new { m = $"m-{user}" });
            await connection.ExecuteAsync(
                "INSERT INTO customer_values (workspace_id, customer_id, churn_risk, updated_at) SELECT workspace_id, id, @risk, 0 FROM customers WHERE id = @id",
                new { risk, id });
            ids[user] = id;
        }

        return ids;
    }

    private static async Task<List<long>> CaseCustomersAsync(System.Data.Common.DbConnection connection) =>
        (await connection.QueryAsync<long>("SELECT customer_id FROM cases ORDER BY customer_id")).ToList();
}
