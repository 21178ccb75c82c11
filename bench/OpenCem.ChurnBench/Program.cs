using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.ML;
using OpenCem.Customers;
using OpenCem.Storage;
using OpenCem.Tests.Value;
using OpenCem.Value.Churn;
using OpenCem.Workspaces;

// Scoring every customer's churn risk (facts read from the database, features built, predicted with contributions,
// stored in customer_values and churn_customers) for N Telco-like customers with one interaction each, with the
// boosted-trees model, against the same pipeline with the logistic-regression baseline in the same run.
// Usage: dotnet run -c Release --project bench/OpenCem.ChurnBench -- [sqlite|postgres] [customers] [runs]
var db = args.Length > 0 ? args[0] : "sqlite";
var customers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
var machine = MachineInfo.Read();
Console.WriteLine($"# Churn scoring benchmark: {db}, {customers:N0} customers, {runs} runs; {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB:N1} GiB; source {SourceRevision.Read()}");

await using var databases = await BenchDatabases.StartAsync(db);
var target = await databases.CreateAsync("churn");
await using var database = new Database(target);
await SchemaMigrator.MigrateAsync(database);
var ws = (await new WorkspaceStore(database).EnsureDefaultAsync()).Id;
var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

var load = Stopwatch.StartNew();
await using (var connection = await database.OpenForBulkLoadAsync())
{
    const int Batch = 10_000;
    for (var start = 0; start < customers; start += Batch)
    {
        var rows = ChurnTelcoTable.Generate(Math.Min(Batch, customers - start), seed: start);
        await using var transaction = await connection.BeginTransactionAsync();
        var ids = new List<long>();
        foreach (var row in rows)
        {
            ids.Add(await connection.ExecuteScalarAsync<long>(
                "INSERT INTO customers (workspace_id, created_at, updated_at, traits) VALUES (@ws, @now, @now, @traits) RETURNING id",
                new { ws, now, traits = JsonSerializer.Serialize(row) }, transaction));
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO interactions (workspace_id, message_id, client_ts, customer_id, type, event, occurred_at, received_at, channel, outcome, effort)
            VALUES (@ws, @message, 0, @customer, 'track', 'Support Call', @at, @at, @channel, @outcome, @effort)
            """,
            ids.Select((id, i) => new
            {
                ws,
                message = "m" + id.ToString(CultureInfo.InvariantCulture),
                customer = id,
                at = now - (i % 700) * 86_400_000L,
                channel = i % 3 == 0 ? "phone" : "app",
                outcome = i % 5 == 0 ? "failure" : "success",
                effort = 1.0 + i % 7,
            }), transaction);
        await transaction.CommitAsync();
    }
}

Console.WriteLine($"loaded {customers:N0} customers and interactions in {load.Elapsed.TotalSeconds:N1} s");

// Train on the first 20,000 customers, as a workspace would before scoring everyone.
var rules = new LifecycleRules();
var label = ChurnLabel.Parse("trait:Churn=Yes").Label!;
List<ChurnFacts> sample;
Dictionary<long, string> touchpoints;
await using (var connection = await database.OpenAsync())
{
    touchpoints = await ChurnFactsReader.TouchpointKeysAsync(connection, ws);
    var first = await connection.ExecuteScalarAsync<long>("SELECT min(id) FROM customers WHERE workspace_id = @ws", new { ws });
    sample = (await ChurnFactsReader.ReadAsync(connection, ws, first, first + 19_999, long.MaxValue, now, rules, touchpoints)).Values.ToList();
}

foreach (var f in sample)
{
    f.Churned = label.Matches(f.Traits["Churn"]);
}

var (schema, _) = ChurnFeatureSchema.Build(sample, label, ["customerID"]);
var trainer = new ChurnTrainer();
var rowsForFit = sample.Select(f => new ChurnRow { Label = f.Churned, Features = schema.Row(f) }).ToList();
var ml = new MLContext(17);
var models = new Dictionary<string, ChurnPredictor>
{
    ["boosted trees (150 trees, 16 leaves)"] = trainer.Fit(ml, rowsForFit, schema.Count, ChurnTrainer.TreesName),
    ["logistic regression (baseline)"] = trainer.Fit(ml, rowsForFit, schema.Count, ChurnTrainer.BaselineName),
};
Console.WriteLine($"{schema.Count} features");

var times = models.Keys.ToDictionary(k => k, _ => new List<double>());
for (var run = 0; run < runs; run++)
{
    foreach (var (name, predictor) in models)
    {
        var watch = Stopwatch.StartNew();
        var cpu = CpuSample.Take();
        var scored = await ChurnScorer.ScoreAllAsync(database, ws, run + 1, schema, predictor, rules, now);
        times[name].Add(watch.Elapsed.TotalSeconds);
        var used = CpuSample.Take().Since(cpu);
        // CPU seconds show the work apart from the machine's load: on an idle machine the time cannot fall below them / cores.
        Console.WriteLine($"run {run + 1}: {name}: {scored:N0} scored in {watch.Elapsed.TotalSeconds:N1} s; CPU {used.ProcessCpuSeconds:N1} s here + {used.PostgresCpuSeconds:N1} s PostgreSQL; load {File.ReadAllText("/proc/loadavg").Trim()}");
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

var baseline = Median(times["logistic regression (baseline)"]);
foreach (var (name, values) in times)
{
    var median = Median(values);
    Console.WriteLine($"| {name} | {customers:N0} | {median:N1} s | {customers / median:N0} customers/s | {median / baseline:N2}× |");
}

// Where the time goes, for one pass with the trees: reading facts, predicting with contributions, storing.
await using (var connection = await database.OpenAsync())
{
    var ids = await ChurnFactsReader.CustomerIdsAsync(connection, ws);
    var trees = models.First().Value;
    var rows = new ChurnFeatureRows(schema);
    var traits = ChurnScorer.TraitsUsed(schema, rules);
    double read = 0, predict = 0, store = 0;
    var cpu = CpuSample.Take();
    for (var start = 0; start < ids.Count; start += ChurnScorer.ChunkSize)
    {
        var chunk = ids.Skip(start).Take(ChurnScorer.ChunkSize).ToList();
        var watch = Stopwatch.StartNew();
        var facts = await ChurnFactsReader.ReadAsync(connection, ws, chunk[0], chunk[^1], long.MaxValue, now, rules, touchpoints, traits);
        read += watch.Elapsed.TotalSeconds;
        watch.Restart();
        var scores = ChurnScorer.Score(rows, schema, trees, chunk.Select(id => facts[id]).ToList());
        predict += watch.Elapsed.TotalSeconds;
        watch.Restart();
        await ChurnScoreWriter.WriteAsync(connection, ws, 99, now, scores, CancellationToken.None);
        store += watch.Elapsed.TotalSeconds;
    }

    var used = CpuSample.Take().Since(cpu);
    Console.WriteLine($"load {File.ReadAllText("/proc/loadavg").Trim()}; parts of one trees pass, one after the other: read facts {read:N1} s, features + prediction + reasons {predict:N1} s, store {store:N1} s; CPU {used.ProcessCpuSeconds:N1} s here + {used.PostgresCpuSeconds:N1} s PostgreSQL");
}

