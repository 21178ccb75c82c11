using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Npgsql;
using OpenCem.Storage;

namespace OpenCem.Tests.Infrastructure;

/// <summary>
/// Databases built once per test run and handed out as copies: the first caller of a key builds the template (the
/// others wait for it, whichever thread they run on), nobody opens the template afterwards, and every caller gets a
/// copy of its own to change freely. SQLite: a file copy of the checkpointed template. PostgreSQL:
/// <c>CREATE DATABASE ... TEMPLATE</c> on the shared cluster.
/// </summary>
internal static class DatabaseTemplates
{
    private static readonly ConcurrentDictionary<(DatabaseKind Kind, object Key), Lazy<Task<Template>>> Templates = new();

    /// <summary>
    /// A copy of the template of (<paramref name="kind"/>, <paramref name="key"/>), built by <paramref name="build"/> on a
    /// new database if there is none yet; with what the build returned. <paramref name="large"/>: copy PostgreSQL's files
    /// rather than its blocks through the WAL (faster for hundreds of MB, but each copy checkpoints the cluster).
    /// </summary>
    public static async Task<(DatabaseTarget Target, T Built)> CopyAsync<T>(DatabaseKind kind, object key, Func<Database, Task<T>> build, bool large)
    {
        var template = await TemplateAsync(kind, key, async database => (object?)await build(database));
        var target = kind switch
        {
            DatabaseKind.Sqlite => CopySqlite(template.Target),
            DatabaseKind.Postgres => DatabaseTarget.Parse(await PostgresCluster.Shared.CopyDatabaseAsync(template.PostgresName!, "copy", fileCopy: large)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown database kind."),
        };
        return (target, (T)template.Built!);
    }

    private static async Task<Template> TemplateAsync(DatabaseKind kind, object key, Func<Database, Task<object?>> build)
    {
        // Task.Run: the build belongs to no single test, and nobody waits on the Lazy's lock while SQLite's synchronous
        // "async" calls run.
        var lazy = Templates.GetOrAdd(
            (kind, key), k => new Lazy<Task<Template>>(() => Task.Run(() => BuildAsync(k.Kind, build)), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            // A failed build is not kept: the next test tries again instead of failing on someone else's error.
            Templates.TryRemove(new KeyValuePair<(DatabaseKind, object), Lazy<Task<Template>>>((kind, key), lazy));
            throw;
        }
    }

    private static async Task<Template> BuildAsync(DatabaseKind kind, Func<Database, Task<object?>> build)
    {
        var target = await TestDatabases.CreateAsync(kind);
        object? built;
        await using (var database = new Database(target))
        {
            built = await build(database);
        }

        // Disposing the database closed its PostgreSQL pool; SQLite's pool is process-wide, by connection string.
        if (kind == DatabaseKind.Sqlite)
        {
            SealSqlite(target);
            return new Template(target, null, built);
        }

        return new Template(target, new NpgsqlConnectionStringBuilder(target.ConnectionString).Database!, built);
    }

    /// <summary>
    /// Leaves the template as one self-contained file: pooled connections closed, the WAL checkpointed into the file and
    /// removed. Nobody opens the template after this, so a plain file copy is a consistent database.
    /// </summary>
    private static void SealSqlite(DatabaseTarget target)
    {
        SqliteConnection.ClearPool(new SqliteConnection(target.ConnectionString));
        var path = new SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder(target.ConnectionString) { Pooling = false }.ConnectionString))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            using var reader = checkpoint.ExecuteReader();
            // (busy, log frames, checkpointed frames): busy means another connection still holds the file.
            if (!reader.Read() || reader.GetInt64(0) != 0)
            {
                throw new InvalidOperationException($"The template {path} is still in use: its WAL could not be checkpointed.");
            }
        }

        // The last connection to close removes the WAL; one that is left over holds frames the copy would miss.
        var wal = new FileInfo(path + "-wal");
        if (wal.Exists && wal.Length > 0)
        {
            throw new InvalidOperationException($"The template {path} still has a WAL of {wal.Length} bytes.");
        }
    }

    private static DatabaseTarget CopySqlite(DatabaseTarget template)
    {
        var source = new SqliteConnectionStringBuilder(template.ConnectionString).DataSource;
        var copy = Path.Combine(Path.GetDirectoryName(source)!, $"copy-{Guid.NewGuid():N}.db");
        File.Copy(source, copy);
        return DatabaseTarget.Parse(copy);
    }

    private sealed record Template(DatabaseTarget Target, string? PostgresName, object? Built);
}
