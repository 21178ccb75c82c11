using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenCem.Hosting;
using OpenCem.Interactions;
using OpenCem.LoadTest;
using OpenCem.Workspaces;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
LoadTestOptions options;
try
{
    options = LoadTestOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(LoadTestOptions.Usage);
    return 2;
}

var machine = MachineInfo.Read();
Log($"OpenCem load test: {options.Db}, {options.Events:N0} events in batches of {options.Batch}, {options.Connections} connections");
Log($"Machine: {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB} GiB; .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");

await using var databases = await DatabaseFactory.CreateAsync(options);
var revision = SourceRevision.Read();
Log($"Database: {databases.Description}; OpenCem source {revision}");
RawLimit.Guard = databases.DiskGuard(options.MinFreeGiB);

// 1. Bodies, before any timing.
var generator = new BatchGenerator(options.Users, options.Events, options.Batch, options.Seed);
var requests = (int)(options.Events / options.Batch);
var generateStart = Stopwatch.GetTimestamp();
var bodies = generator.Generate(0, requests);
var warmUp = generator.Generate(requests + 10_000_000L, 50);
var bodyBytes = bodies.Sum(b => (long)b.Length);
Log($"Generated {requests:N0} bodies ({bodyBytes / 1048576.0:N0} MiB, {bodyBytes / (double)options.Events:N0} bytes/event, "
    + $"{generator.DistinctEventNames} event names) in {Stopwatch.GetElapsedTime(generateStart).TotalSeconds:N1} s");
GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

// 2. The server over a fresh database.
var httpTarget = await databases.CreateAsync("opencem_http");
var app = await OpenCemServer.CreateAsync(new ServerOptions(httpTarget, "http://127.0.0.1:0") { LogLevel = LogLevel.Warning });
await app.StartAsync();
var address = OpenCemServer.Addresses(app).Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
var workspace = await app.Services.GetRequiredService<WorkspaceStore>().EnsureDefaultAsync();
await RawLimit.SeedCatalogueAsync(app.Services.GetRequiredService<CatalogueStore>(), workspace.Id);
app.Services.GetRequiredService<CatalogueCache>().Invalidate(workspace.Id);
var key = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(workspace.Id, "load-test", ApiKeyKind.Write);
var load = new HttpLoad(new Uri(address + "/"), key.Secret);
Log($"Server on {address}, write key {key.Info.Prefix}...");

MaxPhaseResult max;
PacedPhaseResult? paced = null;
long storedRows;
long databaseBytes;
try
{
    // Warm-up (JIT, connections, caches), checking that every generated call is accepted.
    using (var client = load.CreateClient(options.Connections))
    {
        var (ok, body) = await load.PostAsync(client, warmUp[0], readBody: true, CancellationToken.None);
        if (!ok || body is null || !body.Contains("\"success\":true", StringComparison.Ordinal) || body.Contains("rejected", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The server did not accept a generated batch: {body}");
        }

        await Parallel.ForEachAsync(warmUp.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = options.Connections }, async (b, ct) =>
        {
            if (!(await load.PostAsync(client, b, readBody: false, ct)).Ok)
            {
                throw new InvalidOperationException("A warm-up request failed.");
            }
        });
    }

    // 3. Max: closed loop until every body is stored.
    Log($"Phase max: {options.Connections} senders, {requests:N0} requests");
    max = await load.RunMaxAsync(bodies, options.Batch, options.Connections, options.Segment, TimeSpan.FromSeconds(options.MaxSeconds),
        (events, seconds) => Log($"  {events,12:N0} events stored, {seconds,7:N1} s, {events / seconds,9:N0} events/s overall"
            + (databases.WalMiB(httpTarget) is { } wal ? $", WAL {wal:N0} MiB" : string.Empty)),
        RawLimit.Guard, () => databases.WalMiB(httpTarget));
    Log($"Phase max: {max.EventsPerSecond:N0} events/s, p50 {max.Latency.P50:N1} ms, p99 {max.Latency.P99:N1} ms; "
        + $"cores busy: {max.Cpu}");
    if (max.TimedOut || max.Failed > 0 || max.StopReason is not null)
    {
        Log($"WARNING: the max phase stopped early (timed out: {max.TimedOut}, failed requests: {max.Failed}, reason: {max.StopReason ?? "none"}).");
    }

    // 4. Paced at a fraction of max, open loop.
    if (!options.SkipPaced && max.EventsPerSecond > 0 && max.StopReason is null)
    {
        var rate = max.EventsPerSecond * options.RateFraction / options.Batch;
        var count = (int)Math.Ceiling(rate * options.PacedSeconds);
        var pacedBodies = generator.Generate(requests + 20_000_000L, count);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        Log($"Phase paced: {rate * options.Batch:N0} events/s ({options.RateFraction:P0} of max) for {options.PacedSeconds} s, open loop");
        paced = await load.RunPacedAsync(pacedBodies, options.Batch, rate, Math.Max(64, options.Connections * 4));
        Log($"Phase paced: achieved {paced.AchievedEventsPerSecond:N0} events/s, latency from schedule p50 {paced.LatencyFromSchedule.P50:N1} / "
            + $"p95 {paced.LatencyFromSchedule.P95:N1} / p99 {paced.LatencyFromSchedule.P99:N1} / max {paced.LatencyFromSchedule.Max:N1} ms, failed {paced.Failed}; cores busy: {paced.Cpu}");
    }

    (storedRows, databaseBytes) = await databases.MeasureAsync(httpTarget);
    var expected = warmUp.Length * (long)options.Batch + max.Events + (paced?.Events ?? 0);
    Log($"Stored interactions: {storedRows:N0} (expected {expected:N0}); database size {databaseBytes / 1048576.0:N0} MiB");
    if (storedRows != expected)
    {
        Log("WARNING: the stored count differs from the acknowledged count.");
    }
}
finally
{
    await app.StopAsync();
    await app.DisposeAsync();
}

// 5. Raw limits on fresh databases of the same kind, with the same rows.
var raw = new List<RawResult>();
if (!options.SkipRaw)
{
    var rawBodies = bodies[..(int)(options.RawEvents / options.Batch)];
    async Task RawAsync(string what, Func<Task<RawResult>> run)
    {
        Log($"Raw: {what}");
        try
        {
            raw.Add(await run());
            Log($"  {raw[^1].EventsPerSecond:N0} events/s; {raw[^1].Cpu}");
        }
        catch (InvalidOperationException exception) when (exception.Message.StartsWith("Stopped", StringComparison.Ordinal))
        {
            Log($"WARNING: {what}: {exception.Message}");
        }
    }

    foreach (var size in options.RawBatches)
    {
        await RawAsync($"InteractionWriter, {options.RawEvents:N0} events, {size} per transaction",
            async () => await RawLimit.RunWriterAsync(await databases.CreateAsync($"opencem_writer_{size}"), rawBodies, size));
        if (options.IsPostgres)
        {
            await RawAsync($"bare binary COPY, {size} per transaction",
                async () => await RawLimit.RunPostgresCopyAsync(await databases.CreateAsync($"opencem_copy_{size}"), rawBodies, size));
            await RawAsync($"bare unnest INSERT, {size} per transaction",
                async () => await RawLimit.RunPostgresUnnestAsync(await databases.CreateAsync($"opencem_unnest_{size}"), rawBodies, size));
        }
        else
        {
            await RawAsync($"bare prepared INSERT, {size} per transaction",
                async () => await RawLimit.RunSqliteBaselineAsync(await databases.CreateAsync($"opencem_bare_{size}"), rawBodies, size));
        }

        await databases.DropAsync();
    }
}

// 6. Ceilings without a database.
IReadOnlyList<CeilingResult> ceilings = [];
if (options.Ceilings)
{
    var ceilingBodies = bodies[..Math.Min(bodies.Length, 1_000_000 / options.Batch)];
    Log($"Ceilings: stub endpoints, {ceilingBodies.Length * (long)options.Batch:N0} events, {options.Connections} connections");
    ceilings = await Ceilings.RunAsync(ceilingBodies, options.Batch, options.Connections, key.Secret);
    foreach (var c in ceilings)
    {
        Log($"  {c.Stub}: {c.EventsPerSecond:N0} events/s, p50 {c.Latency.P50:N1} ms, p99 {c.Latency.P99:N1} ms; cores busy: {c.Cpu}");
    }
}

// 7. Summary.
var httpOverRawSpan = max.RateOverFirst(options.RawEvents, options.Batch);
var report = new Report(
    DateTimeOffset.UtcNow, machine, options.Db, databases.Description, revision, Environment.CommandLine, options.Events, options.Batch, options.Connections,
    bodyBytes / (double)options.Events, max, paced, storedRows, databaseBytes, options.RawEvents, Math.Round(httpOverRawSpan), raw, ceilings);
Console.WriteLine();
Console.WriteLine(report.ToMarkdown());
if (options.Out is { } outPath)
{
    await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
    Log($"Results written to {outPath}");
}

return max.TimedOut || max.Failed > 0 || max.StopReason is not null ? 1 : 0;

static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
