using System.Diagnostics;
using System.Globalization;
using Dapper;
using OpenCem.SoakBench;
using OpenCem.Storage;

// The soak bar of issue 11: an hour of mixed load at half the measured capacity — no errors, p99 stable, memory flat.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(SoakOptions.Usage);
    return 2;
}

if (!File.Exists(options.Cli))
{
    Console.Error.WriteLine($"The server executable {options.Cli} does not exist: build it with `dotnet build src/OpenCem.Cli -c Release`, or pass --cli.");
    return 2;
}

var machine = MachineInfo.Read();
var workDir = options.WorkDir ?? Directory.CreateTempSubdirectory("opencem-soak-").FullName;
Directory.CreateDirectory(workDir);
Directory.CreateDirectory(options.OutDir);

// The child server inherits these: the receivers sit on loopback, and failed deliveries are retried within seconds
// (not the production schedule of minutes to hours), so the retry path runs all through the soak.
Environment.SetEnvironmentVariable("Webhooks__AllowPrivateNetworks", "true");
Environment.SetEnvironmentVariable("Webhooks__RetrySchedule", "1s,2s,5s,10s,30s");

PostgresCluster? cluster = null;
string connection;
if (options.IsPostgres)
{
    cluster = PostgresCluster.Start(durable: true);
    connection = await cluster.CreateDatabaseAsync("soak");
}
else
{
    connection = Path.Combine(workDir, "soak.db");
    foreach (var file in new[] { connection, connection + "-wal", connection + "-shm" })
    {
        File.Delete(file);
    }
}

var target = DatabaseTarget.Parse(connection);
var keys = await SoakSetup.PrepareDatabaseAsync(target);
var database = cluster is null ? $"SQLite {connection}" : $"PostgreSQL {await cluster.VersionAsync()} (throwaway, durable: {cluster.Settings})";
var source = SourceRevision.Read();
Log($"OpenCem soak bench — {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB} GiB; source {source}");
Log($"  database: {database}; logs in {workDir}");

await using var server = new ServerProcess(options.Cli, connection, workDir);
var started = await server.StartAsync(CancellationToken.None);
var pid = server.ProcessId ?? throw new InvalidOperationException("The server has no process.");
Log($"  server pid {pid} ready on {server.BaseAddress} after {started.TotalSeconds:N1} s");

using var crm = new WebhookSink(failShare: 0, options.Seed);
using var flaky = new WebhookSink(options.FlakyFailShare, options.Seed + 1);
SoakConfiguration configuration;
using (var admin = SoakSetup.Client(server.BaseAddress, SoakSetup.Bearer(keys.AdminKey), 4))
{
    configuration = await SoakSetup.ConfigureAsync(admin, crm.Url, flaky.Url);
}

using var dashboard = await SoakSetup.SignInAsync(server.BaseAddress, keys.Email, keys.Password);
var generator = new BatchGenerator(options.Users, 100_000_000, options.BatchSize, options.Seed);

// Capacity: tracking batches closed loop at full speed from 8 senders (as the load test), after a warm-up.
double capacity = double.NaN;
double rate;
if (options.Rate is { } given)
{
    rate = given;
    Log($"  rate given: {rate:N0} events/s (capacity not measured)");
}
else
{
    var load = new HttpLoad(new Uri(server.BaseAddress, "/"), keys.WriteKey);
    using (var client = load.CreateClient(8))
    {
        foreach (var body in generator.Generate(20_000_000, 50))
        {
            if (!(await load.PostAsync(client, body, readBody: false, CancellationToken.None)).Ok)
            {
                throw new InvalidOperationException("A warm-up batch was refused.");
            }
        }
    }

    var bodies = generator.Generate(0, options.CapacitySeconds * 40_000 / options.BatchSize);
    Log($"  capacity: {bodies.Length:N0} batches of {options.BatchSize} closed loop from 8 senders, at most {options.CapacitySeconds} s");
    var max = await load.RunMaxAsync(bodies, options.BatchSize, 8, long.MaxValue, TimeSpan.FromSeconds(options.CapacitySeconds), (_, _) => { });
    bodies = null;
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    if (max.Failed > 0 || max.Events == 0)
    {
        Log($"FAIL: the capacity measurement had {max.Failed} failed requests and stored {max.Events:N0} events");
        cluster?.Stop();
        return 1;
    }

    // Over the whole measurement when the time limit ended it: a stall at the end (a checkpoint) is part of the capacity.
    var seconds = max.TimedOut ? options.CapacitySeconds : max.Seconds;
    capacity = Math.Round(max.Events / seconds);
    rate = Math.Round(capacity * options.CapacityShare);
    Log($"  capacity: {capacity:N0} events/s ({max.Events:N0} events in {seconds:N1} s; p50 {max.Latency.P50:N1} ms, p99 {max.Latency.P99:N1} ms); mixed load at {options.CapacityShare:P0}: {rate:N0} events/s");
}

var targets = new SoakTargets(server.BaseAddress, pid, keys.WriteKey, keys.AdminKey, dashboard, configuration.SurveyId, crm, flaky);
var mixed = new MixedLoad(options, targets, generator, rate);
Log($"  mixed load for {options.Minutes} min: tracking {rate:N0} events/s in batches of {options.BatchSize}, {options.ResponsesPerSecond} responses/s "
    + $"({options.DetractorShare:P0} detractors), {options.ReadsPerSecond} dashboard reads/s; flaky receiver refuses {options.FlakyFailShare:P0}");
var stopwatch = Stopwatch.StartNew();
var rows = await mixed.RunAsync(TimeSpan.FromMinutes(options.Minutes), row => Console.WriteLine(SoakReport.Line(row)));
Log($"  mixed load done after {stopwatch.Elapsed.TotalMinutes:N1} min");

// The closed loop drains: every detractor's case and its rule call reach the crm receiver.
var drain = Stopwatch.StartNew();
while ((crm.Delivered("case.opened") < mixed.Detractors || crm.Delivered("rule.fired") < mixed.Detractors) && drain.Elapsed < TimeSpan.FromSeconds(60))
{
    await Task.Delay(200);
}

var rssAtEnd = ServerStats.RssMiB(pid);
await server.StopAsync();
long cases;
await using (var check = new Database(target))
{
    await using var connectionToCheck = await check.OpenAsync();
    cases = await connectionToCheck.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cases");
}

var logLines = Directory.EnumerateFiles(workDir, "server-*.log").SelectMany(File.ReadLines).ToList();
var serverFailures = logLines.Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)).ToList();

var errors = mixed.Recorders.Sum(r => r.TotalErrors);
var verdicts = SoakJudge.Judge(
    rows.Select(r => new JudgedMinute(r.Minute, r.Kinds.ToDictionary(k => k.Kind, k => k.Latency.P99), r.RssMiB)).ToList(), errors, MixedLoad.Kinds);
verdicts.Add(new Verdict("closed loop", cases == mixed.Detractors && crm.Delivered("case.opened") == cases && crm.Delivered("rule.fired") == mixed.Detractors,
    $"{mixed.Detractors} detractor responses accepted, {cases} cases in the database, {crm.Delivered("case.opened")} case.opened and {crm.Delivered("rule.fired")} rule.fired delivered "
    + $"(drained {drain.Elapsed.TotalSeconds:N1} s after the load)"));
verdicts.Add(new Verdict("server log", serverFailures.Count == 0, $"{serverFailures.Count} fail/crit lines" + (serverFailures.Count > 0 ? $", first: {serverFailures[0]}" : "")));

var header = new List<string>
{
    $"Command: `{string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Prepend("OpenCem.SoakBench"))}`; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; source {source}",
    $"Machine: {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB} GiB; database {database}",
    $"Capacity {(double.IsNaN(capacity) ? "not measured (--rate)" : $"{capacity:N0} events/s")}; mixed load: tracking {rate:N0} events/s, {options.ResponsesPerSecond} responses/s ({options.DetractorShare:P0} detractors), {options.ReadsPerSecond} reads/s",
    $"Totals: " + string.Join(", ", mixed.Recorders.Select(r => $"{r.Kind} {r.Total:N0} ({r.TotalErrors} errors)"))
        + $"; webhook requests: crm {crm.Requests:N0}, flaky {flaky.Requests:N0} ({flaky.Refused:N0} answered 503); RSS at the end {rssAtEnd:N0} MiB",
};
foreach (var recorder in mixed.Recorders.Where(r => r.FirstErrors.Count > 0))
{
    header.AddRange(recorder.FirstErrors.Select(e => $"first {recorder.Kind} errors: {e}"));
}

var name = $"soak-{options.Database}-{options.Minutes}m";
await File.WriteAllTextAsync(Path.Combine(options.OutDir, name + ".csv"), SoakReport.Csv(rows));
await File.WriteAllTextAsync(Path.Combine(options.OutDir, name + ".md"), SoakReport.Markdown($"Soak: {options.Database}, {options.Minutes} minutes", header, rows, verdicts));

Console.WriteLine();
header.ForEach(line => Console.WriteLine($"  {line}"));
foreach (var verdict in verdicts)
{
    Console.WriteLine($"  {(verdict.Passed ? "PASS" : "FAIL")}  {verdict.Criterion}: {verdict.Detail}");
}

var passed = verdicts.All(v => v.Passed);
Console.WriteLine($"  minute rows: {Path.Combine(options.OutDir, name)}.csv and .md");
Console.WriteLine(passed ? "RESULT: PASS" : "RESULT: FAIL");
cluster?.Stop();
if (passed && options.WorkDir is null)
{
    Directory.Delete(workDir, recursive: true);
}

return passed ? 0 : 1;

static void Log(string message) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
