using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenCem.Customers;
using OpenCem.IdentityBench;
using OpenCem.Storage;
using OpenCem.Workspaces;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var jsonOptions = new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
if (options.Render is { } renderDirectory)
{
    foreach (var json in Directory.GetFiles(renderDirectory, "identity-*.json"))
    {
        var rendered = JsonSerializer.Deserialize<BenchReport>(await File.ReadAllTextAsync(json), jsonOptions)
            ?? throw new InvalidOperationException($"{json} holds no report.");
        await File.WriteAllTextAsync(Path.ChangeExtension(json, ".md"), rendered.ToMarkdown());
        Console.WriteLine($"Wrote {Path.ChangeExtension(json, ".md")}");
    }

    return 0;
}

var outDir = Path.GetFullPath(options.OutDir ?? Path.Combine(Progress.RepositoryRoot(), "bench", "results"));
Directory.CreateDirectory(outDir);
Progress.LogPath = Path.Combine(outDir, "identity-progress.log");
var commandLine = "dotnet run -c Release --project bench/OpenCem.IdentityBench --" + (args.Length == 0 ? "" : " " + string.Join(' ', args));
var machine = MachineInfo.Read();
var revision = options.Revision ?? SourceRevision.Read();
Progress.Log($"=== OpenCem identity benchmark: {string.Join(" and ", options.Databases)}, {options.Persons:N0} persons, seed {options.Seed}; source {revision}");
Progress.Log($"Machine: {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB} GiB; .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");

// The planted sources and their CSV files, before any timing. Only the truth and a few e-mail lists are kept:
// the benchmark's own heap should not make the server's garbage collections in phases 3 and 4 slower than a server's.
var generated = Stopwatch.GetTimestamp();
var csvDirectory = Directory.CreateTempSubdirectory("opencem-identity-csv-").FullName;
var (files, truth, singleEmails, tripleEmails, pageEmail) = await PrepareAsync();
GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
var csvBytes = files.Sum(f => new FileInfo(f.Path).Length);
Progress.Log($"Generated {truth.Records:N0} records ({string.Join(", ", truth.BySource.Select(s => $"{s.Key} {s.Value:N0}"))}), "
    + $"{truth.Profiles:N0} expected profiles, {csvBytes / 1048576.0:N0} MiB of CSV in {csvDirectory} "
    + $"in {Stopwatch.GetElapsedTime(generated).TotalSeconds:N1} s; managed heap afterwards {GC.GetTotalMemory(false) / 1048576.0:N0} MiB");

var exitCode = 0;
try
{
    foreach (var db in options.Databases)
    {
        await using var databases = await BenchDatabases.StartAsync(db);
        Progress.Log($"{db}: {databases.Description}");
        var runs = new List<BenchReport>();
        for (var run = 1; run <= options.Repeat; run++)
        {
            if (options.Repeat > 1)
            {
                Progress.Log($"{db}: run {run} of {options.Repeat}");
            }

            var created = new List<DatabaseTarget>();
            var result = await RunAsync(db, databases, run, created);
            foreach (var target in created)
            {
                await databases.DropAsync(target);
            }

            if (result is null)
            {
                continue;
            }

            runs.Add(result);
            if (result.Accuracy.Precision < 1 || result.Accuracy.Recall < 1 || result.Incremental.Unexpected > 0)
            {
                Progress.Log($"{db}: WARNING: the resolution was not exact (precision {result.Accuracy.Precision}, recall {result.Accuracy.Recall}, unexpected incremental outcomes {result.Incremental.Unexpected}).");
                exitCode = 1;
            }
        }

        if (runs.Count == 0)
        {
            continue;
        }

        // The details are those of the run with the median import time; the runs table has all of them.
        var median = runs.OrderBy(r => r.Import.Seconds).ElementAt((runs.Count - 1) / 2);
        var report = median with { Runs = runs.Select((r, i) => RunSummary.Of(i + 1, r)).ToList(), MedianRun = runs.IndexOf(median) + 1 };
        var markdown = report.ToMarkdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        await File.WriteAllTextAsync(Path.Combine(outDir, $"identity-{db}.md"), markdown);
        await File.WriteAllTextAsync(Path.Combine(outDir, $"identity-{db}.json"), JsonSerializer.Serialize(report, jsonOptions));
        Progress.Log($"{db}: report written to {Path.Combine(outDir, $"identity-{db}.md")} and .json");
    }
}
finally
{
    Directory.Delete(csvDirectory, recursive: true);
}

return exitCode;

async Task<BenchReport?> RunAsync(string db, BenchDatabases databases, int run, List<DatabaseTarget> created)
{
    var target = await databases.CreateAsync($"identity_import_{run}");
    created.Add(target);
    if (options.PgLogMs is { } logMs && databases.Cluster is not null)
    {
        await databases.AlterDatabaseAsync(target, $"log_min_duration_statement = {logMs}");
        await databases.AlterDatabaseAsync(target, "log_parameter_max_length = 0");
    }

    await using var database = new Database(target);
    // What the CLI does before it imports: the schema and the default workspace.
    await SchemaMigrator.MigrateAsync(database);
    var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();

    // 1. The import.
    Progress.Log($"{db}: phase 1, import of {files.Count} CSV files");
    var logOffset = databases.Cluster is { } c && File.Exists(c.LogFile) ? new FileInfo(c.LogFile).Length : 0;
    var import = await ImportPhase.RunAsync(database, workspace.Id, files, options.SqliteAnalyze && db == "sqlite");
    Progress.Log($"{db}: phase 1 done: {import.Records:N0} records in {import.Seconds:N2} s (read+normalise {import.ReadSeconds:N2} s, resolve+write {import.ResolveSeconds:N2} s), "
        + $"{import.Records / import.Seconds:N0} records/s; target < {BenchReport.ImportTargetSeconds} s {(import.Seconds < BenchReport.ImportTargetSeconds ? "met" : "MISSED")}");
    // Statement logging stays on for the whole run (pooled connections keep the setting): a profiling run, not a timing run.
    long LogLength() => databases.Cluster is { } cl && File.Exists(cl.LogFile) ? new FileInfo(cl.LogFile).Length : 0;
    IReadOnlyList<SlowStatement>? slow = null;
    if (options.PgLogMs is not null && databases.Cluster is { } cluster)
    {
        slow = StatementLog.Summarise(cluster.LogFile, logOffset, LogLength());
        Progress.Log($"{db}: import: {slow.Sum(s => s.Count):N0} logged statements, {slow.Sum(s => s.TotalMs) / 1000:N1} s in all; top: "
            + string.Join("; ", slow.Take(5).Select(s => $"{s.TotalMs / 1000:N1} s in {s.Count:N0}× {s.Statement[..Math.Min(80, s.Statement.Length)]}")));
    }

    var accuracy = await ImportPhase.CheckAsync(database, workspace.Id, truth);
    var size = await BenchDatabases.SizeAsync(target);
    Progress.Log($"{db}: accuracy: precision {accuracy.Precision:0.######}, recall {accuracy.Recall:0.######}; {accuracy.RecordsStored:N0} records in {accuracy.ProfilesWithRecords:N0} profiles "
        + $"(expected {accuracy.ProfilesExpected:N0}; {accuracy.ProfilesStored:N0} customers rows); database {size / 1048576.0:N0} MiB");

    if (options.ImportOnly)
    {
        PrintStatements(slow);

        return null;
    }

    var settings = await new IdentityService(database, TimeProvider.System).GetSettingsAsync(workspace.Id);
    var diagnostics = await Diagnostics.RunAsync(database, workspace.Id, files, settings);
    Progress.Log($"{db}: diagnostics: CsvHelper only {diagnostics.CsvParseOnlySeconds:N2} s, normaliser only {diagnostics.NormaliseOnlySeconds:N2} s, "
        + $"load all records {diagnostics.LoadRecordsSeconds:N2} s, identities {diagnostics.LoadIdentitiesSeconds:N2} s, IdentityGraph.Resolve {diagnostics.GraphSeconds:N2} s, ResolutionPlan.Make {diagnostics.PlanSeconds:N2} s");

    var statistics = await Diagnostics.StatisticsAsync(database);
    Progress.Log($"{db}: planner statistics after the import: {statistics}");
    var queries = await Diagnostics.QueryCostsAsync(database, workspace.Id);
    foreach (var q in queries)
    {
        Progress.Log($"{db}: statement {q.Name}{(q.Ids > 0 ? $", {q.Ids} ids" : "")}: {q.MedianMs:N2} ms; plan: {q.Plan}");
    }

    // 2. The raw limit.
    RawLimitResult? raw = null;
    RawLimitResult? rawParallel = null;
    if (!options.SkipRaw)
    {
        var rows = await RawInsert.ReadAsync(database, workspace.Id);
        Progress.Log($"{db}: phase 2, raw insert of {rows.Sum(t => t.Rows.Count):N0} rows ({string.Join(", ", rows.Select(t => $"{t.Table} {t.Rows.Count:N0}"))}) into a fresh database");
        var rawTarget = await databases.CreateAsync($"identity_raw_{run}");
        created.Add(rawTarget);
        raw = await RawInsert.RunAsync(rawTarget, rows, workspace.Id);
        await databases.DropAsync(rawTarget);
        if (db == "postgres")
        {
            var parallelTarget = await databases.CreateAsync($"identity_raw_parallel_{run}");
            created.Add(parallelTarget);
            rawParallel = await RawInsert.RunParallelAsync(parallelTarget, rows, workspace.Id);
            await databases.DropAsync(parallelTarget);
            Progress.Log($"{db}: phase 2, the same on two connections at once: {rawParallel.Seconds:N2} s ({string.Join(", ", rawParallel.Tables.Select(t => $"{t.Table} {t.Seconds:N2} s"))}); "
                + $"cores {rawParallel.Cpu.ProcessCores} .NET / {rawParallel.Cpu.PostgresCores} PostgreSQL / {rawParallel.Cpu.OtherCores} other");
        }

        rows.Clear();
        Progress.Log($"{db}: phase 2 done: {raw.Rows:N0} rows in {raw.Seconds:N2} s ({string.Join(", ", raw.Tables.Select(t => $"{t.Table} {t.Seconds:N2} s"))}); "
            + $"import ÷ raw = {import.Seconds / raw.Seconds:N1}×");
    }

    // 3. Incremental identify.
    Progress.Log($"{db}: phase 3, {options.Incremental:N0} single-record upserts");
    var emails = singleEmails;
    var statisticsBeforeIncremental = await Diagnostics.StatisticsAsync(database);
    Progress.Log($"{db}: planner statistics before phase 3: {statisticsBeforeIncremental}");
    var incrementalLog = LogLength();
    var incremental = await IncrementalPhase.RunAsync(database, workspace.Id, emails, options.Incremental);
    IReadOnlyList<SlowStatement>? slowIncremental = null;
    if (options.PgLogMs is not null && databases.Cluster is { } cluster2)
    {
        slowIncremental = StatementLog.Summarise(cluster2.LogFile, incrementalLog, LogLength());
        Console.WriteLine($"Statements during phase 3 (warm-up included):");
        PrintStatements(slowIncremental);
    }
    Progress.Log($"{db}: phase 3 done: p50 {incremental.All.P50:N2} ms, p95 {incremental.All.P95:N2} ms, p99 {incremental.All.P99:N2} ms, max {incremental.All.Max:N2} ms "
        + $"(joining: p50 {incremental.Merging.P50:N2} / p99 {incremental.Merging.P99:N2}; new: p50 {incremental.Fresh.P50:N2} / p99 {incremental.Fresh.P99:N2}); "
        + $"{incremental.MergedAsExpected} joined, {incremental.CreatedAsExpected} new, {incremental.Unexpected} unexpected; target p99 < {BenchReport.IncrementalTargetP99Ms} ms "
        + $"{(incremental.All.P99 < BenchReport.IncrementalTargetP99Ms ? "met" : "MISSED")}");

    var floor = await IncrementalPhase.FloorAsync(database, 500);
    var shared = await IncrementalPhase.JoinSharedAsync(database, workspace.Id, tripleEmails);
    Progress.Log($"{db}: 200 identifies joining a profile whose e-mail 3 records carry: p50 {shared.P50:N2} ms, p95 {shared.P95:N2} ms, p99 {shared.P99:N2} ms");
    Progress.Log($"{db}: floor (open, insert one row, durable commit): p50 {floor.Latency.P50:N2} ms, p99 {floor.Latency.P99:N2} ms; "
        + $"identify calls with a GC: {incremental.CallsWithGc}, with a WAL checkpoint: {incremental.CallsWithCheckpoint}; without either: p50 {incremental.Quiet?.P50:N2} / p99 {incremental.Quiet?.P99:N2} ms");

    // 4. The profile page.
    Progress.Log($"{db}: phase 4, profile with {options.TimelineEvents:N0} interactions, {options.PageCalls} GETs per endpoint");
    var page = await ProfilePagePhase.RunAsync(target, workspace.Id, pageEmail, options.TimelineEvents, options.PageCalls);
    Progress.Log($"{db}: phase 4 done: customer {page.CustomerId} ({page.Interactions:N0} interactions, {page.Records} records): profile p50 {page.Profile.P50:N2} / p99 {page.Profile.P99:N2} ms, "
        + $"timeline p50 {page.Timeline.P50:N2} / p99 {page.Timeline.P99:N2} ms; in process: profile p50 {page.ProfileInProcess.P50:N2} / p99 {page.ProfileInProcess.P99:N2} ms; "
        + $"{page.ProfileRequestsWithGc} profile requests with a GC ({page.ProfileGcPauseMs:N0} ms of pauses), without: p99 {page.ProfileWithoutGc?.P99:N2} ms; "
        + $"target < {BenchReport.PageTargetMs} ms {(page.Profile.P99 < BenchReport.PageTargetMs ? "met" : "MISSED")}");

    return new BenchReport(
        DateTimeOffset.UtcNow, machine, db, databases.Description, revision, commandLine, System.Runtime.GCSettings.IsServerGC, options.Persons, options.Seed, csvBytes,
        import, accuracy, size, raw, diagnostics, incremental, page, slow, slowIncremental)
    {
        Queries = queries,
        Floor = floor,
        SqliteAnalyze = options.SqliteAnalyze && db == "sqlite",
        StatisticsAfterImport = statistics,
        RawParallel = rawParallel,
        JoinShared = shared,
        StatisticsBeforeIncremental = statisticsBeforeIncremental,
    };
}

async Task<(List<(string Source, string Path)> Files, PlantedTruth Truth, List<string> Single, List<string> Triple, string Page)> PrepareAsync()
{
    var planted = PlantedSources.Generate(options.Persons, options.Seed);
    var list = new List<(string Source, string Path)>();
    foreach (var source in ImportPhase.Sources)
    {
        var path = Path.Combine(csvDirectory, source + ".csv");
        await File.WriteAllTextAsync(path, planted.ToCsv(source), new UTF8Encoding(false));
        list.Add((source, path));
    }

    // The workspace's rules are the defaults.
    var rules = new IdentitySettings();
    return (list, PlantedTruth.Of(planted), IncrementalPhase.PickExistingEmails(planted, rules, options.Incremental + 100, options.Seed),
        IncrementalPhase.PickExistingEmails(planted, rules, 200, options.Seed + 1, carriedBy: 3), PageEmail(planted, rules));
}

// The e-mail of a crm customer whose address also appears in billing and the webshop: the identify joins a profile with three records.
static string PageEmail(PlantedSourceSet planted, IdentitySettings settings)
{
    var normaliser = new IdentifierNormaliser(settings);
    var bySource = planted.Records
        .Where(r => r.Email is not null)
        .Select(r => (r.Source, r.Email, Value: normaliser.Normalise(IdentifierKinds.Email, r.Email!).Value))
        .Where(r => r.Value is not null)
        .GroupBy(r => r.Value!, StringComparer.Ordinal)
        .Where(g => g.Count() == 3 && g.Select(r => r.Source).Distinct().Count() == 3)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .First();
    return bySource.First(r => r.Source == "crm").Email!;
}

static void PrintStatements(IReadOnlyList<SlowStatement>? statements)
{
    foreach (var statement in statements ?? [])
    {
        Console.WriteLine($"  {statement.TotalMs,9:N0} ms {statement.Count,8:N0}x  max {statement.MaxMs,7:N1}  {statement.Statement}");
    }
}
