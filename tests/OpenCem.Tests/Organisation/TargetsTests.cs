using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Analytics.Metrics;
using OpenCem.Organisation.Pulse;
using OpenCem.Organisation.Targets;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Organisation;

/// <summary>The targets page: its arithmetic on hand-computed cases, and <c>GET /api/v1/organisation/targets</c> on both databases.</summary>
public sealed class TargetsTests
{
    [Fact]
    public void Nps_HandComputed_ValueChangeAndSignificance()
    {
        // 60 promoters, 20 detractors of 100: NPS 40, SE = 100·sqrt((0.8 − 0.16)/100) = 8; before 20 of 100 and 40: NPS −20, SE ≈ 7.75.
        var now = new MetricTally { N = 100, Promoters = 60, Detractors = 20 };
        var before = new MetricTally { N = 100, Promoters = 20, Detractors = 40 };
        var (current, previous, change, significant) = TargetMath.Nps(now, before);
        Assert.Equal(40, current);
        Assert.Equal(-20, previous);
        Assert.Equal(60, change);
        Assert.True(significant); // 60 > 1.96·sqrt(64 + 60) ≈ 21.8
        Assert.False(TargetMath.Nps(now, new MetricTally { N = 100, Promoters = 55, Detractors = 20 }).Significant);
    }

    [Fact]
    public void Shares_GrowthAndMedian_HandComputed()
    {
        var (current, previous, change, significant) = TargetMath.Shares(30, 100, 20, 100);
        Assert.Equal((30.0, 20.0, 10.0), (current!.Value, previous!.Value, change!.Value));
        Assert.False(significant); // 0.1 < 1.96·sqrt(0.21/100 + 0.16/100) ≈ 0.119
        Assert.True(TargetMath.Shares(300, 1000, 200, 1000).Significant);
        Assert.Equal(25, TargetMath.Growth(125, 100));
        Assert.Null(TargetMath.Growth(5, 0));
        Assert.Equal(2.5, TargetMath.Median([4, 1, 2, 3]));
        Assert.Null(TargetMath.Median([]));
        Assert.Equal("2024-Q4", TargetPeriods.Ending(PulseLevel.Quarter, new DateTimeOffset(2025, 1, 15, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), 2)[^1].Name);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Targets_LastCompleteQuarter_CustomerNpsAgainstTheQuarterBefore(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var created = await server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create("Relationship", SurveyFixtures.Nps), server.Admin);
        var survey = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        // Q3 2024: 2 promoters, 2 detractors (NPS 0); Q4 2024: 3 promoters, 1 passive (NPS 75).
        foreach (var (month, score) in new[] { (8, 10), (8, 9), (9, 2), (9, 5), (11, 10), (11, 9), (12, 9), (12, 7) })
        {
            var answers = score <= 6 ? new Dictionary<string, object> { ["nps"] = score, ["reason"] = "price" } : new Dictionary<string, object> { ["nps"] = score };
            var response = await server.Admin.PostAsJsonAsync("/api/v1/responses", new { surveyId = survey, submittedAt = new DateTimeOffset(2024, month, 3, 9, 0, 0, TimeSpan.Zero).ToString("O"), answers });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var page = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/organisation/targets?period=quarter&at=2025-01-15");
        Assert.Equal("2024-Q4", page.GetProperty("period").GetString());
        Assert.Equal("2024-Q3", page.GetProperty("previousPeriod").GetString());
        var targets = page.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("key").GetString()!);
        Assert.Equal(["customerLoyalty", "salesIncrease", "employeeLoyalty", "efficiency"], targets.Keys);
        var nps = targets["customerLoyalty"].GetProperty("kpis")[0];
        Assert.Equal(75, nps.GetProperty("current").GetDouble());
        Assert.Equal(0, nps.GetProperty("previous").GetDouble());
        Assert.Equal(75, nps.GetProperty("change").GetDouble());
        Assert.Equal(8, nps.GetProperty("trend").GetArrayLength());
        Assert.Contains(targets["efficiency"].GetProperty("kpis").EnumerateArray(), k => k.GetProperty("key").GetString() == "selfServiceShare");
        Assert.Equal(JsonValueKind.Null, targets["employeeLoyalty"].GetProperty("kpis")[0].GetProperty("current").ValueKind);

        // interaction_daily counts days, not milliseconds: 2 phone contacts in Q3, 4 web ones (revenue 50) in Q4.
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            var workspace = (await server.Service<WorkspaceStore>().EnsureDefaultAsync()).Id;
            await connection.ExecuteAsync("INSERT INTO customers (workspace_id, created_at, updated_at) VALUES (@workspace, 0, 0)", new { workspace });
            foreach (var (day, channel, n, revenue) in new[] { (new DateOnly(2024, 8, 5), "phone", 2, 0.0), (new DateOnly(2024, 11, 3), "web", 4, 50.0) })
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO interaction_daily (workspace_id, day, touchpoint_id, channel, outcome, interactions, effort_sum, effort_count, revenue_sum, cost_sum)
                    VALUES (@workspace, @day, 0, @channel, 'success', @n, 0, 0, @revenue, 0)
                    """,
                    new { workspace, day = (long)day.DayNumber - new DateOnly(1970, 1, 1).DayNumber, channel, n, revenue });
            }
        }

        var efficiency = (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/organisation/targets?period=quarter&at=2025-01-15")).GetProperty("targets")[3].GetProperty("kpis")
            .EnumerateArray().ToDictionary(k => k.GetProperty("key").GetString()!);
        Assert.Equal((100.0, 0.0), (efficiency["selfServiceShare"].GetProperty("current").GetDouble(), efficiency["selfServiceShare"].GetProperty("previous").GetDouble()));
        Assert.Equal(4, efficiency["interactionsPerCustomer"].GetProperty("current").GetDouble());
        var byDefault = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/organisation/targets");
        Assert.Equal("2024-Q3", byDefault.GetProperty("period").GetString()); // the quarter before the last day with interactions
        var sales = byDefault.GetProperty("targets")[1].GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("key").GetString() == "trackedRevenue");
        Assert.Equal(0, sales.GetProperty("current").GetDouble());

        var bad = await server.Admin.GetAsync("/api/v1/organisation/targets?period=week");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("period", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Admin.GetAsync("/api/v1/organisation/targets?at=tomorrow")).StatusCode);
    }
}
