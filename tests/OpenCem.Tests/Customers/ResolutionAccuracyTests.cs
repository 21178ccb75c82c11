using Dapper;
using OpenCem.Customers;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Customers;

/// <summary>
/// Three source systems with planted overlaps, spelling variants, shared identifiers and conflicting customer
/// numbers, imported from CSV: the profiles must match the known truth exactly (pairwise precision and recall 1).
/// </summary>
public sealed class ResolutionAccuracyTests
{
    public static IEnumerable<object[]> Cases =>
    [
        [DatabaseKind.Sqlite, false], [DatabaseKind.Sqlite, true],
        [DatabaseKind.Postgres, false], [DatabaseKind.Postgres, true],
    ];

    [Theory, MemberData(nameof(Cases))]
    public async Task Three_planted_sources_resolve_with_exact_pairwise_precision_and_recall(DatabaseKind kind, bool wholeWorkspace)
    {
        var planted = PlantedSources.Generate(1_500, seed: 7);
        await using var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        // One path re-resolves the whole workspace per file, the other only what each record touches.
        var identity = new IdentityService(database, TimeProvider.System) { FullResolutionThreshold = wholeWorkspace ? 1 : int.MaxValue };
        var settings = await identity.GetSettingsAsync(workspace.Id);

        foreach (var source in new[] { "crm", "billing", "webshop" })
        {
            var rejections = new List<RecordRejection>();
            var records = RecordFiles.ReadCsv(new StringReader(planted.ToCsv(source)), source, new SourceRecordReader(settings), new Dictionary<string, string>(), rejections).ToList();
            Assert.Empty(rejections);
            var outcome = await identity.UpsertAsync(workspace.Id, records);
            Assert.Empty(outcome.Rejections);
        }

        await using var connection = await database.OpenAsync();
        var actual = (await connection.QueryAsync<(string Source, string Key, long Customer)>("SELECT source, record_key, customer_id FROM source_records"))
            .ToDictionary(r => (r.Source, r.Key), r => r.Customer.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(planted.Records.Count, actual.Count);

        var (precision, recall) = PairwiseAccuracy.Measure(planted.ExpectedProfile, actual);
        Assert.Equal(1.0, precision);
        Assert.Equal(1.0, recall);

        // Re-running resolution over everything changes nothing.
        await identity.RebuildAsync(workspace.Id);
        var rebuilt = (await connection.QueryAsync<(string Source, string Key, long Customer)>("SELECT source, record_key, customer_id FROM source_records"))
            .ToDictionary(r => (r.Source, r.Key), r => r.Customer.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(actual, rebuilt);
        Assert.Equal(actual.Values.Distinct().LongCount(), await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM customers"));
    }
}

/// <summary>Pairwise precision and recall of a clustering against the truth: over all pairs of items in one cluster.</summary>
public static class PairwiseAccuracy
{
    public static (double Precision, double Recall) Measure<TItem>(IReadOnlyDictionary<TItem, string> expected, IReadOnlyDictionary<TItem, string> actual)
        where TItem : notnull
    {
        static long Pairs(long n) => n * (n - 1) / 2;
        var both = expected.Keys.Where(actual.ContainsKey).ToList();
        var truePairs = both.GroupBy(k => (expected[k], actual[k])).Sum(g => Pairs(g.Count()));
        var predicted = both.GroupBy(k => actual[k]).Sum(g => Pairs(g.Count()));
        var real = both.GroupBy(k => expected[k]).Sum(g => Pairs(g.Count()));
        return (predicted == 0 ? 1 : (double)truePairs / predicted, real == 0 ? 1 : (double)truePairs / real);
    }
}
