using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenCem.Hosting;
using OpenCem.Interactions;
using OpenCem.LoadTest;
using OpenCem.Storage;
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
Log($"Database: {databases.Description}");

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
        (events, seconds) => Log($"  {events,12:N0} events stored, {seconds,7:N1} s, {events / seconds,9:N0} events/s overall"));
    Log($"Phase max: {max.EventsPerSecond:N0} events/s, p50 {max.Latency.P50:N1} ms, p99 {max.Latency.P99:N1} ms; "
        + $"cores busy: {max.Cpu}");
    if (max.TimedOut || max.Failed > 0)
    {
        Log($"WARNING: the max phase stopped early (timed out: {max.TimedOut}, failed requests: {max.Failed}).");
    }

    // 4. Paced at a fraction of max, open loop.
    if (!options.SkipPaced && max.EventsPerSecond > 0)
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
    foreach (var size in options.RawBatches)
    {
        Log($"Raw: InteractionWriter, {options.RawEvents:N0} events, {size} per transaction");
        raw.Add(await RawLimit.RunWriterAsync(await databases.CreateAsync($"opencem_writer_{size}"), rawBodies, size));
        Log($"  {raw[^1].EventsPerSecond:N0} events/s");
        if (options.IsPostgres)
        {
            Log($"Raw: bare binary COPY, {size} per transaction");
            raw.Add(await RawLimit.RunPostgresCopyAsync(await databases.CreateAsync($"opencem_copy_{size}"), rawBodies, size));
            Log($"  {raw[^1].EventsPerSecond:N0} events/s");
            Log($"Raw: bare unnest INSERT, {size} per transaction");
            raw.Add(await RawLimit.RunPostgresUnnestAsync(await databases.CreateAsync($"opencem_unnest_{size}"), rawBodies, size));
            Log($"  {raw[^1].EventsPerSecond:N0} events/s");
        }
        else
        {
            Log($"Raw: bare prepared INSERT, {size} per transaction");
            raw.Add(await RawLimit.RunSqliteBaselineAsync(await databases.CreateAsync($"opencem_bare_{size}"), rawBodies, size));
            Log($"  {raw[^1].EventsPerSecond:N0} events/s");
        }
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
    DateTimeOffset.UtcNow, machine, options.Db, databases.Description, Environment.CommandLine, options.Events, options.Batch, options.Connections,
    bodyBytes / (double)options.Events, max, paced, storedRows, databaseBytes, options.RawEvents, Math.Round(httpOverRawSpan), raw, ceilings);
Console.WriteLine();
Console.WriteLine(report.ToMarkdown());
if (options.Out is { } outPath)
{
    await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
    Log($"Results written to {outPath}");
}

return max.TimedOut || max.Failed > 0 ? 1 : 0;

static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

namespace OpenCem.LoadTest
{
    internal sealed record MachineInfo(int Cores, string Cpu, double MemoryGiB)
    {
        public static MachineInfo Read()
        {
            static string? Find(string file, string prefix)
            {
                try
                {
                    return File.ReadLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
                }
                catch (IOException)
                {
                    return null;
                }
            }

            var memKb = Find("/proc/meminfo", "MemTotal")?.Split(' ')[0];
            return new(Environment.ProcessorCount, Find("/proc/cpuinfo", "model name") ?? "unknown",
                memKb is null ? 0 : Math.Round(long.Parse(memKb, CultureInfo.InvariantCulture) / 1048576.0, 1));
        }
    }

    /// <summary>Fresh databases of one kind: temp SQLite files, or databases on a throwaway or given PostgreSQL server.</summary>
    internal sealed class DatabaseFactory : IAsyncDisposable
    {
        private readonly LoadTestOptions _options;
        private readonly PostgresCluster? _cluster;
        private readonly NpgsqlDataSource? _admin;
        private readonly string? _sqliteDirectory;
        private readonly bool _deleteSqliteDirectory;
        private readonly List<string> _created = [];

        private DatabaseFactory(LoadTestOptions options, PostgresCluster? cluster, NpgsqlDataSource? admin, string? sqliteDirectory, bool deleteSqlite, string description)
        {
            _options = options;
            _cluster = cluster;
            _admin = admin;
            _sqliteDirectory = sqliteDirectory;
            _deleteSqliteDirectory = deleteSqlite;
            Description = description;
        }

        public string Description { get; }

        public static async Task<DatabaseFactory> CreateAsync(LoadTestOptions options)
        {
            if (!options.IsPostgres)
            {
                var directory = options.WorkDir ?? Directory.CreateTempSubdirectory("opencem-bench-sqlite-").FullName;
                Directory.CreateDirectory(directory);
                await using var probe = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
                await probe.OpenAsync();
                return new DatabaseFactory(options, null, null, directory, options.WorkDir is null,
                    $"SQLite {probe.ServerVersion} (WAL, synchronous=FULL) in {directory}");
            }

            if (options.Pg is { } given)
            {
                var admin = NpgsqlDataSource.Create(given);
                await using var command = admin.CreateCommand("SHOW server_version");
                var version = (string)(await command.ExecuteScalarAsync())!;
                return new DatabaseFactory(options, null, admin, null, false, $"PostgreSQL {version} (given server)");
            }

            var cluster = PostgresCluster.Start(options.PgDurable);
            CpuSample.PostmasterPid = cluster.PostmasterPid;
            var clusterVersion = await cluster.VersionAsync();
            return new DatabaseFactory(options, cluster, null, null, false,
                $"PostgreSQL {clusterVersion} (throwaway cluster, {(options.PgDurable ? "durable" : "NOT durable")}: {cluster.Settings})");
        }

        public async Task<DatabaseTarget> CreateAsync(string name)
        {
            if (_sqliteDirectory is not null)
            {
                var path = Path.Combine(_sqliteDirectory, name + ".db");
                foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                {
                    File.Delete(file);
                }

                return DatabaseTarget.Parse(path);
            }

            if (_cluster is not null)
            {
                return DatabaseTarget.Parse(await _cluster.CreateDatabaseAsync(name));
            }

            var unique = $"{name}_{Guid.NewGuid():N}"[..Math.Min(name.Length + 9, 63)];
            await using (var command = _admin!.CreateCommand($"CREATE DATABASE \"{unique}\""))
            {
                await command.ExecuteNonQueryAsync();
            }

            _created.Add(unique);
            return DatabaseTarget.Parse(new NpgsqlConnectionStringBuilder(_options.Pg) { Database = unique }.ConnectionString);
        }

        /// <summary>Rows in the interactions table and the size of the database on disk.</summary>
        public async Task<(long Rows, long Bytes)> MeasureAsync(DatabaseTarget target)
        {
            await using var database = new Database(target);
            await using var connection = await database.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM interactions";
            var rows = Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            if (target.Kind == DatabaseKind.Sqlite)
            {
                var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
                var bytes = new[] { path, path + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
                return (rows, bytes);
            }

            await using var size = connection.CreateCommand();
            size.CommandText = "SELECT pg_database_size(current_database())";
            return (rows, Convert.ToInt64(await size.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        }

        public async ValueTask DisposeAsync()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            if (_admin is not null)
            {
                foreach (var name in _created)
                {
                    try
                    {
                        await using var command = _admin.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                        await command.ExecuteNonQueryAsync();
                    }
                    catch (NpgsqlException)
                    {
                    }
                }

                await _admin.DisposeAsync();
            }

            _cluster?.Stop();
            if (_deleteSqliteDirectory && _sqliteDirectory is not null)
            {
                try
                {
                    Directory.Delete(_sqliteDirectory, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    internal sealed record Report(
        DateTimeOffset Date, MachineInfo Machine, string Db, string Database, string CommandLine, long Events, int Batch, int Connections,
        double BytesPerEvent, MaxPhaseResult Max, PacedPhaseResult? Paced, long StoredRows, long DatabaseBytes, long RawEvents,
        double HttpEventsPerSecondOverRawSpan, IReadOnlyList<RawResult> Raw, IReadOnlyList<CeilingResult> Ceilings)
    {
        public string ToMarkdown()
        {
            var s = new StringBuilder();
            s.AppendLine(CultureInfo.InvariantCulture, $"## {Db}: {Events:N0} events over HTTP, batches of {Batch}, {Connections} connections");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"{Database}; {Machine.Cores} cores ({Machine.Cpu}), {Machine.MemoryGiB} GiB; {Date:yyyy-MM-dd HH:mm} UTC; "
                + $"{BytesPerEvent:N0} bytes/event on the wire; final database {StoredRows:N0} interactions, {DatabaseBytes / 1048576.0:N0} MiB.");
            s.AppendLine();
            s.AppendLine("| phase | events/s | p50 ms | p95 ms | p99 ms | max ms | cores busy: OpenCem+client / PostgreSQL / other | CPU µs/event: OpenCem+client / PostgreSQL | disk writes MiB/s (KiB/event) |");
            s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| max (closed loop) | {Max.EventsPerSecond:N0} | {Max.Latency.P50:N1} | {Max.Latency.P95:N1} | {Max.Latency.P99:N1} | {Max.Latency.Max:N1} | {Max.Cpu.ProcessCores} / {Max.Cpu.PostgresCores} / {Max.Cpu.OtherCores} | {Max.Cpu.PerEvent(Max.Events)} | {Writes(Max.Cpu, Max.EventsPerSecond)} |");
            if (Paced is { } p)
            {
                s.AppendLine(CultureInfo.InvariantCulture,
                    $"| paced at {p.TargetEventsPerSecond:N0}/s (open loop, from schedule) | {p.AchievedEventsPerSecond:N0} | {p.LatencyFromSchedule.P50:N1} | {p.LatencyFromSchedule.P95:N1} | {p.LatencyFromSchedule.P99:N1} | {p.LatencyFromSchedule.Max:N1} | {p.Cpu.ProcessCores} / {p.Cpu.PostgresCores} / {p.Cpu.OtherCores} | {p.Cpu.PerEvent(p.Events)} | {Writes(p.Cpu, p.AchievedEventsPerSecond)} |");
            }

            s.AppendLine();
            s.AppendLine("| events stored | segment s | events/s | p50 ms | p99 ms | cores: OpenCem+client / PostgreSQL / other | disk writes MiB/s (KiB/event) |");
            s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var g in Max.Segments)
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"| {g.FromEvent:N0} – {g.ToEvent:N0} | {g.Seconds:N1} | {g.EventsPerSecond:N0} | {g.Latency.P50:N1} | {g.Latency.P99:N1} | {(g.Cpu is { } c ? $"{c.ProcessCores} / {c.PostgresCores} / {c.OtherCores} | {Writes(c, g.EventsPerSecond)}" : "– | –")} |");
            }

            if (Raw.Count > 0)
            {
                s.AppendLine();
                s.AppendLine(CultureInfo.InvariantCulture,
                    $"Raw limits ({RawEvents:N0} events into a fresh database, no HTTP); HTTP max over its first {RawEvents:N0} events: {HttpEventsPerSecondOverRawSpan:N0} events/s.");
                s.AppendLine();
                s.AppendLine("| method | rows per transaction | events/s | transaction p50 ms | p99 ms | HTTP / raw (same span) | HTTP overall / raw | CPU µs/event: .NET (incl. untimed parse) / PostgreSQL | KiB written/event |");
                s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                foreach (var r in Raw)
                {
                    var usage = r.Cpu is { } c ? string.Create(CultureInfo.InvariantCulture, $"{c.PerEvent(r.Events)} | {c.WrittenKiBPerEvent(r.Events):N1}") : "– | –";
                    s.AppendLine(CultureInfo.InvariantCulture,
                        $"| {r.Method} | {r.TransactionSize} | {r.EventsPerSecond:N0} | {r.TransactionLatency.P50:N2} | {r.TransactionLatency.P99:N2} | "
                        + $"{HttpEventsPerSecondOverRawSpan / r.EventsPerSecond:P0} | {Max.EventsPerSecond / r.EventsPerSecond:P0} | {usage} |");
                }
            }

            if (Ceilings.Count > 0)
            {
                s.AppendLine();
                s.AppendLine("Ceilings without a database (same client, bodies and connections; stub endpoint in the same process):");
                s.AppendLine();
                s.AppendLine("| stub endpoint | events/s | p50 ms | p99 ms | cores busy (process) | CPU µs/event |");
                s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
                foreach (var c in Ceilings)
                {
                    s.AppendLine(CultureInfo.InvariantCulture,
                        $"| {c.Stub} | {c.EventsPerSecond:N0} | {c.Latency.P50:N1} | {c.Latency.P99:N1} | {c.Cpu.ProcessCores} | {c.Cpu.ProcessCpuSeconds * 1e6 / c.Events:N1} |");
                }
            }

            return s.ToString();
        }

        /// <summary>Bytes OpenCem and PostgreSQL caused to be written, per second and per event stored.</summary>
        private static string Writes(CpuUse cpu, double eventsPerSecond) =>
            string.Create(CultureInfo.InvariantCulture, $"{cpu.DatabaseWriteMiBps:N0} ({cpu.DatabaseWriteMiBps * 1024 / eventsPerSecond:N1})");
    }
}
