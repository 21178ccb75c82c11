using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Actions.Cases;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Actions;

[Collection(DemoDatabases.MediumCollection)]
public sealed class CaseDemoTests
{
    private static readonly DemoOptions Options = DemoDatabases.Medium;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Demo_DetractorsFollowedUpWithinTheSla_RecoverFarMoreOften(DatabaseKind kind)
    {
        var target = (await DemoDatabases.CopyAsync(kind, Options)).Target;

        await using var server = await TestServer.StartAsync(kind, options => options with
        {
            Configuration = new Dictionary<string, string?> { ["Cases:Clock"] = "false", ["Text:Worker"] = "false" },
        }, target);

        // Truth 13, through the recovery report: SLA met against SLA missed.
        var bySla = (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/cases/recovery?by=sla")).GetProperty("groups").EnumerateArray()
            .ToDictionary(g => g.GetProperty("group").GetString()!, g => g);
        var met = bySla["met"];
        var missed = bySla["missed"];
        Assert.True(met.GetProperty("measured").GetInt64() >= 30 && missed.GetProperty("measured").GetInt64() >= 30, $"{met} {missed}");
        Assert.True(
            met.GetProperty("rateLow").GetDouble() > missed.GetProperty("rateHigh").GetDouble(),
            $"met {met.GetProperty("recoveryRate")} [{met.GetProperty("rateLow")}], missed {missed.GetProperty("recoveryRate")} [{missed.GetProperty("rateHigh")}]");
        Assert.True(met.GetProperty("recoveryRate").GetDouble() > 2 * missed.GetProperty("recoveryRate").GetDouble());

        var byTeam = (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/cases/recovery?by=team")).GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["billing", "care", "field-service"], byTeam.Select(g => g.GetProperty("group").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(byTeam, g => Assert.True(g.GetProperty("medianHoursToFirstResponse").GetDouble() > 0));

        // The rollup written by the demo equals a recount of the cases it describes.
        await using (var database = new Database(target))
        await using (var connection = await database.OpenAsync())
        {
            var recount = await connection.QuerySingleAsync<(long Closed, long Measured, long Recovered)>(
                "SELECT count(*), sum(CASE WHEN recovery IN ('recovered', 'not_recovered') THEN 1 ELSE 0 END), sum(CASE WHEN recovery = 'recovered' THEN 1 ELSE 0 END) FROM cases WHERE status = 'closed'");
            Assert.Equal(recount.Closed, byTeam.Sum(g => g.GetProperty("closed").GetInt64()));
            Assert.Equal(recount.Measured, byTeam.Sum(g => g.GetProperty("measured").GetInt64()));
            Assert.Equal(recount.Recovered, byTeam.Sum(g => g.GetProperty("recovered").GetInt64()));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM events WHERE type = 'case.opened'"));
        }

        // A closed case carries its history.
        var closedCase = (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/cases?status=closed&team=field-service&limit=100")).GetProperty("cases")
            .EnumerateArray().First(c => c.TryGetProperty("responseId", out _));
        var detail = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{closedCase.GetProperty("id").GetInt64()}");
        Assert.True(detail.GetProperty("audit").GetArrayLength() >= 4);
        Assert.True(detail.GetProperty("notes").GetArrayLength() >= 1);
        Assert.NotNull(detail.GetProperty("customer").GetProperty("name").GetString());
        Assert.True(detail.GetProperty("response").GetProperty("nps").GetInt32() <= 6);

        // The demo's SLA policies escalate in levels: the history shows levels 2 and 3 after breaches, every breached
        // case keeps its plan, and an open one the time of its next level, for the live clock to fire.
        long pastDue;
        await using (var database = new Database(target))
        await using (var connection = await database.OpenAsync())
        {
            var levels = (await connection.QueryAsync<string>("SELECT DISTINCT to_value FROM case_audit WHERE field = 'escalationLevel'")).Order().ToList();
            Assert.Equal(["1", "2", "3"], levels);
            Assert.Equal(
                await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM cases WHERE breached_at IS NOT NULL AND priority <> 'low'"),
                await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM cases WHERE escalation_plan IS NOT NULL"));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM cases WHERE next_escalation_at IS NOT NULL AND resolved_at IS NOT NULL"));

            // The clock then escalates the open cases that are past due by now, once each.
            pastDue = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM cases WHERE breached_at IS NULL AND next_due_at <= @now", new { now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        }

        Assert.Equal(pastDue, (await server.Service<CaseClock>().RunOnceAsync()).Breached);
        Assert.Equal(0, (await server.Service<CaseClock>().RunOnceAsync()).Breached);
    }
}
