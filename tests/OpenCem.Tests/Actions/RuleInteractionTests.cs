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

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task StruggingInSetup_ThirdFailureWithin30Minutes_OffersHelpOnce(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var touchpoint = await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new
        {
            key = "router-self-setup",
            name = "Router self-setup",
            channel = "app",
            events = new[] { "Router Setup Attempted" },
        });
        Assert.Equal(HttpStatusCode.Created, touchpoint.StatusCode);
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
        for (var i = 0; i < 100 && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM interactions") < 8; i++)
        {
            await Task.Delay(50);
        }

        for (var i = 0; i < 100 && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM help_offers") < 1; i++)
        {
            await server.Service<RuleWorker>().RunOnceAsync();
            await Task.Delay(50);
        }

        await Task.Delay(1000);
        await server.Service<RuleWorker>().RunOnceAsync();
        var offers = (await connection.QueryAsync<long>("SELECT customer_id FROM help_offers")).ToList();
        var anna = await connection.ExecuteScalarAsync<long>("SELECT customer_id FROM interactions WHERE message_id = 'a1'");
        Assert.Equal([anna], offers);
        var listed = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/help-offers?customer={anna}&channel=app");
        Assert.StartsWith("Setting up your router?", listed.GetProperty("offers")[0].GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.Admin.GetAsync("/api/v1/help-offers")).StatusCode);
    }
}
