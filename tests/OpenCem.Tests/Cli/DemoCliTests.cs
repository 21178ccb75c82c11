using Dapper;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Cli;

public sealed class DemoCliTests
{
    public static IEnumerable<object[]> Kinds => TestDatabases.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Demo_NoServe_LoadsTheCompanyOnce(DatabaseKind kind)
    {
        var target = await TestDatabases.CreateAsync(kind);
        var db = kind == DatabaseKind.Sqlite ? target.Display : target.ConnectionString;

        var first = await CliProcess.RunAsync("demo", "--db", db, "--customers", "300", "--seed", "7", "--no-serve");
        Assert.True(first.ExitCode == 0, first.Error + first.Output);
        Assert.Matches("Admin API key: ocm_admin_", first.Output);
        Assert.Matches("Write key: +ocm_write_", first.Output);
        Assert.Contains("/sign-in  as admin@demo.opencem.test / demo-admin-", first.Output);

        var expected = DemoCompany.Generate(new DemoOptions(300, 7)).Count();
        await using (var database = new Database(target))
        await using (var connection = await database.OpenAsync())
        {
            Assert.Equal(expected, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM interactions"));
            // 300 customers and the web-shop prospects, one profile each.
            Assert.Equal(300 + DemoSources.Prospects(new DemoOptions(300)), await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers"));
            Assert.Equal(expected, await connection.ExecuteScalarAsync<long>("SELECT value FROM workspace_counters WHERE name = 'interactions'"));
            Assert.Equal(expected, await connection.ExecuteScalarAsync<long>("SELECT SUM(interactions) FROM interaction_daily"));
            Assert.Equal(DemoCompany.Touchpoints.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM touchpoints"));
            var unplaced = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM interactions WHERE type = 'track' AND touchpoint_id IS NULL");
            Assert.True(unplaced < expected / 20, $"{unplaced} of {expected} track events have no touchpoint");
        }

        var again = await CliProcess.RunAsync("demo", "--db", db, "--customers", "300", "--seed", "7", "--no-serve");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already", again.Output);

        var other = await CliProcess.RunAsync("demo", "--db", db, "--customers", "300", "--seed", "8", "--no-serve");
        Assert.NotEqual(0, other.ExitCode);
        Assert.Contains("seed 7", other.Error);

        await using var check = new Database(target);
        await using var after = await check.OpenAsync();
        Assert.Equal(expected, await after.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM interactions"));
    }

    [Fact]
    public async Task Demo_BadCustomerCount_ExitsNonZero()
    {
        var result = await CliProcess.RunAsync("demo", "--customers", "0", "--no-serve", "--db", Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}.db"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--customers", result.Error);
    }
}
