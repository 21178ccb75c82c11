using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Organisation;

/// <summary>The eNPS of a team (from the pulse, per closed quarter) and SLA attainment of a team (from cases), measured on both databases.</summary>
public sealed class InitiativeMeasurementTests
{
    private const string Pulse = """
        {"audience": "employees", "elements": [
          {"type": "radiogroup", "name": "team", "choices": ["call-centre", "field-service"]},
          {"type": "rating", "name": "enps", "role": "nps", "rateMin": 0, "rateMax": 10}]}
        """;

    private static readonly DateTimeOffset Before = new(2026, 1, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset After = new(2026, 4, 20, 0, 0, 0, TimeSpan.Zero);

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Effect_TeamEnpsAndSlaAttainment_AgainstTheOtherTeams(DatabaseKind kind)
    {
        // Mid-July 2026, so the second quarter has closed: employee results are read per closed quarter.
        await using var server = await InitiativeApiTests.StartAsync(kind, minutes: 45 * 24 * 60);
        var pulse = await InitiativeApiTests.SurveyAsync(server, "Pulse", Pulse);
        var csv = new StringBuilder("responseId,submittedAt,team,enps\n");
        var n = 0;
        void Answers(DateTimeOffset day, string team, int promoters, int passives, int detractors)
        {
            foreach (var (count, score) in new[] { (promoters, 9), (passives, 7), (detractors, 3) })
            {
                for (var i = 0; i < count; i++, n++)
                {
                    csv.Append(CultureInfo.InvariantCulture, $"p-{n},{day.AddMinutes(n):O},{team},{score}\n");
                }
            }
        }

        // Call centre: eNPS (10 − 20)/40 = −25 before, (25 − 5)/40 = +50 after; field service +25 in both windows.
        Answers(Before, "call-centre", 10, 10, 20);
        Answers(After, "call-centre", 25, 10, 5);
        Answers(Before, "field-service", 20, 10, 10);
        Answers(After, "field-service", 20, 10, 10);
        var imported = await server.Admin.PostAsync($"/api/v1/surveys/{pulse}/responses/import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());

        // Care: 20 of 40 decided cases within the SLA before, 32 of 40 after; billing 30 of 40 in both; open cases not yet breached are undecided.
        await using (var database = new Database(server.Target))
        await using (var connection = await database.OpenAsync())
        {
            var workspaceId = await connection.ExecuteScalarAsync<long>("SELECT min(id) FROM workspaces");
            var rows = new List<object>();
            void Cases(DateTimeOffset day, string team, int met, int breached, int open = 0)
            {
                for (var i = 0; i < met + breached + open; i++)
                {
                    var at = day.AddMinutes(i).ToUnixTimeMilliseconds();
                    rows.Add(new { workspaceId, team, at, status = i < met + breached ? "closed" : "in_progress", closed = i < met + breached ? at + 3_600_000 : (long?)null, breachedAt = i >= met && i < met + breached ? at + 60_000 : (long?)null });
                }
            }

            Cases(Before, "care", 20, 20, open: 5);
            Cases(After, "care", 32, 8, open: 5);
            Cases(Before, "billing", 30, 10);
            Cases(After, "billing", 30, 10);
            await connection.ExecuteAsync(
                "INSERT INTO cases (workspace_id, title, status, created_at, updated_at, closed_at, team, breached_at) VALUES (@workspaceId, 'case', @status, @at, @at, @closed, @team, @breachedAt)", rows);
        }

        var created = await InitiativeApiTests.SendAsync(server, "/api/v1/initiatives", """
            {"name": "Call-centre workload", "startedAt": "2026-01-01T00:00:00Z", "kpis": [{"kind": "enps", "team": "call-centre"}, {"kind": "sla-attainment", "team": "care", "target": 75}]}
            """, System.Net.HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        await InitiativeApiTests.SendAsync(server, $"/api/v1/initiatives/{id}/transitions", """{"to": "solution-design", "at": "2026-02-01T00:00:00Z"}""");
        var realised = await InitiativeApiTests.SendAsync(server, $"/api/v1/initiatives/{id}/transitions", """{"to": "realisation", "at": "2026-03-01T09:00:00Z"}""");
        Assert.Equal(-25, realised.GetProperty("kpis")[0].GetProperty("baseline").GetProperty("value").GetDouble(), 9);
        Assert.Equal(50, realised.GetProperty("kpis")[1].GetProperty("baseline").GetProperty("value").GetDouble(), 9);

        var effect = (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/initiatives/{id}/effect")).GetProperty("kpis");
        var enps = effect[0];
        Assert.Equal(-25, enps.GetProperty("before").GetProperty("value").GetDouble());
        Assert.Equal(50, enps.GetProperty("after").GetProperty("value").GetDouble());
        Assert.Equal(25, enps.GetProperty("comparisonBefore").GetProperty("value").GetDouble());
        Assert.Equal(25, enps.GetProperty("comparisonAfter").GetProperty("value").GetDouble());
        // SE² before = 10⁴·(.25 + .5 − .0625)/40 = 171.875, after 10⁴·(.75 − .25)/40 = 125, field service 171.875 twice:
        // DiD 75 ± 1.96·25.31 = 49.61 is significant.
        Assert.Equal(75, enps.GetProperty("differenceInDifferences").GetProperty("value").GetDouble());
        Assert.Equal(Math.Round(75 - (1.959963984540054 * Math.Sqrt((3 * 171.875) + 125)), 2), enps.GetProperty("differenceInDifferences").GetProperty("low").GetDouble());
        Assert.Equal("improved", enps.GetProperty("verdict").GetString());

        // SLA: 50 % → 80 % (SE 7.906, 6.325) against 75 % → 75 % (SE 6.847): DiD 30, SE sqrt(196.25) = 14.009, 1.96·SE = 27.46.
        var sla = effect[1];
        Assert.Equal(40, sla.GetProperty("before").GetProperty("n").GetInt64());
        Assert.Equal(50, sla.GetProperty("before").GetProperty("value").GetDouble());
        Assert.Equal(80, sla.GetProperty("after").GetProperty("value").GetDouble());
        Assert.Equal(75, sla.GetProperty("comparisonAfter").GetProperty("value").GetDouble());
        Assert.Equal(30, sla.GetProperty("differenceInDifferences").GetProperty("value").GetDouble());
        Assert.Equal(Math.Round(30 - (1.959963984540054 * Math.Sqrt(196.25)), 2), sla.GetProperty("differenceInDifferences").GetProperty("low").GetDouble());
        Assert.Equal("improved", sla.GetProperty("verdict").GetString());
        Assert.True(sla.GetProperty("targetMet").GetBoolean());
    }
}
