using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Npgsql;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Demo;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Infrastructure;

/// <summary>A copy of a generated demo company that belongs to one test: its database, workspace and what the load reported.</summary>
public sealed record DemoDatabase(DatabaseTarget Target, long WorkspaceId, DemoLoadResult Loaded);

/// <summary>
/// Demo companies generated once per test run and handed out as copies. Generating one takes seconds to a minute per
/// database, and many classes ask for the same size and seed; a copy takes a fraction of a second. Each (database kind,
/// demo options) is generated lazily by the first test that asks (the others wait for it, whichever thread they run on),
/// into a template nobody else opens; every caller gets its own copy, so a test may change its data freely.
/// </summary>
public static class DemoDatabases
{
    /// <summary>300 customers, seed 7: enough for reports, the CLI and the API to have something of everything.</summary>
    public static readonly DemoOptions Small = new(Customers: 300, Seed: 7, AsOf: DemoSample.AsOf);

    /// <summary>1,500 customers, seed 11: metrics, cases, assessments and CLV find their planted truths.</summary>
    public static readonly DemoOptions Medium = new(Customers: 1500, Seed: 11, AsOf: DemoSample.AsOf);

    /// <summary>2,500 customers, seed 42: text themes, the brand gap, journeys and personas find theirs.</summary>
    public static readonly DemoOptions Large = new(Customers: 2_500, Seed: 42, AsOf: DemoSample.AsOf);

    private static readonly ConcurrentDictionary<(DatabaseKind Kind, DemoOptions Options), Lazy<Task<Template>>> Templates = new();

    /// <summary>A new database holding the demo of <paramref name="options"/>, migrated, in the default workspace.</summary>
    public static async Task<DemoDatabase> CopyAsync(DatabaseKind kind, DemoOptions options)
    {
        // A demo that ends "today" is another demo after midnight; a test that wants one generates it itself.
        ArgumentNullException.ThrowIfNull(options.AsOf, "options.AsOf");
        var template = await TemplateAsync(kind, options);
        var target = kind switch
        {
            DatabaseKind.Sqlite => CopySqlite(template.Target),
            DatabaseKind.Postgres => DatabaseTarget.Parse(await PostgresCluster.Shared.CopyDatabaseAsync(template.PostgresName!, "demo")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown database kind."),
        };
        return new DemoDatabase(target, template.WorkspaceId, template.Loaded);
    }

    private static async Task<Template> TemplateAsync(DatabaseKind kind, DemoOptions options)
    {
        var key = (kind, options);
        // Task.Run: the generation belongs to no single test, and nobody waits on the Lazy's lock while SQLite's
        // synchronous "async" calls run.
        var lazy = Templates.GetOrAdd(key, k => new Lazy<Task<Template>>(() => Task.Run(() => GenerateAsync(k.Kind, k.Options)), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            // A failed generation is not kept: the next test tries again instead of failing on someone else's error.
            Templates.TryRemove(new KeyValuePair<(DatabaseKind, DemoOptions), Lazy<Task<Template>>>(key, lazy));
            throw;
        }
    }

    private static async Task<Template> GenerateAsync(DatabaseKind kind, DemoOptions options)
    {
        var target = await TestDatabases.CreateAsync(kind);
        long workspaceId;
        DemoLoadResult loaded;
        await using (var database = new Database(target))
        {
            await SchemaMigrator.MigrateAsync(database);
            workspaceId = (await new WorkspaceStore(database).EnsureDefaultAsync()).Id;
            loaded = await new DemoLoader(database, TimeProvider.System).LoadAsync(workspaceId, options);
        }

        // Disposing the database closed the PostgreSQL pool; SQLite's pool is process-wide, by connection string.
        if (kind == DatabaseKind.Sqlite)
        {
            SealSqlite(target);
            return new Template(target, null, workspaceId, loaded);
        }

        var name = new NpgsqlConnectionStringBuilder(target.ConnectionString).Database!;
        return new Template(target, name, workspaceId, loaded);
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
                throw new InvalidOperationException($"The demo template {path} is still in use: its WAL could not be checkpointed.");
            }
        }

        // The last connection to close removes the WAL; one that is left over holds frames the copy would miss.
        var wal = new FileInfo(path + "-wal");
        if (wal.Exists && wal.Length > 0)
        {
            throw new InvalidOperationException($"The demo template {path} still has a WAL of {wal.Length} bytes.");
        }
    }

    private static DatabaseTarget CopySqlite(DatabaseTarget template)
    {
        var source = new SqliteConnectionStringBuilder(template.ConnectionString).DataSource;
        var copy = Path.Combine(Path.GetDirectoryName(source)!, $"demo-{Guid.NewGuid():N}.db");
        File.Copy(source, copy);
        return DatabaseTarget.Parse(copy);
    }

    private sealed record Template(DatabaseTarget Target, string? PostgresName, long WorkspaceId, DemoLoadResult Loaded);
}
