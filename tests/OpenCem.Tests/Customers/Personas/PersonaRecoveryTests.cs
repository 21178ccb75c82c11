using System.Data.Common;
using Dapper;
using OpenCem.Customers.Personas;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenCem.Tests.Customers.Personas;

/// <summary>Clustering the demo company finds its planted personas (truth 15) on both databases.</summary>
[Collection(DemoDatabases.LargeCollection)]
public sealed class PersonaRecoveryTests(ITestOutputHelper output)
{
    private static readonly DemoOptions Options = DemoDatabases.Large;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Cluster_DemoCompany_RecoversThePlantedPersonas(DatabaseKind kind)
    {
        var demo = await DemoDatabases.CopyAsync(kind, Options);
        await using var database = new Database(demo.Target);
        await using var connection = await database.OpenAsync();
        var table = await PersonaFeatureReader.ReadAsync(connection, demo.WorkspaceId, Options.ResolveAsOf().ToUnixTimeMilliseconds(), "customerSince", "monthlyFee");
        var clusters = new PersonaClustering(5).Run(table, 4);
        var planted = await PlantedAsync(connection, demo.WorkspaceId);
        var found = new List<int>();
        var truth = new List<int>();
        for (var r = 0; r < table.Count; r++)
        {
            if (planted.TryGetValue(table.Customers[r], out var index))
            {
                found.Add(clusters.Assignment[r]);
                truth.Add(DemoPersonas.Of(Options.Seed, index));
            }
        }

        var ari = AdjustedRandIndex.Of(truth, found);
        output.WriteLine($"ARI {ari:F3} over {truth.Count} customers; sizes {string.Join(",", clusters.Sizes)}");
        Assert.True(truth.Count >= Options.Customers * 0.95);
        Assert.True(ari >= 0.8, $"ARI {ari:F3}");
    }

    /// <summary>Each demo customer's profile id with their index in the generator (from the user id cust-NNNNNN).</summary>
    internal static async Task<Dictionary<long, int>> PlantedAsync(DbConnection connection, long ws)
    {
        var rows = await connection.QueryAsync<(long Id, string Value)>(
            "SELECT customer_id, value FROM customer_identities WHERE workspace_id = @ws AND kind = 'userId' AND value LIKE 'cust-%'", new { ws });
        return rows.ToDictionary(r => r.Id, r => int.Parse(r.Value["cust-".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
