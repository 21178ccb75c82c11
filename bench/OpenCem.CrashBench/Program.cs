using System.Diagnostics;
using System.Globalization;
using OpenCem.CrashBench;
using OpenCem.Demo;
using OpenCem.Interactions;
using OpenCem.Storage;
using OpenCem.Workspaces;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CrashOptions options;
try
{
    options = CrashOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(CrashOptions.Usage);
    return 2;
}

if (!File.Exists(options.Cli))
{
    Console.Error.WriteLine($"The server executable {options.Cli} does not exist: build it with `dotnet build src/OpenCem.Cli -c Release`, or pass --cli.");
    return 2;
}

var machine = MachineInfo.Read();
var workDir = options.WorkDir ?? Directory.CreateTempSubdirectory("opencem-crash-").FullName;
Directory.CreateDirectory(workDir);
var random = new Random(options.Seed);

// The database: a fresh SQLite file, or a database on a durable throwaway PostgreSQL cluster (fsync and synchronous
// commit on, so a database restart loses nothing that was acknowledged).
PostgresCluster? cluster = null;
string connection;
if (options.IsPostgres)
{
    cluster = PostgresCluster.Start(durable: true);
    connection = await cluster.CreateDatabaseAsync("crash");
}
else
{
    connection = Path.Combine(workDir, "crash.db");
    foreach (var file in new[] { connection, connection + "-wal", connection + "-shm" })
    {
        File.Delete(file);
    }
}

var target = DatabaseTarget.Parse(connection);
long workspaceId;
string writeKey;
await using (var setup = new Database(target))
{
    await SchemaMigrator.MigrateAsync(setup);
    var workspace = await new WorkspaceStore(setup).EnsureDefaultAsync();
    workspaceId = workspace.Id;
    // The demo company's journeys and touchpoints: most events land on a touchpoint and a journey, as in production.
    var catalogue = new CatalogueStore(setup, TimeProvider.System);
    foreach (var journey in DemoCompany.Journeys)
    {
        await catalogue.SaveJourneyAsync(workspaceId, journey);
    }

    foreach (var touchpoint in DemoCompany.Touchpoints)
    {
        await catalogue.SaveTouchpointAsync(workspaceId, touchpoint);
    }

    writeKey = (await new ApiKeyStore(setup, TimeProvider.System).CreateAsync(workspaceId, "crash-bench", ApiKeyKind.Write)).Secret;
}

Console.WriteLine($"OpenCem crash bench — {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB} GiB; source {SourceRevision.Read()}");
Console.WriteLine($"  database: {(cluster is null ? $"SQLite {connection}" : $"PostgreSQL {await cluster.VersionAsync()} (throwaway, durable: {cluster.Settings})")}");
Console.WriteLine($"  {options.Events:N0} events in batches of {options.BatchSize} from {options.Senders} senders, {options.Users:N0} users; "
    + $"{options.Kills} server kills, {options.PostgresRestarts} database restarts; seed {options.Seed}; logs in {workDir}");

var generator = new BatchGenerator(options.Users, options.Events, options.BatchSize, options.Seed);
var tally = new SendTally();
var failures = new List<string>();
await using var server = new ServerProcess(options.Cli, connection, workDir);
var firstStart = await server.StartAsync(CancellationToken.None);
Console.WriteLine($"  server ready on {server.BaseAddress} after {firstStart.TotalSeconds:N1} s");

var stopwatch = Stopwatch.StartNew();
using var abort = new CancellationTokenSource();
var disruptor = new Disruptor(server, cluster, tally, options.Events, options.Kills, options.PostgresRestarts, random);
var sending = new EventSender(server.BaseAddress, writeKey, generator, options.Batches, options.Senders, tally).RunAsync(abort.Token);
var disrupting = disruptor.RunAsync(abort.Token);
var progress = Task.Run(async () =>
{
    while (!sending.IsCompleted)
    {
        await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(10)));
        Console.WriteLine($"  {stopwatch.Elapsed.TotalSeconds,6:N0} s: {tally.AcceptedEvents:N0} events accepted, {tally.Retries:N0} retries");
    }
});

try
{
    await Task.WhenAll(sending, disrupting);
}
catch (Exception exception) when (exception is not OperationCanceledException)
{
    failures.Add($"the run stopped: {exception.Message}");
    await abort.CancelAsync();
    try
    {
        await Task.WhenAll(sending, disrupting);
    }
    catch (OperationCanceledException)
    {
    }
    catch (Exception)
    {
        // Already reported above.
    }
}

await progress;
var sendTime = stopwatch.Elapsed;
await server.StopAsync();

// Every messageId the client sent, read back from the same deterministic bodies.
var sent = new HashSet<string>(StringComparer.Ordinal);
for (long first = 0; first < options.Batches; first += 1000)
{
    foreach (var body in generator.Generate(first, (int)Math.Min(1000, options.Batches - first)))
    {
        foreach (var id in EventSender.MessageIds(body))
        {
            sent.Add(id);
        }
    }
}

if (sent.Count != options.Events)
{
    failures.Add($"the generator made {sent.Count:N0} distinct messageIds for {options.Events:N0} events");
}

List<Check> checks;
await using (var database = new Database(target))
{
    checks = await Verifier.VerifyAsync(database, workspaceId, sent);
    checks.AddRange(await JourneyRecount.VerifyAsync(database, workspaceId));
}

failures.AddRange(tally.Failures.Take(10));
if (tally.AcceptedBatches != options.Batches)
{
    failures.Add($"{tally.AcceptedBatches:N0} of {options.Batches:N0} batches were accepted");
}

Console.WriteLine();
Console.WriteLine($"Crash run on {(options.IsPostgres ? "PostgreSQL" : "SQLite")}: {sendTime.TotalSeconds:N1} s, {options.Events / sendTime.TotalSeconds:N0} events/s including the outages");
Console.WriteLine($"  disruptions: {disruptor.Done.Count(d => d.What.StartsWith("server", StringComparison.Ordinal))} server kills, "
    + $"{disruptor.Done.Count(d => d.What.StartsWith("PostgreSQL", StringComparison.Ordinal))} database restarts; server starts {server.Starts}");
foreach (var disruption in disruptor.Done)
{
    Console.WriteLine($"    {disruption.What} at {disruption.AtEvents:N0} events, ready again after {disruption.Recovery.TotalSeconds:N1} s");
}

Console.WriteLine($"  batches accepted {tally.AcceptedBatches:N0} of {options.Batches:N0}; retries {tally.Retries:N0} "
    + $"(refused {tally.Refused:N0}, reply lost {tally.LostReplies:N0}, timeout {tally.Timeouts:N0}, 503 {tally.Unavailable:N0}, 429 {tally.Throttled:N0}, other 5xx {tally.OtherStatus:N0})");
foreach (var check in checks)
{
    Console.WriteLine($"  {(check.Passed ? "PASS" : "FAIL")}  {check.What}: expected {check.Expected}, found {check.Found}");
}

foreach (var failure in failures)
{
    Console.WriteLine($"  FAIL  {failure}");
}

var passed = failures.Count == 0 && checks.All(c => c.Passed);
Console.WriteLine(passed ? "RESULT: PASS" : "RESULT: FAIL");
cluster?.Stop();
if (passed && options.WorkDir is null)
{
    Directory.Delete(workDir, recursive: true);
}

return passed ? 0 : 1;
