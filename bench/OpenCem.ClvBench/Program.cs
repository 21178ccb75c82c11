using System.Diagnostics;
using System.Globalization;
using OpenCem.Storage;
using OpenCem.Value.Fits;
using OpenCem.Value.Lifetime;
using OpenCem.Value.Transactions;
using OpenCem.Workspaces;

// A CLV fit for N customers (default 1 M) drawn from a BG/NBD process, end to end as the worker runs it (read the
// purchases, summarise, fit BG/NBD and Gamma-Gamma, value every customer, write customer_values), against a plain bulk
// write of N customer_values rows measured in the same run. Usage: [--db sqlite|postgres|both] [--customers N] [--runs R]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var customers = int.Parse(Arg("--customers", "1000000"), CultureInfo.InvariantCulture);
var runs = int.Parse(Arg("--runs", "3"), CultureInfo.InvariantCulture);
var kinds = Arg("--db", "sqlite") switch { "postgres" => new[] { "postgres" }, "both" => ["sqlite", "postgres"], _ => ["sqlite"] };
var machine = MachineInfo.Read();
Console.WriteLine($"machine: {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB:0.0} GiB; source {SourceRevision.Read()}");

// Two years of days from 2024-01-01: first purchases over the first 26 weeks, calibration to week 78, holdout 26 weeks.
var firstDay = Purchase.DayOf(new DateOnly(2024, 1, 1));
var endDay = firstDay + 728;
var calibrationEnd = new DateOnly(2024, 1, 1).AddDays(546);
var process = new BgNbdParameters(0.5, 6, 0.6, 3);
var spend = new GammaGammaParameters(5, 4, 20);
var started = Stopwatch.StartNew();
var purchases = BgNbdSimulation.Purchases(process, spend, customers, 1, firstDay, 182, endDay, 7, seed: 1).ToList();
Console.WriteLine($"generated {purchases.Count:N0} purchases of {customers:N0} customers in {started.Elapsed.TotalSeconds:0.0} s");

foreach (var kind in kinds)
{
    await using var databases = await BenchDatabases.StartAsync(kind);
    var target = await databases.CreateAsync("clv");
    await using var database = new Database(target);
    await SchemaMigrator.MigrateAsync(database);
    var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
    started.Restart();
    await using (var connection = await database.OpenForBulkLoadAsync())
    {
        foreach (var chunk in purchases.Chunk(200_000))
        {
            await using var transaction = await connection.BeginTransactionAsync();
            var rows = chunk.Select((p, i) => (p.CustomerId, new TransactionItem(0, p.CustomerId, [], (p.Day * Purchase.MillisecondsPerDay) + i, p.Amount, $"b:{p.CustomerId}:{p.Day}:{i}"))).ToList();
            await TransactionWriter.InsertAsync(connection, transaction, workspace.Id, "bench", 0, rows, CancellationToken.None);
            await transaction.CommitAsync();
        }
    }

    Console.WriteLine($"{databases.Description}: loaded the purchases in {started.Elapsed.TotalSeconds:0.0} s (setup, not measured)");
    var baseline = new List<double>();
    var fits = new List<double>();
    var phaseTimes = new Dictionary<string, List<double>>();
    var values = Enumerable.Range(1, customers).Select(c => new CustomerValue(c, c % 97, 0.5, 1.5)).ToArray();
    ClvFitResultView? result = null;
    for (var run = 0; run < runs; run++)
    {
        started.Restart();
        await using (var connection = await database.OpenForBulkLoadAsync())
        {
            await CustomerValueWriter.WriteAsync(connection, workspace.Id, 0, values, 0, CancellationToken.None);
        }

        baseline.Add(started.Elapsed.TotalSeconds);
        var store = new ClvFitStore(database, TimeProvider.System);
        var id = await store.QueueAsync(workspace.Id, new ClvFitRequest(calibrationEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "week", 52, 0.002));
        await store.ClaimAsync(id, CancellationToken.None);
        started.Restart();
        var phases = await new ClvFitRunner(database, store, TimeProvider.System).RunAsync(workspace.Id, id);
        fits.Add(started.Elapsed.TotalSeconds);
        foreach (var (phase, took) in phases.Phases)
        {
            phaseTimes.TryAdd(phase, []);
            phaseTimes[phase].Add(took.TotalSeconds);
        }

        var fit = await store.GetAsync(workspace.Id, id);
        result = fit!.Result ?? throw new InvalidOperationException(fit.Error);
        Console.WriteLine($"  run {run + 1}: baseline write {baseline[^1]:0.00} s, fit {fits[^1]:0.00} s ({phases}); load {MachineLoad()}");
    }

    static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
    var r = result!;
    Console.WriteLine($"{kind}: customers {r.CustomersValued:N0}, purchases {r.Purchases:N0}, distinct tuples {r.DistinctTuples:N0}; " +
        $"BG/NBD r={r.Bgnbd.R:0.000} alpha={r.Bgnbd.Alpha:0.000} a={r.Bgnbd.A:0.000} b={r.Bgnbd.B:0.000} (truth {process.R} {process.Alpha} {process.A} {process.B}); " +
        $"holdout week 26 predicted {r.Holdout[^1].Predicted:N0} actual {r.Holdout[^1].Actual:N0}");
    Console.WriteLine($"{kind}: fit median {Median(fits):0.00} s (runs {string.Join(", ", fits.Select(f => f.ToString("0.00", CultureInfo.InvariantCulture)))}), " +
        $"baseline bulk write of {customers:N0} customer_values median {Median(baseline):0.00} s; fit / baseline {Median(fits) / Median(baseline):0.0}x");
    Console.WriteLine($"{kind}: phase medians: {string.Join(", ", phaseTimes.Select(p => $"{p.Key} {Median(p.Value):0.00} s"))}");
    await databases.DropAsync(target);
}

static string MachineLoad() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
