using System.Globalization;
using Npgsql;
using OpenCem.Storage;

namespace OpenCem.IdentityBench;

/// <summary>Fresh databases of one kind: files in a temp folder (SQLite), or databases on a throwaway durable PostgreSQL cluster.</summary>
internal sealed class BenchDatabases : IAsyncDisposable
{
    private readonly string? _sqliteDirectory;

    private BenchDatabases(DatabaseKind kind, PostgresCluster? cluster, string? sqliteDirectory, string description)
    {
        Kind = kind;
        Cluster = cluster;
        _sqliteDirectory = sqliteDirectory;
        Description = description;
    }

    public DatabaseKind Kind { get; }

    public PostgresCluster? Cluster { get; }

    public string Description { get; }

    public static async Task<BenchDatabases> StartAsync(string kind)
    {
        if (kind == "sqlite")
        {
            var directory = Directory.CreateTempSubdirectory("opencem-identity-bench-").FullName;
            await using var probe = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
            await probe.OpenAsync();
            return new BenchDatabases(DatabaseKind.Sqlite, null, directory, $"SQLite {probe.ServerVersion} (WAL, synchronous=FULL) in {directory}");
        }

        var cluster = PostgresCluster.Start(durable: true);
        CpuSample.PostmasterPid = cluster.PostmasterPid;
        return new BenchDatabases(DatabaseKind.Postgres, cluster, null,
            $"PostgreSQL {await cluster.VersionAsync()} (throwaway cluster on 127.0.0.1, durable: {cluster.Settings})");
    }

    public async Task<DatabaseTarget> CreateAsync(string name)
    {
        if (_sqliteDirectory is not null)
        {
            return DatabaseTarget.Parse(Path.Combine(_sqliteDirectory, name + ".db"));
        }

        return DatabaseTarget.Parse(await Cluster!.CreateDatabaseAsync(name));
    }

    /// <summary>Deletes a database made by <see cref="CreateAsync"/>, so that the disk holds one run at a time.</summary>
    public async Task DropAsync(DatabaseTarget target)
    {
        if (target.Kind == DatabaseKind.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            return;
        }

        var database = new NpgsqlConnectionStringBuilder(target.ConnectionString).Database;
        await using var connection = new NpgsqlConnection(Cluster!.ConnectionStringFor("postgres", pooling: false));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The database's size on disk (SQLite: file plus WAL).</summary>
    public static async Task<long> SizeAsync(DatabaseTarget target)
    {
        if (target.Kind == DatabaseKind.Sqlite)
        {
            var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
            return new[] { path, path + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        }

        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Sets a per-database server setting (PostgreSQL), effective for new connections.</summary>
    public async Task AlterDatabaseAsync(DatabaseTarget target, string setting)
    {
        var database = new NpgsqlConnectionStringBuilder(target.ConnectionString).Database;
        await using var connection = new NpgsqlConnection(Cluster!.ConnectionStringFor("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"ALTER DATABASE \"{database}\" SET {setting}", connection);
        await command.ExecuteNonQueryAsync();
        NpgsqlConnection.ClearAllPools();
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        Cluster?.Stop();
        if (_sqliteDirectory is not null)
        {
            try
            {
                Directory.Delete(_sqliteDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Console output with a time stamp, copied to the progress log that can be watched while the benchmark runs.</summary>
internal static class Progress
{
    private static readonly Lock Gate = new();

    public static string? LogPath { get; set; }

    public static void Log(string message)
    {
        var line = $"[{DateTime.Now:HH:mm:ss}] {message}";
        lock (Gate)
        {
            Console.WriteLine(line);
            if (LogPath is not null)
            {
                File.AppendAllText(LogPath, line + Environment.NewLine);
            }
        }
    }

    /// <summary>The repository's root (the folder with OpenCem.slnx), or the current folder.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OpenCem.slnx")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
