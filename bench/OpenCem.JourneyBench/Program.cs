using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCem.Analytics.Journeys;
using OpenCem.Interactions;
using OpenCem.Interactions.Ingestion;
using OpenCem.Storage;
using OpenCem.Workspaces;

// The journey projection's cost against ingestion's, round by round as the history grows: each round stores a batch
// of tracking events with the ingestion writer (the baseline, same rows, same run) and then runs one projector pass
// over them. Meanwhile a probe writer does a small write transaction every 2 ms, as a response or a rule firing would,
// and records how long each waited: on SQLite that is how long the projector holds the one write lock.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = BenchArgs.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchArgs.Usage);
    return 2;
}

var machine = MachineInfo.Read();
Console.WriteLine($"OpenCem journey projection bench — {options.Db}, {machine.Cores} cores, {machine.Cpu}; source {SourceRevision.Read()}");
PostgresCluster? cluster = null;
string connectionString;
if (options.Db == "postgres")
{
    cluster = PostgresCluster.Start(durable: true);
    connectionString = await cluster.CreateDatabaseAsync("journeys");
}
else
{
    connectionString = Path.Combine(Path.GetTempPath(), $"opencem-journeys-{Guid.NewGuid():N}.db");
}

try
{
    await using var database = new Database(DatabaseTarget.Parse(connectionString));
    await SchemaMigrator.MigrateAsync(database);
    var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
    var catalogue = new CatalogueStore(database, TimeProvider.System);
    await RawLimit.SeedCatalogueAsync(catalogue, workspace.Id);
    var resolver = new TouchpointResolver(await catalogue.ListTouchpointsAsync(workspace.Id));
    await using var writer = InteractionWriter.Create(database, _ => resolver, TimeProvider.System);
    using var projector = new JourneyProjector(database, catalogue, new JourneyOptions { Settle = TimeSpan.Zero }, TimeProvider.System,
        NullLogger<JourneyProjector>.Instance);
    var generator = new BatchGenerator(options.Users, (long)options.Rounds * options.RoundEvents, 100, 17);
    Console.WriteLine($"  {options.Rounds} rounds of {options.RoundEvents:N0} events, {options.Users:N0} users, demo journeys and touchpoints");
    Console.WriteLine("round | history | ingest ms | project ms | project/ingest | project CPU ms | probe waits p99 / max ms");

    var rows = new List<RoundRow>();
    for (var round = 1; round <= options.Rounds; round++)
    {
        var events = RawLimit.Parse(generator.Generate((round - 1L) * options.RoundEvents / 100, options.RoundEvents / 100));
        var ingest = Stopwatch.StartNew();
        foreach (var chunk in events.Chunk(1000))
        {
            await writer.WriteAsync([.. chunk.Select(e => new IngestionItem(workspace.Id, e))], CancellationToken.None);
        }

        ingest.Stop();
        using var probe = new ProbeWriter(database, workspace.Id);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var project = Stopwatch.StartNew();
        await projector.RunOnceAsync();
        project.Stop();
        var projectCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var waits = await probe.StopAsync();
        var row = new RoundRow(round, (long)round * options.RoundEvents, ingest.Elapsed.TotalMilliseconds, project.Elapsed.TotalMilliseconds,
            projectCpu.TotalMilliseconds, waits.P99, waits.Max);
        rows.Add(row);
        Console.WriteLine($"{row.Round,5} | {row.History,7:N0} | {row.IngestMs,9:N0} | {row.ProjectMs,10:N0} | {row.ProjectMs / row.IngestMs,14:N2} | {row.ProjectCpuMs,14:N0} | {row.ProbeP99,8:N1} / {row.ProbeMax:N1}");
    }

    await using var connection = await database.OpenAsync();
    var instances = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM journey_instances");
    var third = Math.Max(1, rows.Count / 3);
    double Median(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);
    Console.WriteLine($"Journey instances stored: {instances:N0}");
    Console.WriteLine($"Median over all rounds: ingest {Median(rows.Select(r => r.IngestMs)):N0} ms, project {Median(rows.Select(r => r.ProjectMs)):N0} ms, "
        + $"project/ingest {Median(rows.Select(r => r.ProjectMs / r.IngestMs)):N2}, probe wait p99 {Median(rows.Select(r => r.ProbeP99)):N1} ms, max {rows.Max(r => r.ProbeMax):N1} ms");
    Console.WriteLine($"project/ingest, first third {Median(rows.Take(third).Select(r => r.ProjectMs / r.IngestMs)):N2} -> last third "
        + $"{Median(rows.TakeLast(third).Select(r => r.ProjectMs / r.IngestMs)):N2}");
    return 0;
}
finally
{
    if (cluster is null)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(connectionString + suffix);
        }
    }
    else
    {
        cluster.Stop();
    }
}

internal sealed record RoundRow(int Round, long History, double IngestMs, double ProjectMs, double ProjectCpuMs, double ProbeP99, double ProbeMax);

internal sealed record BenchArgs(string Db, int Users, int Rounds, int RoundEvents)
{
    public const string Usage = "usage: OpenCem.JourneyBench [--db sqlite|postgres] [--users N (20000)] [--rounds N (20)] [--round-events N, a multiple of 100 (35000)]";

    public static BenchArgs? Parse(string[] args)
    {
        var result = new BenchArgs("sqlite", 20_000, 20, 35_000);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--db" && args[i + 1] is "sqlite" or "postgres")
            {
                result = result with { Db = args[i + 1] };
            }
            else if (int.TryParse(args[i + 1], out var n) && n > 0)
            {
                switch (args[i])
                {
                    case "--users": result = result with { Users = n }; break;
                    case "--rounds": result = result with { Rounds = n }; break;
                    case "--round-events" when n % 100 == 0: result = result with { RoundEvents = n }; break;
                    default: return null;
                }
            }
            else
            {
                return null;
            }
        }

        return args.Length % 2 == 0 ? result : null;
    }
}

/// <summary>A small write transaction every 2 ms (a counter row), in turn with the other writers; records each one's wait.</summary>
internal sealed class ProbeWriter : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<List<double>> _run;

    public ProbeWriter(Database database, long workspaceId) => _run = RunAsync(database, workspaceId, _stop.Token);

    public async Task<LatencySummary> StopAsync()
    {
        await _stop.CancelAsync();
        var waits = await _run;
        return LatencySummary.From(waits.Count > 0 ? waits.ToArray() : [0]);
    }

    public void Dispose() => _stop.Dispose();

    private static async Task<List<double>> RunAsync(Database database, long workspaceId, CancellationToken stop)
    {
        var waits = new List<double>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            await using (await database.TakeWriteTurnAsync(CancellationToken.None))
            await using (var transaction = await connection.BeginTransactionAsync(CancellationToken.None))
            {
                await connection.ExecuteAsync(
                    "INSERT INTO workspace_counters (workspace_id, name, value) VALUES (@workspaceId, 'bench_probe', 1) ON CONFLICT (workspace_id, name) DO UPDATE SET value = workspace_counters.value + 1",
                    new { workspaceId }, transaction);
                await transaction.CommitAsync(CancellationToken.None);
            }

            waits.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            try
            {
                await Task.Delay(2, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return waits;
    }
}
