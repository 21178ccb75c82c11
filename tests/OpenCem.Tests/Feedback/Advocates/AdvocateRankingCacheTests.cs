using Dapper;
using Microsoft.Extensions.Caching.Memory;
using OpenCem.Customers;
using OpenCem.Feedback.Advocates;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Feedback.Advocates;

/// <summary>The dashboard's remembered advocate ranking: reused while nothing changes, an erased person leaves it at once.</summary>
public sealed class AdvocateRankingCacheTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task RememberedRanking_IsReused_ButAnErasureIsSeenAtOnce(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var database = server.Service<Database>();
        var ws = (await server.Service<WorkspaceStore>().EnsureDefaultAsync()).Id;
        long anna, ben;
        await using (var connection = await database.OpenAsync())
        {
            const string Insert = "INSERT INTO customers (workspace_id, created_at, updated_at, traits) VALUES (@ws, 0, 0, '{}') RETURNING id";
            anna = await connection.ExecuteScalarAsync<long>(Insert, new { ws });
            ben = await connection.ExecuteScalarAsync<long>(Insert, new { ws });
        }

        await ReferAsync(database, ws, anna, 3);
        await ReferAsync(database, ws, ben, 2);
        using var cache = new MemoryCache(new MemoryCacheOptions());
        var query = new AdvocateQuery(database, cache);

        Assert.Equal([anna, ben], (await query.RankRecentAsync(ws, 1, 10)).Select(a => a.CustomerId));
        await ReferAsync(database, ws, ben, 5, offset: 100);
        Assert.Equal([anna, ben], (await query.RankRecentAsync(ws, 1, 10)).Select(a => a.CustomerId)); // remembered: Ben's new referrals wait

        Assert.NotNull(await server.Service<ProfileChanges>().EraseAsync(ws, anna));

        Assert.Equal([ben], (await query.RankRecentAsync(ws, 1, 10)).Select(a => a.CustomerId));
    }

    private static async Task ReferAsync(Database database, long ws, long customer, int referrals, int offset = 0)
    {
        await using var connection = await database.OpenAsync();
        for (var i = 0; i < referrals; i++)
        {
            var at = DateTimeOffset.UtcNow.AddDays(-10).ToUnixTimeMilliseconds() + offset + i;
            await connection.ExecuteAsync(
                "INSERT INTO interactions (workspace_id, message_id, client_ts, customer_id, type, event, occurred_at, received_at) VALUES (@ws, @message, 0, @customer, 'track', 'Referral Sent', @at, @at)",
                new { ws, message = $"ref-{customer}-{offset}-{i}", customer, at });
        }
    }
}
