using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using OpenCem.Analytics.Metrics;
using OpenCem.AnalyticsBench;
using OpenCem.Interactions;
using OpenCem.Storage;
using OpenCem.Workspaces;

// Metrics queries over the rollups with 10 M interactions and 1 M responses (at --scale 1), against a raw scan of
// survey_responses computing the same numbers. Usage: [--db sqlite|postgres|both] [--scale 0.01..1] [--iterations N] [--out DIR]
// [--only TEXT] (only the shapes whose name contains TEXT, to re-measure one shape briefly on the shared machine)
// [--traits a,b] (the traits rolled up, instead of the default four: fewer traits, fewer segments)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var scale = double.Parse(Arg("--scale", "1"), CultureInfo.InvariantCulture);
var iterations = int.Parse(Arg("--iterations", "60"), CultureInfo.InvariantCulture);
var baselineRuns = int.Parse(Arg("--baseline-runs", "3"), CultureInfo.InvariantCulture);
var kinds = Arg("--db", "both") switch { "sqlite" => new[] { "sqlite" }, "postgres" => ["postgres"], _ => ["sqlite", "postgres"] };
var only = Arg("--only", "");
var traits = Arg("--traits", "");
var outDir = Path.GetFullPath(Arg("--out", "bench/results"));
Directory.CreateDirectory(outDir);
var interactions = (long)(10_000_000 * scale);
var responses = (long)(1_000_000 * scale);
var customers = Math.Max(1000, (int)(200_000 * scale));
var machine = MachineInfo.Read();
var report = new StringBuilder();
void Log(string line)
{
    Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");
}

report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB} GiB; .NET {Environment.Version}; source {SourceRevision.Read()}.");
report.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project bench/OpenCem.AnalyticsBench -- {string.Join(' ', args)}`");
report.AppendLine(CultureInfo.InvariantCulture, $"Data: {interactions:N0} interactions, {responses:N0} responses of {customers:N0} customers over {BenchData.Days} days, 40 touchpoints, 6 surveys.");
report.AppendLine();

foreach (var kind in kinds)
{
    await using var databases = await BenchDatabases.StartAsync(kind);
    var target = await databases.CreateAsync("analytics");
    await using var database = new Database(target);
    await SchemaMigrator.MigrateAsync(database);
    var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
    var data = new BenchData(database, workspace.Id, seed: 20251124);
    await data.CatalogueAsync();
    await data.SurveysAsync();
    var clock = Stopwatch.StartNew();
    var firstCustomer = await data.CustomersAsync(customers);
    await data.InteractionsAsync(interactions, firstCustomer, customers);
    var interactionsTime = clock.Elapsed;
    Log($"{kind}: {customers:N0} customers and {interactions:N0} interactions in {interactionsTime.TotalSeconds:N0} s");
    clock.Restart();
    await data.ResponsesAsync(responses, firstCustomer, customers);
    var responsesTime = clock.Elapsed;
    Log($"{kind}: {responses:N0} responses in {responsesTime.TotalSeconds:N0} s");
    if (traits.Length > 0)
    {
        await new MetricsSettingsStore(database).SaveAsync(workspace.Id, MetricsSettings.Default with { Traits = traits.Split(',') });
    }

    clock.Restart();
    await MetricRollup.RebuildAsync(database, workspace.Id);
    var rebuildTime = clock.Elapsed;
    var cubeRows = new List<string>();
    await using (var connection = await database.OpenAsync())
    {
        await connection.ExecuteAsync(kind == "sqlite" ? "ANALYZE main" : "VACUUM ANALYZE");
        foreach (var cube in MetricCube.All)
        {
            cubeRows.Add($"{cube.Table} {await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {cube.Table}"):N0}");
        }

        cubeRows.Add($"metric_segments {await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM metric_segments"):N0}");
    }

    Log($"{kind}: rollups rebuilt from the responses in {rebuildTime.TotalSeconds:N1} s: {string.Join(", ", cubeRows)}");
    report.AppendLine(CultureInfo.InvariantCulture, $"### {databases.Description}");
    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"Setup: customers and interactions {interactionsTime.TotalSeconds:N0} s, responses {responsesTime.TotalSeconds:N0} s (bulk insert); " +
        $"`opencem analytics rebuild` of the rollups from {responses:N0} responses {rebuildTime.TotalSeconds:N1} s. Rollup rows: {string.Join(", ", cubeRows)}.");
    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"| query shape | cube read | rows out | p50 ms | p95 ms | max ms | raw scan median ms | raw / rollup (p50) |");
    report.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");

    var reader = new MetricsReader(database, new CatalogueStore(database, TimeProvider.System), new MetricsSettingsStore(database));
    var settings = await reader.SettingsAsync(workspace.Id, default);
    foreach (var shape in QueryShapes.All(data.Surveys).Where(s => s.Name.Contains(only, StringComparison.Ordinal)))
    {
        var request = MetricsRequestParser.Parse(shape.Metric, shape.Question, shape.Survey, shape.By, shape.Interval, shape.From, null, shape.Filters, settings, out var error)
            ?? throw new InvalidOperationException(error!.Message);
        var times = new List<double>();
        var rows = 0;
        for (var i = 0; i < iterations + 5; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var (result, problem) = await reader.ReadAsync(workspace.Id, request, settings);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (problem is not null)
            {
                throw new InvalidOperationException(problem.Message);
            }

            rows = result.Count;
            if (i >= 5)
            {
                times.Add(elapsed);
            }
        }

        var raw = new List<double>();
        await using (var connection = await database.OpenAsync())
        {
            for (var i = 0; i < baselineRuns; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var count = (await connection.QueryAsync(shape.RawSql(database.Kind), commandTimeout: 600)).Count();
                raw.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (count == 0)
                {
                    throw new InvalidOperationException($"{shape.Name}: the raw scan found nothing.");
                }
            }
        }

        var latency = LatencySummary.From(times.ToArray());
        raw.Sort();
        var rawMedian = raw[raw.Count / 2];
        var line = $"| {shape.Name} | {MetricCube.For(request, settings).Table} | {rows:N0} | {latency.P50:N1} | {latency.P95:N1} | {latency.Max:N1} | {rawMedian:N0} | {rawMedian / latency.P50:N0}x |";
        Log($"{kind}: {line}");
        report.AppendLine(line);
    }

    report.AppendLine();
    if (!args.Contains("--keep"))
    {
        await databases.DropAsync(target);
    }
    else if (kind == "sqlite")
    {
        // The benchmark folder goes with the process: keep a copy to look at.
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("VACUUM INTO '/tmp/opencem-analytics-kept.db'");
        Log($"{kind}: kept a copy in /tmp/opencem-analytics-kept.db");
    }
}

var path = Path.Combine(outDir, $"analytics-{string.Join("-", kinds)}-{scale.ToString(CultureInfo.InvariantCulture)}.md");
await File.WriteAllTextAsync(path, report.ToString());
Console.WriteLine(report.ToString());
Console.WriteLine($"Wrote {path}");
return 0;
