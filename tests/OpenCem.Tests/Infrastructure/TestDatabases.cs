using OpenCem.Storage;

namespace OpenCem.Tests.Infrastructure;

/// <summary>
/// Fresh, empty databases of either kind, for tests that run against both SQLite and PostgreSQL:
/// <c>[Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]</c>.
/// </summary>
public static class TestDatabases
{
    private static readonly Lazy<string> SqliteDirectory = new(CreateSqliteDirectory, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IEnumerable<object[]> Kinds => [[DatabaseKind.Sqlite], [DatabaseKind.Postgres]];

    /// <summary>A new database nobody else uses: a temp SQLite file, or a new database on the shared test cluster.</summary>
    public static async Task<DatabaseTarget> CreateAsync(DatabaseKind kind) => kind switch
    {
        DatabaseKind.Sqlite => DatabaseTarget.Parse(Path.Combine(SqliteDirectory.Value, $"test-{Guid.NewGuid():N}.db")),
        DatabaseKind.Postgres => DatabaseTarget.Parse(await PostgresCluster.Shared.CreateDatabaseAsync()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown database kind."),
    };

    /// <summary>
    /// Like <see cref="CreateAsync"/>, but already at the newest schema: a copy of one database migrated once per test run
    /// (<see cref="DatabaseTemplates"/>), which saves each server test the migrations (about a second on PostgreSQL).
    /// </summary>
    public static async Task<DatabaseTarget> CreateMigratedAsync(DatabaseKind kind) =>
        (await DatabaseTemplates.CopyAsync(kind, MigratedKey, database => SchemaMigrator.MigrateAsync(database), large: false)).Target;

    private const string MigratedKey = "migrated";

    private static string CreateSqliteDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("opencem-sqlite-").FullName;
        PostgresCluster.CleanUpWhenProcessEnds(directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            // Pooled SQLite connections keep the files open; release them so the folder can go.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        return directory;
    }
}
