using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Demo;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Infrastructure;

/// <summary>A copy of a generated demo company that belongs to one test: its database, workspace and what the load reported.</summary>
public sealed record DemoDatabase(DatabaseTarget Target, long WorkspaceId, DemoLoadResult Loaded);

/// <summary>
/// Demo companies generated once per test run and handed out as copies (<see cref="DatabaseTemplates"/>). Generating one
/// takes seconds to a minute per database, and many classes ask for the same size and seed; a copy takes a fraction of a
/// second, and each test gets its own, so it may change the data freely.
/// </summary>
public static class DemoDatabases
{
    /// <summary>300 customers, seed 7: enough for reports, the CLI and the API to have something of everything.</summary>
    public static readonly DemoOptions Small = new(Customers: 300, Seed: 7, AsOf: DemoSample.AsOf);

    /// <summary>1,500 customers, seed 11: metrics, cases, assessments and CLV find their planted truths.</summary>
    public static readonly DemoOptions Medium = new(Customers: 1500, Seed: 11, AsOf: DemoSample.AsOf);

    /// <summary>2,500 customers, seed 42: text themes, the brand gap, journeys and personas find theirs.</summary>
    public static readonly DemoOptions Large = new(Customers: 2_500, Seed: 42, AsOf: DemoSample.AsOf);

    // The classes of one size form one xunit collection and run one after another: xunit's conservative scheduler starts
    // only as many tests as it has threads, and a class waiting in one of them for another class's generation would
    // leave a core idle.
    public const string SmallCollection = "Demo: small";

    public const string MediumCollection = "Demo: medium";

    public const string LargeCollection = "Demo: large";

    /// <summary>A new database holding the demo of <paramref name="options"/>, migrated, in the default workspace.</summary>
    public static async Task<DemoDatabase> CopyAsync(DatabaseKind kind, DemoOptions options)
    {
        // A demo that ends "today" is another demo after midnight; a test that wants one generates it itself.
        ArgumentNullException.ThrowIfNull(options.AsOf, "options.AsOf");
        var (target, (workspaceId, loaded)) = await DatabaseTemplates.CopyAsync(kind, options, database => GenerateAsync(database, options), large: true);
        return new DemoDatabase(target, workspaceId, loaded);
    }

    private static async Task<(long WorkspaceId, DemoLoadResult Loaded)> GenerateAsync(Database database, DemoOptions options)
    {
        await SchemaMigrator.MigrateAsync(database);
        var workspaceId = (await new WorkspaceStore(database).EnsureDefaultAsync()).Id;
        return (workspaceId, await new DemoLoader(database, TimeProvider.System).LoadAsync(workspaceId, options));
    }
}
