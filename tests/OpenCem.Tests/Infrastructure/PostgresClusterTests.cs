using System.Net;
using System.Net.Sockets;
using Npgsql;
using OpenCem.Storage;

namespace OpenCem.Tests.Infrastructure;

public sealed class PostgresClusterTests
{
    [Fact]
    public async Task Two_databases_are_distinct_and_usable()
    {
        var first = await PostgresCluster.Shared.CreateDatabaseAsync("first");
        var second = await PostgresCluster.Shared.CreateDatabaseAsync("second");

        var firstBuilder = new NpgsqlConnectionStringBuilder(first);
        var secondBuilder = new NpgsqlConnectionStringBuilder(second);
        Assert.NotEqual(firstBuilder.Database, secondBuilder.Database);
        Assert.StartsWith("first_", firstBuilder.Database, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", firstBuilder.Host);
        Assert.Equal(PostgresCluster.Shared.Port, firstBuilder.Port);
        Assert.Equal("postgres", firstBuilder.Username);

        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE probe (id int PRIMARY KEY); INSERT INTO probe VALUES (42);", connection);
            await create.ExecuteNonQueryAsync();
            await using var read = new NpgsqlCommand("SELECT id FROM probe", connection);
            Assert.Equal(42, await read.ExecuteScalarAsync());
        }

        await using (var connection = new NpgsqlConnection(second))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT to_regclass('public.probe') IS NOT NULL", connection);
            Assert.Equal(false, await exists.ExecuteScalarAsync());
            await using var current = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal(secondBuilder.Database, await current.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task Server_listens_only_on_loopback()
    {
        var connectionString = await PostgresCluster.Shared.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW listen_addresses", connection);
        Assert.Equal("127.0.0.1", await command.ExecuteScalarAsync());

        // Nothing answers on the same port at another address of this machine.
        foreach (var address in OtherLocalAddresses())
        {
            Assert.False(await AcceptsConnectionsAsync(address, PostgresCluster.Shared.Port), $"The server answers on {address}.");
        }

        Assert.True(await AcceptsConnectionsAsync(IPAddress.Loopback, PostgresCluster.Shared.Port));
    }

    [Fact]
    public async Task Many_databases_can_be_created_concurrently()
    {
        var names = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostgresCluster.Shared.CreateDatabaseAsync("parallel")));
        Assert.Equal(names.Length, names.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task TestDatabases_gives_a_fresh_target_of_the_asked_kind(DatabaseKind kind)
    {
        var first = await TestDatabases.CreateAsync(kind);
        var second = await TestDatabases.CreateAsync(kind);

        Assert.Equal(kind, first.Kind);
        Assert.NotEqual(first.ConnectionString, second.ConnectionString);

        await using var database = new Database(first);
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE probe (id int); SELECT 1;";
        Assert.Equal(1, Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<bool> AcceptsConnectionsAsync(IPAddress address, int port)
    {
        using var client = new TcpClient(address.AddressFamily);
        try
        {
            await client.ConnectAsync(address, port).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (Exception exception) when (exception is SocketException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Addresses of this machine other than 127.0.0.1; the IPv6 loopback always counts.</summary>
    private static IEnumerable<IPAddress> OtherLocalAddresses()
    {
        var addresses = new List<IPAddress>();
        if (Socket.OSSupportsIPv6)
        {
            addresses.Add(IPAddress.IPv6Loopback);
        }

        addresses.AddRange(System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .Where(address => address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address)));
        return addresses.Distinct();
    }
}
