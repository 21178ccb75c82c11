using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Analytics.Ladder;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Analytics.Ladder;

/// <summary>The ladder endpoint over three hand-built customers whose rungs are known month by month.</summary>
public sealed class LadderApiTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static long At(int month, int day = 15) => new DateTimeOffset(2025, month, day, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static async Task<LadderView> GetAsync(TestServer server, string query) =>
        (await server.Admin.GetFromJsonAsync<LadderView>("/api/v1/analytics/ladder?" + query, Web))!;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Ladder_RungsAndMovesPerPeriod_FollowTheRules(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var workspaceId = (await server.Service<WorkspaceStore>().EnsureDefaultAsync()).Id;
        await using (var database = new Database(server.Target))
        await using (var connection = await database.OpenAsync())
        {
            // A: a long-standing customer, promoter with a five-star review: advocate. B: satisfied, renews in
            // February (loyal), then a detractor in March. C: passive in February who refers a friend but is not loyal.
            var a = await CustomerAsync(connection, workspaceId, "gold", "2020-01-01");
            var b = await CustomerAsync(connection, workspaceId, "basic", "2024-06-01");
            var c = await CustomerAsync(connection, workspaceId, "basic", "2024-09-01");
            await AnswerAsync(connection, workspaceId, a, At(1), nps: 10);
            await connection.ExecuteAsync(
                "INSERT INTO signals (workspace_id, source, customer_id, text, rating, rating_max, occurred_at, received_at) VALUES (@workspaceId, 'review', @a, 'Great', 5, 5, @at, @at)",
                new { workspaceId, a, at = At(1, 20) });
            await AnswerAsync(connection, workspaceId, b, At(1), csat: 5);
            await EventAsync(connection, workspaceId, b, At(2), "Contract Renewed");
            await AnswerAsync(connection, workspaceId, b, At(3), nps: 3);
            await AnswerAsync(connection, workspaceId, c, At(2), nps: 8);
            await EventAsync(connection, workspaceId, c, At(2, 20), "Referral Sent");
        }

        await server.Service<LadderProjector>().RunOnceAsync(force: true);
        var months = await GetAsync(server, "interval=month&from=2025-01-01&to=2025-04-01");
        Assert.Equal(["2025-01", "2025-02", "2025-03"], months.Periods.Select(p => p.Period));
        var (jan, feb, mar) = (months.Periods[0], months.Periods[1], months.Periods[2]);
        Assert.Equal((1L, 1L), (jan.Nps[Rungs.Promoter], jan.Nps.Values.Sum()));
        Assert.Equal((1L, 1L, 2L), (jan.Ladder[Rungs.Advocate], jan.Ladder[Rungs.Satisfied], jan.Ladder.Values.Sum()));
        Assert.Equal((1L, 1L), (feb.Nps[Rungs.Passive], feb.Nps.Values.Sum()));
        Assert.Equal((1L, 1L, 1L), (feb.Ladder[Rungs.Advocate], feb.Ladder[Rungs.Loyal], feb.Ladder[Rungs.Satisfied]));
        Assert.Contains(new LadderMoveView(Rungs.Satisfied, Rungs.Loyal, 1), feb.LadderMoves);
        Assert.Contains(new LadderMoveView(Rungs.Unrated, Rungs.Satisfied, 1), feb.LadderMoves);
        Assert.Contains(new LadderMoveView(Rungs.Promoter, Rungs.Unrated, 1), feb.NpsMoves);
        Assert.Equal((1L, 1L), (mar.Nps[Rungs.Detractor], mar.Ladder[Rungs.Unsatisfied]));
        Assert.Contains(new LadderMoveView(Rungs.Loyal, Rungs.Unsatisfied, 1), mar.LadderMoves);

        var quarter = (await GetAsync(server, "interval=quarter&from=2025-01-01&to=2025-04-01")).Periods.Single();
        Assert.Equal("2025-Q1", quarter.Period);
        Assert.Equal([1L, 1L, 1L], Rungs.Nps.Select(r => quarter.Nps[r]));
        Assert.Equal((1L, 1L, 1L), (quarter.Ladder[Rungs.Advocate], quarter.Ladder[Rungs.Unsatisfied], quarter.Ladder[Rungs.Satisfied]));

        var byPlan = await GetAsync(server, "interval=month&by=trait.plan&from=2025-02-01&to=2025-03-01");
        Assert.Equal(["basic", "gold"], byPlan.Periods.Select(p => p.Group));
        Assert.Equal((1L, 1L), (byPlan.Periods[0].Ladder[Rungs.Loyal], byPlan.Periods[0].Ladder[Rungs.Satisfied]));
        Assert.Equal(1L, byPlan.Periods[1].Ladder[Rungs.Advocate]);

        // A trait without precomputed counts is counted from the monthly states, with the same rules.
        var bySince = await GetAsync(server, "interval=month&by=trait.customerSince&from=2025-02-01&to=2025-03-01");
        Assert.Equal(["2020-01-01", "2024-06-01", "2024-09-01"], bySince.Periods.Select(p => p.Group));
        Assert.Equal([Rungs.Advocate, Rungs.Loyal, Rungs.Satisfied], bySince.Periods.Select(p => p.Ladder.Single(r => r.Value == 1).Key));

        // Other rules: only upgrades make loyal, tenure never does; the ladder is recomputed at once.
        var rules = new LadderRules { Loyal = new LoyalRule { Events = ["Plan Upgraded"], TenureMonths = 1200 } };
        var put = await server.Admin.PutAsJsonAsync("/api/v1/analytics/ladder/rules", rules, Web);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(["Plan Upgraded"], (await server.Admin.GetFromJsonAsync<LadderRules>("/api/v1/analytics/ladder/rules", Web))!.Loyal.Events);
        var strict = (await GetAsync(server, "interval=month&from=2025-02-01&to=2025-03-01")).Periods.Single();
        Assert.Equal((3L, 3L), (strict.Ladder[Rungs.Satisfied], strict.Ladder.Values.Sum()));

        var bad = await server.Admin.PutAsJsonAsync("/api/v1/analytics/ladder/rules", new LadderRules { Satisfied = new SatisfiedRule { NpsAtLeast = 11 } }, Web);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("satisfied.npsAtLeast", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var broken = await server.Admin.PutAsync("/api/v1/analytics/ladder/rules", JsonContent.Create(new { satisfied = new { csatAtLeast = "high" } }));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
    }

    private static Task<long> CustomerAsync(DbConnection connection, long workspaceId, string plan, string since) =>
        connection.ExecuteScalarAsync<long>(
            "INSERT INTO customers (workspace_id, created_at, updated_at, traits) VALUES (@workspaceId, 0, 0, @traits) RETURNING id",
            new { workspaceId, traits = JsonSerializer.Serialize(new { plan, customerSince = since }) });

    private static Task AnswerAsync(DbConnection connection, long workspaceId, long customer, long at, int? nps = null, int? csat = null) =>
        connection.ExecuteAsync(
            """
            INSERT INTO survey_responses (workspace_id, survey_id, customer_id, source, status, answers, nps, csat, submitted_at, created_at, updated_at)
            VALUES (@workspaceId, 1, @customer, 'api', 'completed', '{}', @nps, @csat, @at, @at, @at)
            """,
            new { workspaceId, customer, nps, csat, at });

    private static Task EventAsync(DbConnection connection, long workspaceId, long customer, long at, string name) =>
        connection.ExecuteAsync(
            """
            INSERT INTO interactions (workspace_id, message_id, client_ts, customer_id, type, event, occurred_at, received_at)
            VALUES (@workspaceId, @name || @at, 0, @customer, 'track', @name, @at, @at)
            """,
            new { workspaceId, customer, at, name });
}
