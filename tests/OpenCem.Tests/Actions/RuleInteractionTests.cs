using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Actions.Rules;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Actions;

/// <summary>Rules on interactions: windowed counts read from the interactions table, the demo's own rules.</summary>
public sealed class RuleInteractionTests
{
    [Fact]
    public void DemoRules_AreValid()
    {
        foreach (var (name, json) in DemoRules.All)
        {
            var errors = new Dictionary<string, string[]>();
            Assert.True(RuleReader.Read(System.Text.Json.Nodes.JsonNode.Parse(json), errors) is not null, $"{name}: {string.Join("; ", errors.SelectMany(e => e.Value))}");
        }
    }

    [Fact]
    public void Count_CustomersMustBeThisOrAll()
    {
        var (condition, error) = RuleCondition.Parse("count({outcome: 'failure', within: '10m', customers: 'all'}) >= 5");
        Assert.Null(error);
        Assert.True(Assert.Single(condition!.Counts).AllCustomers);
        Assert.False(Assert.Single(RuleCondition.Parse("count({outcome: 'failure', within: '10m'}) >= 5").Condition!.Counts).AllCustomers);
        Assert.Contains("'this'", RuleCondition.Parse("count({within: '10m', customers: 'some'}) > 1").Error!.Message);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task FailureBurstAcrossCustomers_FiresOnceForTheWholeRule(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await AddSetupTouchpointAsync(server);
        const string Burst = """
            {"name": "Setup failure burst", "trigger": "interaction.recorded", "cooldownMinutes": 60, "cooldownScope": "rule",
             "condition": "interaction.outcome === 'failure' && count({touchpoint: 'router-self-setup', outcome: 'failure', within: '10m', customers: 'all'}) >= 4",
             "actions": [{"type": "openCase", "title": "Router setup failing for many customers", "priority": "urgent"}]}
            """;
        var created = await server.PostJsonAsync("/api/v1/rules", Burst, server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rule", rule.GetProperty("cooldownScope").GetString());
        var badScope = await server.PostJsonAsync("/api/v1/rules", Burst.Replace("\"rule\"", "\"team\"", StringComparison.Ordinal), server.Admin);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badScope.StatusCode);
        Assert.Contains("cooldownScope", await badScope.Content.ReadAsStringAsync());

        // Six customers fail once each within six minutes, a seventh twenty minutes later: no one customer fails
        // twice, yet the touchpoint is in trouble — one case, not one per customer.
        var start = DateTimeOffset.UtcNow.AddMinutes(-40);
        for (var i = 0; i < 7; i++)
        {
            var at = start.AddMinutes(i < 6 ? i : 26).ToString("O");
            var ok = await server.PostJsonAsync("/v1/track",
                $$$"""{"userId": "user-{{{i}}}", "event": "Router Setup Attempted", "messageId": "burst-{{{i}}}", "timestamp": "{{{at}}}", "properties": {"outcome": "failure"}}""");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        await using var connection = await new Database(server.Target).OpenAsync();
        await RunRulesAsync(server, connection, interactions: 7, until: "cases");
        var state = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/rules/{rule.GetProperty("id").GetInt64()}");
        Assert.True(state.GetProperty("failures").GetInt32() == 0, state.ToString());
        Assert.Equal(["Router setup failing for many customers"], (await connection.QueryAsync<string>("SELECT title FROM cases")).ToList());
        var fourth = await connection.ExecuteScalarAsync<long>("SELECT id FROM interactions WHERE message_id = 'burst-3'");
        Assert.Equal(fourth, await connection.ExecuteScalarAsync<long>("SELECT source_id FROM rule_firings"));

        // The dry-run applies the same whole-rule cooldown by event time.
        var from = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");
        var dry = await server.Admin.PostAsync($"/api/v1/rules/{rule.GetProperty("id").GetInt64()}/dry-run?from={from}", null);
        Assert.Equal(1, (await dry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("wouldFire").GetInt64());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task StruggingInSetup_ThirdFailureWithin30Minutes_OffersHelpOnce(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await AddSetupTouchpointAsync(server);
        var setup = DemoRules.All.Single(r => r.Name == "Struggling in setup").Json;
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonAsync("/api/v1/rules", setup, server.Admin)).StatusCode);

        var start = DateTimeOffset.UtcNow.AddMinutes(-50);
        async Task TrackAsync(string user, int minute, string outcome, string id)
        {
            var at = start.AddMinutes(minute).ToString("O");
            var ok = await server.PostJsonAsync("/v1/track",
                $$$"""{"userId": "{{{user}}}", "event": "Router Setup Attempted", "messageId": "{{{id}}}", "timestamp": "{{{at}}}", "properties": {"outcome": "{{{outcome}}}"}}""");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // Anna fails three times within 30 minutes, then a fourth: one offer (the cooldown). Ben's failures are 40 minutes apart.
        await TrackAsync("anna", 0, "failure", "a1");
        await TrackAsync("anna", 10, "failure", "a2");
        await TrackAsync("anna", 12, "success", "a3");
        await TrackAsync("anna", 20, "failure", "a4");
        await TrackAsync("anna", 25, "failure", "a5");
        await TrackAsync("ben", 0, "failure", "b1");
        await TrackAsync("ben", 40, "failure", "b2");
        await TrackAsync("ben", 49, "failure", "b3");

        await using var connection = await new Database(server.Target).OpenAsync();
        await RunRulesAsync(server, connection, interactions: 8, until: "help_offers");
        var offers = (await connection.QueryAsync<long>("SELECT customer_id FROM help_offers")).ToList();
        var anna = await connection.ExecuteScalarAsync<long>("SELECT customer_id FROM interactions WHERE message_id = 'a1'");
        Assert.Equal([anna], offers);
        var listed = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/help-offers?customer={anna}&channel=app");
        Assert.StartsWith("Setting up your router?", listed.GetProperty("offers")[0].GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.Admin.GetAsync("/api/v1/help-offers")).StatusCode);
    }

    private static async Task AddSetupTouchpointAsync(TestServer server)
    {
        var touchpoint = await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new
        {
            key = "router-self-setup",
            name = "Router self-setup",
            channel = "app",
            events = new[] { "Router Setup Attempted" },
        });
        Assert.Equal(HttpStatusCode.Created, touchpoint.StatusCode);
    }

    /// <summary>Waits for the tracked interactions to be stored, runs the rules until <paramref name="until"/> has a row, then once more after the settle time.</summary>
    private static async Task RunRulesAsync(TestServer server, System.Data.Common.DbConnection connection, int interactions, string until)
    {
        for (var i = 0; i < 100 && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM interactions") < interactions; i++)
        {
            await Task.Delay(50);
        }

        for (var i = 0; i < 100 && await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {until}") < 1; i++)
        {
            await server.Service<RuleWorker>().RunOnceAsync();
            await Task.Delay(50);
        }

        await Task.Delay(1000);
        await server.Service<RuleWorker>().RunOnceAsync();
    }
}
