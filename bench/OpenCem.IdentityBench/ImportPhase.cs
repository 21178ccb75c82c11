using System.Diagnostics;
using System.Globalization;
using OpenCem.Customers;
using OpenCem.Storage;

namespace OpenCem.IdentityBench;

/// <summary>One file of the import: reading and normalising (RecordFiles.ReadCsv), then resolving and writing (IdentityService.UpsertAsync).</summary>
internal sealed record FileImport(
    string Source, long Bytes, int Records, int Rejected, double ReadSeconds, double ResolveSeconds,
    int Created, int Updated, int Unchanged, int ProfilesCreated, int ProfilesMerged, int RecordsMerged, CpuUse ReadCpu, CpuUse ResolveCpu)
{
    /// <summary>The resolver's own phase times, when the measured source reports them (<c>ResolveOutcome.Phases</c>).</summary>
    public IReadOnlyList<PhaseTime>? Phases { get; init; }

    /// <summary>Seconds of <c>ANALYZE</c> after this file (the <c>--sqlite-analyze</c> experiment), inside the import's time.</summary>
    public double? AnalyzeSeconds { get; init; }

    public double Seconds => ReadSeconds + ResolveSeconds;
}

internal sealed record PhaseTime(string Phase, double Seconds);

internal sealed record ImportResult(IReadOnlyList<FileImport> Files, double Seconds, CpuUse Cpu)
{
    public int Records => Files.Sum(f => f.Records);

    public double ReadSeconds => Files.Sum(f => f.ReadSeconds);

    public double ResolveSeconds => Files.Sum(f => f.ResolveSeconds);
}

/// <summary>What the accuracy check needs of the planted sources: the expected profile of each (source, id), and counts.</summary>
internal sealed record PlantedTruth(IReadOnlyDictionary<(string Source, string Id), string> ExpectedProfile, int Records, int Profiles, IReadOnlyDictionary<string, int> BySource)
{
    public static PlantedTruth Of(PlantedSourceSet planted) => new(
        planted.ExpectedProfile, planted.Records.Count, planted.ExpectedProfile.Values.Distinct().Count(),
        planted.Records.GroupBy(r => r.Source).ToDictionary(g => g.Key, g => g.Count()));
}

internal sealed record AccuracyResult(
    int RecordsStored, int RecordsExpected, double Precision, double Recall, int ProfilesStored, int ProfilesExpected, int ProfilesWithRecords, long CustomersCounter);

/// <summary>
/// Exactly what <c>opencem import customers FILE --source NAME</c> does for each file, in turn, in this process:
/// the rules from <see cref="IdentityService.GetSettingsAsync"/>, <see cref="RecordFiles.ReadCsv"/> with a
/// <see cref="SourceRecordReader"/> into a list, then one <see cref="IdentityService.UpsertAsync"/>.
/// </summary>
internal static class ImportPhase
{
    public static readonly string[] Sources = ["crm", "billing", "webshop"];

    public static async Task<ImportResult> RunAsync(Database database, long workspaceId, IReadOnlyList<(string Source, string Path)> files, bool analyze = false)
    {
        var identity = new IdentityService(database, TimeProvider.System);
        var imports = new List<FileImport>();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var cpuStart = CpuSample.Take();
        var started = Stopwatch.GetTimestamp();
        foreach (var (source, path) in files)
        {
            var readCpu = CpuSample.Take();
            var readStart = Stopwatch.GetTimestamp();
            var settings = await identity.GetSettingsAsync(workspaceId);
            var rejections = new List<RecordRejection>();
            List<IncomingRecord> records = [];
            await using (var stream = File.OpenRead(path))
            using (var text = new OpenCem.Hosting.Utf8LineReader(stream))
            {
                var reader = new SourceRecordReader(settings);
                foreach (var record in RecordFiles.ReadCsv(text, source, reader, new Dictionary<string, string>(), rejections))
                {
                    records.Add(record);
                }
            }

            var readSeconds = Stopwatch.GetElapsedTime(readStart).TotalSeconds;
            var resolveCpu = CpuSample.Take();
            var resolveStart = Stopwatch.GetTimestamp();
            var outcome = await identity.UpsertAsync(workspaceId, records);
            var resolveSeconds = Stopwatch.GetElapsedTime(resolveStart).TotalSeconds;
            double? analyzeSeconds = null;
            if (analyze && IsFirst(source))
            {
                // The experiment: give SQLite's planner statistics once the workspace has rows.
                var analyzeStart = Stopwatch.GetTimestamp();
                await using var connection = await database.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "ANALYZE";
                await command.ExecuteNonQueryAsync();
                analyzeSeconds = Stopwatch.GetElapsedTime(analyzeStart).TotalSeconds;
                resolveSeconds += analyzeSeconds.Value;
            }

            var end = CpuSample.Take();
            var file = new FileImport(
                source, new FileInfo(path).Length, records.Count, rejections.Count + outcome.Rejections.Count, readSeconds, resolveSeconds,
                outcome.Created, outcome.Updated, outcome.Unchanged, outcome.ProfilesCreated, outcome.ProfilesMerged, outcome.RecordsMerged,
                resolveCpu.Since(readCpu), end.Since(resolveCpu))
            {
                Phases = PhasesOf(outcome),
                AnalyzeSeconds = analyzeSeconds,
            };
            imports.Add(file);
            if (file.Phases is { Count: > 0 } phases)
            {
                Progress.Log($"  {source}: resolver phases: {string.Join(", ", phases.Select(p => $"{p.Phase} {p.Seconds:N2} s"))}");
            }

            Progress.Log($"  {source}: {file.Records:N0} records; read+normalise {readSeconds:N2} s, resolve+write {resolveSeconds:N2} s; "
                + $"{file.Created:N0} created, {file.ProfilesCreated:N0} profiles created, {file.ProfilesMerged:N0} merged away, {file.RecordsMerged:N0} records merged, "
                + $"{file.Rejected} rejected; cores during resolve: {file.ResolveCpu.ProcessCores} .NET / {file.ResolveCpu.PostgresCores} PostgreSQL / {file.ResolveCpu.OtherCores} other");
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ImportResult(imports, seconds, CpuSample.Take().Since(cpuStart));
    }

    private static bool IsFirst(string source) => source == Sources[0];

    /// <summary>
    /// The resolver's phase times, read by reflection: <c>ResolveOutcome.Phases</c> exists only in some versions of the
    /// source, and the benchmark must build on all of them.
    /// </summary>
    private static List<PhaseTime>? PhasesOf(ResolveOutcome outcome) =>
        outcome.GetType().GetProperty("Phases")?.GetValue(outcome) is IEnumerable<(string, TimeSpan)> phases
            ? phases.Select(p => new PhaseTime(p.Item1, Math.Round(p.Item2.TotalSeconds, 3))).ToList()
            : null;

    /// <summary>Pairwise precision and recall of the stored profiles against the planted rule truth.</summary>
    public static async Task<AccuracyResult> CheckAsync(Database database, long workspaceId, PlantedTruth truth)
    {
        var actual = new Dictionary<(string Source, string Id), long>(truth.Records);
        await using var connection = await database.OpenAsync();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT source, record_key, customer_id FROM source_records WHERE workspace_id = {workspaceId}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                actual[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
            }
        }

        var (precision, recall) = PairwiseAccuracy.Measure(truth.ExpectedProfile, actual);
        await using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM customers WHERE workspace_id = {workspaceId}";
        var customers = Convert.ToInt32(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        count.CommandText = $"SELECT coalesce(max(value), 0) FROM workspace_counters WHERE workspace_id = {workspaceId} AND name = 'customers'";
        var counter = Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        return new AccuracyResult(
            actual.Count, truth.Records, precision, recall, customers, truth.Profiles, actual.Values.Distinct().Count(), counter);
    }
}

/// <summary>
/// Pairwise precision and recall of a clustering against the truth, over all pairs of items in one cluster (the
/// idea of the accuracy test's helper; counted per cluster pair instead of per item, so a million items is quick).
/// </summary>
internal static class PairwiseAccuracy
{
    public static (double Precision, double Recall) Measure<TItem, TCluster>(IReadOnlyDictionary<TItem, string> expected, IReadOnlyDictionary<TItem, TCluster> actual)
        where TItem : notnull
        where TCluster : notnull
    {
        static long Pairs(long n) => n * (n - 1) / 2;
        var both = new Dictionary<(string, TCluster), long>();
        var predicted = new Dictionary<TCluster, long>();
        var real = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (item, truth) in expected)
        {
            if (!actual.TryGetValue(item, out var cluster))
            {
                continue;
            }

            both[(truth, cluster)] = both.GetValueOrDefault((truth, cluster)) + 1;
            predicted[cluster] = predicted.GetValueOrDefault(cluster) + 1;
            real[truth] = real.GetValueOrDefault(truth) + 1;
        }

        var truePairs = both.Values.Sum(Pairs);
        var predictedPairs = predicted.Values.Sum(Pairs);
        var realPairs = real.Values.Sum(Pairs);
        return (predictedPairs == 0 ? 1 : (double)truePairs / predictedPairs, realPairs == 0 ? 1 : (double)truePairs / realPairs);
    }
}
