using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Actions.Cases;
using OpenCem.Actions.Events;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Actions;

public sealed class CaseEscalationTests
{
    private const string LowWithLevels = """
        {"firstResponseMinutes": 60, "resolutionMinutes": 480, "breachNotify": ["lead@example.com"],
         "escalations": [{"afterMinutes": 120, "notify": ["manager@example.com"]}, {"afterMinutes": 240, "notify": ["director@example.com"], "raisePriority": true}]}
        """;

    [Fact]
    public void Plan_LevelsAfterTheMissedDueTime_InWorkingTime()
    {
        var due = new DateTimeOffset(2026, 2, 2, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var plan = EscalationPlan.For([new SlaEscalation(120, ["m@example.com"]), new SlaEscalation(240, null, true)], BusinessCalendar.AlwaysOpen, due, breachLevel: 1);
        Assert.Equal([2, 3], plan.Select(s => s.Level));
        Assert.Equal([due + 7_200_000, due + 14_400_000], plan.Select(s => s.At));
        Assert.Equal(["m@example.com"], plan[0].Notify);
        Assert.True(plan[1].RaisePriority);
        var read = EscalationPlan.After(EscalationPlan.Read(EscalationPlan.Write(plan)), 2)!;
        Assert.Equal((3, plan[1].At, true), (read.Level, read.At, read.RaisePriority));
        Assert.Null(EscalationPlan.After(plan, 3));
        Assert.Empty(EscalationPlan.Read("not json"));
    }

    [Theory]
    [InlineData(0, 10, "escalations[0].afterMinutes")]
    [InlineData(60, 60, "escalations[1].afterMinutes")]
    [InlineData(60, -5, "escalations[1].afterMinutes")]
    public void Check_LevelsNotAscending_NamesTheField(int first, int second, string field)
    {
        Assert.Equal(field, SlaEscalation.Check([new SlaEscalation(first), new SlaEscalation(second)])?.Field);
        Assert.Equal("escalations[0].notify", SlaEscalation.Check([new SlaEscalation(10, ["not an address"])])?.Field);
        Assert.Null(SlaEscalation.Check([new SlaEscalation(10, ["a@b.example"]), new SlaEscalation(20, null, true)]));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Levels_EachFiresOnceWhenDue_AuditedReportedAndNotified(DatabaseKind kind)
    {
        var (server, time) = await CaseApiTests.StartAsync(kind);
        await using var owned = server;
        await CaseApiTests.SendAsync(server, "/api/v1/cases/sla-policies/low", LowWithLevels, method: "PUT");
        var id = (await CaseApiTests.SendAsync(server, "/api/v1/cases", """{"title": "Slow", "priority": "low"}""", HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var clock = server.Service<CaseClock>();

        // Level 1: the breach at the first-response due time (60 min); level 2 two hours later; level 3 four hours later.
        time.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(1, (await clock.RunOnceAsync()).Breached);
        time.Advance(TimeSpan.FromMinutes(118));
        Assert.Equal(0, (await clock.RunOnceAsync()).Breached);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await clock.RunOnceAsync()).Breached);
        Assert.Equal(0, (await clock.RunOnceAsync()).Breached);
        Assert.Equal(2, (await CaseAsync(server, id)).GetProperty("escalationLevel").GetInt32());
        time.Advance(TimeSpan.FromMinutes(120));
        Assert.Equal(1, (await clock.RunOnceAsync()).Breached);
        time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0, (await clock.RunOnceAsync()).Breached);

        var escalated = await CaseAsync(server, id);
        Assert.Equal(3, escalated.GetProperty("escalationLevel").GetInt32());
        Assert.Equal("high", escalated.GetProperty("priority").GetString()); // low → normal at the breach, → high at level 3

        await using var database = new Database(server.Target);
        await using var connection = await database.OpenAsync();
        var events = (await EventOutbox.ReadAsync(connection, 0, long.MaxValue, 1000)).Where(e => e.Type == EventTypes.CaseEscalated).ToList();
        Assert.Equal([1, 2, 3], events.Select(e => JsonDocument.Parse(e.Payload).RootElement.GetProperty("escalationLevel").GetInt32()));
        Assert.All(events, e => Assert.Equal(id, e.SubjectId));
        var levels = (await connection.QueryAsync<(string, string)>(
            "SELECT from_value, to_value FROM case_audit WHERE case_id = @id AND field = 'escalationLevel' ORDER BY id", new { id })).ToList();
        Assert.Equal([("0", "1"), ("1", "2"), ("2", "3")], levels);
        var recipients = (await connection.QueryAsync<string>("SELECT recipient FROM notifications ORDER BY id")).ToList();
        Assert.Equal(["lead@example.com", "manager@example.com", "director@example.com"], recipients);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Level_TwoWorkersAtOnce_FiredOnce_AndNotAfterResolution(DatabaseKind kind)
    {
        var (server, time) = await CaseApiTests.StartAsync(kind);
        await using var owned = server;
        await CaseApiTests.SendAsync(server, "/api/v1/cases/sla-policies/low", LowWithLevels, method: "PUT");
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await CaseApiTests.SendAsync(server, "/api/v1/cases", """{"title": "Race", "priority": "low"}""", HttpStatusCode.Created)).GetProperty("id").GetInt64());
        }

        time.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(4, (await server.Service<CaseClock>().RunOnceAsync()).Breached);
        await CaseApiTests.SendAsync(server, $"/api/v1/cases/{ids[3]}/transitions", """{"to": "in_progress"}""");
        await CaseApiTests.SendAsync(server, $"/api/v1/cases/{ids[3]}/transitions", """{"to": "resolved", "outcome": "recovered"}""");
        time.Advance(TimeSpan.FromMinutes(121));
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var database = new Database(server.Target);
        var wins = new List<int>();
        foreach (var id in ids)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                await using var connection = await database.OpenAsync();
                return await CaseEscalations.EscalateAsync(connection, 1, id, now);
            }));
            wins.Add(results.Count(r => r));
        }

        Assert.Equal([1, 1, 1, 0], wins);
        await using var read = await database.OpenAsync();
        Assert.Equal(3, await read.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications WHERE recipient = 'manager@example.com'"));
    }

    [Fact]
    public async Task Policy_BadEscalations_422NamingTheField_AndRulesTriggerOnEscalations()
    {
        var (server, _) = await CaseApiTests.StartAsync(DatabaseKind.Sqlite);
        await using var owned = server;
        var bad = await CaseApiTests.SendAsync(
            server, "/api/v1/cases/sla-policies/low", """{"firstResponseMinutes": 60, "resolutionMinutes": 480, "escalations": [{"afterMinutes": 30}, {"afterMinutes": 10}]}""",
            HttpStatusCode.UnprocessableEntity, "PUT");
        Assert.True(bad.GetProperty("errors").TryGetProperty("escalations[1].afterMinutes", out _), bad.ToString());
        var badNotify = await CaseApiTests.SendAsync(
            server, "/api/v1/cases/sla-policies/low", """{"firstResponseMinutes": 60, "resolutionMinutes": 480, "breachNotify": ["nobody"]}""",
            HttpStatusCode.UnprocessableEntity, "PUT");
        Assert.True(badNotify.GetProperty("errors").TryGetProperty("breachNotify", out _), badNotify.ToString());

        var saved = await CaseApiTests.SendAsync(server, "/api/v1/cases/sla-policies/low", LowWithLevels, method: "PUT");
        Assert.Equal(2, saved.GetProperty("escalations").GetArrayLength());
        var policies = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/cases/sla-policies");
        Assert.Equal(240, policies.EnumerateArray().Single().GetProperty("escalations")[1].GetProperty("afterMinutes").GetInt32());

        await CaseApiTests.SendAsync(server, "/api/v1/rules", """
            {"name": "Tell the director", "trigger": "case.escalated",
             "actions": [{"type": "email", "to": "director@example.com", "subject": "Escalated"}]}
            """, HttpStatusCode.Created);
    }

    private static async Task<JsonElement> CaseAsync(TestServer server, long id) =>
        (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{id}")).GetProperty("case");
}
