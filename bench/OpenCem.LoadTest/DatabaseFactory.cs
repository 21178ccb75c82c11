using System.Globalization;
using Npgsql;
using OpenCem.Storage;

namespace OpenCem.LoadTest;

/// <summary>Fresh databases of one kind: temp SQLite files, or databases on a throwaway or given PostgreSQL server.</summary>
internal sealed class DatabaseFactory : IAsyncDisposable
{
    private readonly LoadTestOptions _options;
    private readonly PostgresCluster? _cluster;
    private readonly NpgsqlDataSource? _admin;
    private readonly string? _sqliteDirectory;
    private readonly bool _deleteSqliteDirectory;
    private readonly List<string> _created = [];

    private DatabaseFactory(LoadTestOptions options, PostgresCluster? cluster, NpgsqlDataSource? admin, string? sqliteDirectory, bool deleteSqlite, string description)
    {
        _options = options;
        _cluster = cluster;
        _admin = admin;
        _sqliteDirectory = sqliteDirectory;
        _deleteSqliteDirectory = deleteSqlite;
        Description = description;
    }

    public string Description { get; }

    public static async Task<DatabaseFactory> CreateAsync(LoadTestOptions options)
    {
        if (!options.IsPostgres)
        {
            var directory = options.WorkDir ?? Directory.CreateTempSubdirectory("opencem-bench-sqlite-").FullName;
            Directory.CreateDirectory(directory);
            await using var probe = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
            await probe.OpenAsync();
            return new DatabaseFactory(options, null, null, directory, options.WorkDir is null,
                $"SQLite {probe.ServerVersion} (WAL, synchronous=FULL) in {directory}");
        }

        if (options.Pg is { } given)
        {
            var admin = NpgsqlDataSource.Create(given);
            await using var command = admin.CreateCommand("SHOW server_version");
            var version = (string)(await command.ExecuteScalarAsync())!;
            return new DatabaseFactory(options, null, admin, null, false, $"PostgreSQL {version} (given server)");
        }

        var cluster = PostgresCluster.Start(options.PgDurable);
        CpuSample.PostmasterPid = cluster.PostmasterPid;
        var clusterVersion = await cluster.VersionAsync();
        return new DatabaseFactory(options, cluster, null, null, false,
            $"PostgreSQL {clusterVersion} (throwaway cluster, {(options.PgDurable ? "durable" : "NOT durable")}: {cluster.Settings})");
    }

    public async Task<DatabaseTarget> CreateAsync(string name)
    {
        if (_sqliteDirectory is not null)
        {
            var path = Path.Combine(_sqliteDirectory, name + ".db");
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            return DatabaseTarget.Parse(path);
        }

        if (_cluster is not null)
        {
            return DatabaseTarget.Parse(await _cluster.CreateDatabaseAsync(name));
        }

        var unique = $"{name}_{Guid.NewGuid():N}"[..Math.Min(name.Length + 9, 63)];
        await using (var command = _admin!.CreateCommand($"CREATE DATABASE \"{unique}\""))
        {
            await command.ExecuteNonQueryAsync();
        }

        _created.Add(unique);
        return DatabaseTarget.Parse(new NpgsqlConnectionStringBuilder(_options.Pg) { Database = unique }.ConnectionString);
    }

    /// <summary>A check for the load loops: a reason to stop when the database's disk has less than <paramref name="minFreeGiB"/> free.</summary>
    public Func<string?> DiskGuard(double minFreeGiB)
    {
        var directory = _sqliteDirectory ?? _cluster?.RootDirectory ?? Path.GetTempPath();
        return () =>
        {
            var free = new DriveInfo(directory).AvailableFreeSpace / 1073741824.0;
            return free < minFreeGiB ? $"only {free:N1} GiB free on the database's disk (limit {minFreeGiB} GiB)" : null;
        };
    }

    /// <summary>The SQLite write-ahead log's size in MiB, or null for PostgreSQL.</summary>
    public double? WalMiB(DatabaseTarget target)
    {
        if (target.Kind != DatabaseKind.Sqlite)
        {
            return null;
        }

        var wal = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource + "-wal";
        return File.Exists(wal) ? new FileInfo(wal).Length / 1048576.0 : 0;
    }

    /// <summary>Deletes the SQLite files made so far (raw phases), so that the disk holds one run at a time.</summary>
    public Task DropAsync()
    {
        if (_sqliteDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(_sqliteDirectory, "opencem_*"))
            {
                File.Delete(file);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Rows in the interactions table and the size of the database on disk.</summary>
    public async Task<(long Rows, long Bytes)> MeasureAsync(DatabaseTarget target)
    {
        await using var database = new Database(target);
        await using var connection = await database.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM interactions";
        var rows = Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        if (target.Kind == DatabaseKind.Sqlite)
        {
            var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
            var bytes = new[] { path, path + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
            return (rows, bytes);
        }

        await using var size = connection.CreateCommand();
        size.CommandText = "SELECT pg_database_size(current_database())";
        return (rows, Convert.ToInt64(await size.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (_admin is not null)
        {
            foreach (var name in _created)
            {
                try
                {
                    await using var command = _admin.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                    await command.ExecuteNonQueryAsync();
                }
                catch (NpgsqlException)
                {
                }
            }

            await _admin.DisposeAsync();
        }

        _cluster?.Stop();
        if (_deleteSqliteDirectory && _sqliteDirectory is not null)
        {
            try
            {
                Directory.Delete(_sqliteDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
