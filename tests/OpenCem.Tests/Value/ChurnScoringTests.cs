using System.Text.Json;
using Dapper;
using Microsoft.ML;
using OpenCem.Customers;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Value.Churn;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Value;

/// <summary>
/// Scoring everyone through the pipeline (facts read, features built once per run, predicted on all cores, stored in
/// batches) gives exactly what scoring one customer at a time from the schema gives, on both databases.
/// </summary>
public sealed class ChurnScoringTests
{
    private const int Customers = 1_500;
    private static readonly long Now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ScoreAll_Pipeline_StoresTheScoresOfOneAtATimeScoring(DatabaseKind kind)
    {
        await using var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        var ws = (await new WorkspaceStore(database).EnsureDefaultAsync()).Id;
        await SeedAsync(database, ws);
        var rules = new LifecycleRules();
        List<ChurnFacts> facts;
        await using (var connection = await database.OpenAsync())
        {
            var ids = await ChurnFactsReader.CustomerIdsAsync(connection, ws);
            var touchpoints = await ChurnFactsReader.TouchpointKeysAsync(connection, ws);
            var read = await ChurnFactsReader.ReadAsync(connection, ws, ids[0], ids[^1], long.MaxValue, Now, rules, touchpoints);
            facts = ids.Select(id => read[id]).ToList();
        }

        var label = ChurnLabel.Parse("trait:Churn=Yes").Label!;
        foreach (var f in facts)
        {
            f.Churned = label.Matches(f.Traits["Churn"]);
        }

        var (schema, _) = ChurnFeatureSchema.Build(facts, label, ["customerID"]);
        var rows = new ChurnFeatureRows(schema);
        Assert.Contains(schema.Columns, c => c.Kind == FeatureKind.Missing);
        Assert.Contains(schema.Columns, c => c.Name.StartsWith("failures at ", StringComparison.Ordinal));
        Assert.All(facts, f => Assert.Equal(schema.Row(f), rows.Row(f)));

        var fit = facts.Select(f => new ChurnRow { Label = f.Churned, Features = schema.Row(f) }).ToList();
        var predictor = new ChurnTrainer().Fit(new MLContext(17), fit, schema.Count, ChurnTrainer.TreesName);
        Assert.NotNull(predictor.ExplainOne);
        var expected = ChurnScorer.Score(schema, predictor, facts);
        Assert.Equal(expected, ChurnScorer.Score(rows, schema, predictor, facts));

        var scored = await ChurnScorer.ScoreAllAsync(chunkSize: 200, database, ws, 7, schema, predictor, rules, Now, null, CancellationToken.None);

        Assert.Equal(Customers, scored);
        await using var check = await database.OpenAsync();
        var stored = (await check.QueryAsync<StoredRow>(
            """
            SELECT v.customer_id AS CustomerId, v.churn_risk AS Risk, v.churn_reasons AS Reasons, v.churn_model_id AS ModelId,
                   c.lifecycle AS Lifecycle, c.tenure_band AS TenureBand, c.poor_touchpoints AS PoorTouchpoints, c.model_id AS FactsModelId
            FROM customer_values v JOIN churn_customers c ON c.workspace_id = v.workspace_id AND c.customer_id = v.customer_id
            WHERE v.workspace_id = @ws ORDER BY v.customer_id
            """, new { ws })).ToList();
        Assert.Equal(expected.Count, stored.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, s) = (expected[i], stored[i]);
            Assert.Equal(new ChurnScore(e.CustomerId, e.Risk, e.Reasons, e.Lifecycle, e.TenureBand, e.PoorTouchpoints),
                new ChurnScore(s.CustomerId, s.Risk, s.Reasons, s.Lifecycle, s.TenureBand, s.PoorTouchpoints));
            Assert.Equal((7L, 7L), (s.ModelId, s.FactsModelId));
        }

        Assert.Contains(stored, s => s.PoorTouchpoints.Contains(',', StringComparison.Ordinal));
    }

    [Fact]
    public void FeatureRows_TraitsBlankOddlyCasedOrMissing_SameVectorsAsTheSchema()
    {
        var schema = new ChurnFeatureSchema(
        [
            new FeatureColumn("TotalCharges", FeatureKind.Number, "TotalCharges", null, 1500),
            new FeatureColumn("TotalCharges (missing)", FeatureKind.Missing, "TotalCharges", null, 0),
            new FeatureColumn("Contract = Month-to-month", FeatureKind.Category, "Contract", "Month-to-month", 0),
            new FeatureColumn("Contract = Two year", FeatureKind.Category, "Contract", "Two year", 0),
            new FeatureColumn(ChurnFeatureNames.LastNps, FeatureKind.Measure, ChurnFeatureNames.LastNps, null, 7.5),
            new FeatureColumn(ChurnFeatureNames.LastNps + " (missing)", FeatureKind.Missing, ChurnFeatureNames.LastNps, null, 0),
            new FeatureColumn(ChurnFeatureNames.Interactions, FeatureKind.Count, ChurnFeatureNames.Interactions, null, 0),
            new FeatureColumn(ChurnFeatureNames.TenureDays, FeatureKind.Tenure, ChurnFeatureNames.TenureDays, null, 400),
            new FeatureColumn("life-cycle stage = active", FeatureKind.Lifecycle, ChurnFeatureNames.Lifecycle, "active", 0),
        ]);
        var rows = new ChurnFeatureRows(schema);
        ChurnFacts Facts(string? charges, string? contract, double? nps, double? tenure, string stage)
        {
            var f = new ChurnFacts(1) { TenureDays = tenure, Lifecycle = stage };
            if (charges is not null)
            {
                f.Traits["TotalCharges"] = charges;
            }

            if (contract is not null)
            {
                f.Traits["Contract"] = contract;
            }

            if (nps is { } n)
            {
                f.Measures[ChurnFeatureNames.LastNps] = n;
            }

            f.Add(ChurnFeatureNames.Interactions, 3);
            return f;
        }

        foreach (var f in new[]
        {
            Facts("1234.5", "Month-to-month", 9, 30, "active"),
            Facts(" ", " month-to-MONTH ", null, null, "lapsed"),
            Facts(null, null, 3, 800, "active"),
            Facts("NaN", "Two year", null, 12.5, "prospect"),
            Facts("1e3", "One year", 10, 0, "active"),
        })
        {
            Assert.Equal(schema.Row(f), rows.Row(f));
        }
    }

    private static async Task SeedAsync(Database database, long ws)
    {
        var random = new Random(3);
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var touchpoints = new List<long>();
        foreach (var key in new[] { "checkout", "support-chat", "billing" })
        {
            touchpoints.Add(await connection.ExecuteScalarAsync<long>(
                "INSERT INTO touchpoints (workspace_id, key, name, channel, events, created_at, updated_at) VALUES (@ws, @key, @key, 'web', '[]', 0, 0) RETURNING id",
                new { ws, key }, transaction));
        }

        var table = ChurnTelcoTable.Generate(Customers, seed: 11);
        for (var i = 0; i < table.Count; i++)
        {
            var traits = table[i];
            if (i % 17 == 0)
            {
                traits["Contract"] = traits["Contract"].ToUpperInvariant(); // the same category, written differently
            }

            var customer = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO customers (workspace_id, created_at, updated_at, traits) VALUES (@ws, 0, 0, @traits) RETURNING id",
                new { ws, traits = JsonSerializer.Serialize(traits) }, transaction);
            for (var k = random.Next(0, 6); k > 0; k--)
            {
                var outcome = random.Next(4) switch { 0 => "failure", 1 => "abandoned", _ => "success" };
                await connection.ExecuteAsync(
                    """
                    INSERT INTO interactions (workspace_id, message_id, client_ts, customer_id, type, event, occurred_at, received_at, channel, outcome, effort, journey_key, touchpoint_id, revenue)
                    VALUES (@ws, @message, 0, @customer, 'track', @ev, @at, @at, @channel, @outcome, @effort, @journey, @touchpoint, @revenue)
                    """,
                    new
                    {
                        ws,
                        message = $"m{customer}-{k}",
                        customer,
                        ev = random.Next(3) == 0 ? "Order Completed" : "Support Call",
                        at = Now - (random.Next(1, 900) * 86_400_000L) - random.Next(86_400_000),
                        channel = random.Next(3) == 0 ? "phone" : "app",
                        outcome,
                        effort = random.Next(3) == 0 ? (double?)null : 1 + random.Next(7),
                        journey = random.Next(2) == 0 ? "onboarding" : null,
                        touchpoint = touchpoints[random.Next(touchpoints.Count)],
                        revenue = random.Next(4) == 0 ? 20.0 + random.Next(100) : (double?)null,
                    }, transaction);
            }
        }

        await transaction.CommitAsync();
    }

    private sealed class StoredRow
    {
        public long CustomerId { get; set; }
        public double Risk { get; set; }
        public string Reasons { get; set; } = "";
        public long ModelId { get; set; }
        public string Lifecycle { get; set; } = "";
        public string TenureBand { get; set; } = "";
        public string PoorTouchpoints { get; set; } = "";
        public long FactsModelId { get; set; }
    }
}
