using System.Globalization;
using System.Net;
using System.Text;
using Dapper;
using OpenCem.Dashboard.Components;
using OpenCem.Dashboard.Drivers;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Analytics.Drivers;

/// <summary>
/// The Drivers page's analyses are remembered per response version: the same result again until responses change,
/// and a fresh one after new responses or an erasure (never a stale one).
/// </summary>
public sealed class DriversPageCacheTests
{
    private const string Survey = """
        {"title": "Service", "elements": [
          {"type": "rating", "name": "overall", "role": "overall", "rateMin": 0, "rateMax": 10, "title": "Overall"},
          {"type": "rating", "name": "speed", "role": "driver", "rateMin": 1, "rateMax": 5, "title": "Speed"},
          {"type": "rating", "name": "friendliness", "role": "driver", "rateMin": 1, "rateMax": 5, "title": "Friendliness"}
        ]}
        """;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task DriversPage_RemembersTheAnalysis_UntilResponsesAreAddedOrErased(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await AnalyticsServer.CreateSurveyAsync(server, Survey);
        var now = DateTimeOffset.UtcNow;
        await AnalyticsServer.ImportAsync(server, id, Csv(0, 120, now), 120);
        long ws;
        await using (var database = new Database(server.Target))
        await using (var connection = await database.OpenAsync())
        {
            ws = await connection.ExecuteScalarAsync<long>("SELECT workspace_id FROM surveys WHERE id = @id", new { id });
        }

        var report = server.Service<DriversPageReport>();
        var filters = DashboardFilters.Default with { Survey = id };
        var first = await report.ReadAsync(ws, filters, "overall");
        Assert.Equal(120, first.Drivers!.Responses);
        Assert.Same(first.Drivers, (await report.ReadAsync(ws, filters, "overall")).Drivers);
        // Another filter is another analysis.
        var web = await report.ReadAsync(ws, filters with { Channel = "web" }, "overall");
        Assert.Equal(60, web.Drivers!.Responses);

        // New responses: analysed afresh.
        await AnalyticsServer.ImportAsync(server, id, Csv(120, 60, now), 60);
        var grown = await report.ReadAsync(ws, filters, "overall");
        Assert.Equal(180, grown.Drivers!.Responses);
        Assert.Equal(90, (await report.ReadAsync(ws, filters with { Channel = "web" }, "overall")).Drivers!.Responses);

        // An erasure blanks a respondent's answers: her response no longer counts as complete.
        long customer;
        await using (var database = new Database(server.Target))
        await using (var connection = await database.OpenAsync())
        {
            customer = await connection.ExecuteScalarAsync<long>(
                "SELECT customer_id FROM survey_responses WHERE survey_id = @id AND customer_id IS NOT NULL ORDER BY id LIMIT 1", new { id });
        }

        Assert.Equal(HttpStatusCode.OK, (await server.Admin.DeleteAsync($"/api/v1/customers/{customer}")).StatusCode);
        var erased = await report.ReadAsync(ws, filters, "overall");
        Assert.Equal(grown.Drivers.N - 1, erased.Drivers!.N);
    }

    /// <summary>Complete responses submitted in the last minutes (in this quarter), half on the web, each from its own customer.</summary>
    private static string Csv(int first, int count, DateTimeOffset now)
    {
        var random = new Random(first + 7);
        var csv = new StringBuilder("responseId,submittedAt,channel,email,overall,speed,friendliness\n");
        for (var i = first; i < first + count; i++)
        {
            var speed = random.Next(1, 6);
            var friendliness = random.Next(1, 6);
            var overall = Math.Clamp((int)Math.Round((1.6 * speed) + (0.5 * friendliness) + random.NextDouble() - 1), 0, 10);
            var at = now.AddSeconds(-(i + 1)).ToString("O", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"r{i},{at},{(i % 2 == 0 ? "web" : "app")},respondent{i}@example.com,{overall},{speed},{friendliness}\n");
        }

        return csv.ToString();
    }
}
