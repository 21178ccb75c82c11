using System.Net;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using OpenCem.Operations.Partitions;
using OpenCem.Operations.Transfer;
using OpenCem.Storage;
using OpenCem.Tests.Cli;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Partitions;

/// <summary>Monthly partitions of the interactions table on a real PostgreSQL, converted under a running server.</summary>
public sealed class InteractionPartitioningTests
{
    [Fact]
    public async Task Converting_a_live_table_keeps_every_event_and_deduplication_and_months_ahead_take_their_strays()
    {
        var target = await TestDatabases.CreateAsync(DatabaseKind.Postgres);
        await using var server = await TestServer.StartAsync(DatabaseKind.Postgres, target);
        var now = DateTimeOffset.UtcNow;
        var first = Events(now, 0, 300);
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/v1/batch", Batch(first), server.Tracking)).StatusCode);
        await using var database = new Database(target);
        long maxIdBefore;
        await using (var connection = await database.OpenAsync())
        {
            maxIdBefore = await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM interactions");
        }

        var partitioning = new InteractionPartitioning(database, TimeProvider.System);
        var result = await partitioning.ConvertAsync(monthsAhead: 2);

        Assert.False(result.AlreadyPartitioned);
        Assert.Equal(MonthlyPartitions.History(now), result.History);
        var inCurrentMonthOrLater = first.Count(e => e.At >= MonthlyPartitions.MonthStart(now));
        Assert.Equal(inCurrentMonthOrLater, result.RowsMoved);
        Assert.Equal(300 - inCurrentMonthOrLater, result.HistoryRows);
        Assert.True(await partitioning.IsPartitionedAsync());

        // The server goes on: new events and retried ones (the same messageIds) are stored once.
        var second = Events(now, 300, 100);
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/v1/batch", Batch([.. second, .. first.Take(50)]), server.Tracking)).StatusCode);
        await using (var connection = await database.OpenAsync())
        {
            Assert.Equal(400, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM interactions"));
            Assert.Equal(400, await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT message_id) FROM interactions"));
            Assert.True(await connection.ExecuteScalarAsync<long>("SELECT MIN(id) FROM interactions WHERE message_id LIKE 'new-%'") > maxIdBefore);
        }

        Assert.Equal(400, (await server.StatsAsync()).Interactions);

        // Five months on, the worker's pass creates the months that are now wanted; events that waited in the default
        // partition for them move in.
        var later = new InteractionPartitioning(database, new FakeTimeProvider(now.AddMonths(5)));
        var created = await later.EnsureAheadAsync(2);
        Assert.Equal(MonthlyPartitions.Wanted(now.AddMonths(5), 2).Select(m => m.Table).Except((await partitioning.ListAsync()).Select(p => p.Table).Except(created)), created);
        await using (var connection = await database.OpenAsync())
        {
            Assert.Equal(400, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM interactions"));
            var wantedFrom = MonthlyPartitions.Wanted(now.AddMonths(5), 2)[0].From;
            var wantedTo = MonthlyPartitions.Wanted(now.AddMonths(5), 2)[^1].To;
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                $"SELECT COUNT(*) FROM {MonthlyPartitions.Default} WHERE client_ts >= @wantedFrom AND client_ts < @wantedTo", new { wantedFrom, wantedTo }));
        }

        // Converting again only reports; backup reads the partitioned table through its parent.
        Assert.True((await partitioning.ConvertAsync(2)).AlreadyPartitioned);
        var file = Path.Combine(Path.GetTempPath(), $"opencem-partitioned-{Guid.NewGuid():N}.db");
        try
        {
            var counts = await DatabaseBackup.BackupAsync(database, file);
            Assert.All(counts, c => Assert.True(c.Matches, c.Table));
            Assert.Equal(400, counts.Single(c => c.Table == "interactions").TargetRows);
            Assert.DoesNotContain(counts, c => c.Table.StartsWith("interactions_", StringComparison.Ordinal) && c.Table != "interactions_daily");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task On_sqlite_the_cli_refuses_with_a_clear_message()
    {
        var target = await TestDatabases.CreateAsync(DatabaseKind.Sqlite);
        var (exitCode, _, error) = await CliProcess.RunAsync("partition", "--db", target.Display);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("PostgreSQL", error, StringComparison.Ordinal);
        Assert.Empty(await new InteractionPartitioning(new Database(target), TimeProvider.System).EnsureAheadAsync(3));
    }

    private static List<(string MessageId, DateTimeOffset At)> Events(DateTimeOffset now, int start, int count)
    {
        var random = new Random(start + 1);
        // Mostly the past year; one in ten from a client clock up to 200 days ahead (some beyond every month made).
        return [.. Enumerable.Range(start, count).Select(i => (
            start == 0 ? $"old-{i}" : $"new-{i}",
            i % 10 == 0 ? now.AddDays(random.Next(0, 200)) : now.AddDays(-random.Next(0, 400))))];
    }

    private static string Batch(IEnumerable<(string MessageId, DateTimeOffset At)> events) =>
        "{\"batch\":[" + string.Join(",", events.Select(e =>
            $$"""{"type":"track","userId":"u{{e.MessageId.GetHashCode() & 31}}","event":"Bill Viewed","messageId":"{{e.MessageId}}","timestamp":"{{e.At:O}}"}""")) + "]}";
}
