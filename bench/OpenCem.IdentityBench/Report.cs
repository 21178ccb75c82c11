using System.Globalization;
using System.Text;

namespace OpenCem.IdentityBench;

/// <summary>Statements slower than a threshold during the import, from the PostgreSQL server log, summed per statement text.</summary>
internal sealed record SlowStatement(string Statement, int Count, double TotalMs, double MaxMs);

/// <summary>The headline figures of one run, for the table of repeated runs.</summary>
internal sealed record RunSummary(
    int Run, DateTimeOffset Date, double ImportSeconds, double ReadSeconds, double ResolveSeconds, double? RawSeconds, double? ImportOverRaw,
    double IncrementalP50, double IncrementalP95, double IncrementalP99, double ProfileP50, double ProfileP99, double TimelineP50, double TimelineP99,
    double OtherCoresImport, double OtherCoresIncremental, double OtherCoresPage)
{
    public static RunSummary Of(int run, BenchReport r) => new(
        run, r.Date, r.Import.Seconds, r.Import.ReadSeconds, r.Import.ResolveSeconds, r.Raw?.Seconds, r.ImportOverRaw,
        r.Incremental.All.P50, r.Incremental.All.P95, r.Incremental.All.P99, r.Page.Profile.P50, r.Page.Profile.P99, r.Page.Timeline.P50, r.Page.Timeline.P99,
        r.Import.Cpu.OtherCores, r.Incremental.Cpu.OtherCores, r.Page.Cpu.OtherCores);
}

internal sealed record BenchReport(
    DateTimeOffset Date, MachineInfo Machine, string Db, string Database, string SourceRevision, string CommandLine, bool ServerGc,
    int Persons, int Seed, long CsvBytes, ImportResult Import, AccuracyResult Accuracy, long DatabaseBytes, RawLimitResult? Raw,
    DiagnosticsResult? Diagnostics, IncrementalResult Incremental, ProfilePageResult Page, IReadOnlyList<SlowStatement>? SlowStatements,
    IReadOnlyList<SlowStatement>? SlowIncrementalStatements)
{
    public IReadOnlyList<QueryCost>? Queries { get; init; }

    /// <summary>Every run when the benchmark was repeated; this report's details are those of run <see cref="MedianRun"/>.</summary>
    public IReadOnlyList<RunSummary>? Runs { get; init; }

    public int MedianRun { get; init; } = 1;

    public FloorResult? Floor { get; init; }

    public bool SqliteAnalyze { get; init; }

    /// <summary>Identifies joining a profile whose e-mail three records carry (not part of the target).</summary>
    public LatencySummary? JoinShared { get; init; }

    /// <summary>PostgreSQL: the raw rows on two connections at once.</summary>
    public RawLimitResult? RawParallel { get; init; }

    public string? StatisticsAfterImport { get; init; }

    public string? StatisticsBeforeIncremental { get; init; }

    public const double ImportTargetSeconds = 20;
    public const double IncrementalTargetP99Ms = 1;
    public const double PageTargetMs = 20;

    public double? ImportOverRaw => Raw is { } r ? Import.Seconds / r.Seconds : null;

    public string ToMarkdown()
    {
        var s = new StringBuilder();
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        void Part(FormattableString text) => s.Append(text.ToString(CultureInfo.InvariantCulture));
        static string Met(bool met) => met ? "**met**" : "**missed**";

        Line($"## Identity resolution on {Db}: {Import.Records:N0} source records of {Persons:N0} planted persons");
        s.AppendLine();
        Line($"OpenCem source {SourceRevision}; {Database}; {Machine.Cores} cores ({Machine.Cpu}), {Machine.MemoryGiB} GiB; .NET {Environment.Version}, server GC {ServerGc}; {Date:yyyy-MM-dd HH:mm} UTC.");
        Line($"Command: `{CommandLine}`");
        s.AppendLine();
        var runs = Runs is { Count: > 0 } ? Runs : [RunSummary.Of(1, this)];
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        var import = Median(runs.Select(r => r.ImportSeconds));
        var incrementalP99 = Median(runs.Select(r => r.IncrementalP99));
        var profileP99 = Median(runs.Select(r => r.ProfileP99));
        var of = runs.Count > 1 ? $"median of {runs.Count} runs" : "one run";
        Line($"Headline figures: {of}.");
        s.AppendLine();
        s.AppendLine("| measure | target | result | |");
        s.AppendLine("| --- | --- | ---: | --- |");
        Line($"| import of 3 CSV files ({CsvBytes / 1048576.0:N0} MiB) into profiles, first byte read to last commit | < {ImportTargetSeconds:N0} s | {import:N1} s ({Import.Records / import:N0} records/s) | {Met(import < ImportTargetSeconds)} |");
        if (runs.All(r => r.RawSeconds is not null))
        {
            Line($"| raw insert of the same final rows ({Raw?.Rows:N0} rows), no resolution | – | {Median(runs.Select(r => r.RawSeconds!.Value)):N1} s | import ÷ raw = **{Median(runs.Select(r => r.ImportOverRaw!.Value)):N1}×** |");
        }

        Line($"| incremental identify with the profiles present, p99 per call (commit included) | < {IncrementalTargetP99Ms:N0} ms | {incrementalP99:N2} ms (p50 {Median(runs.Select(r => r.IncrementalP50)):N2}) | {Met(incrementalP99 < IncrementalTargetP99Ms)} |");
        Line($"| `GET /api/v1/customers/{{id}}`, {Page.Interactions:N0} interactions, p99 | < {PageTargetMs:N0} ms | {profileP99:N1} ms (p50 {Median(runs.Select(r => r.ProfileP50)):N1}) | {Met(profileP99 < PageTargetMs)} |");
        Line($"| `GET /api/v1/customers/{{id}}/timeline?limit=50`, p99 | – | {Median(runs.Select(r => r.TimelineP99)):N1} ms (p50 {Median(runs.Select(r => r.TimelineP50)):N1}) | |");
        s.AppendLine();
        if (runs.Count > 1)
        {
            s.AppendLine("| run | import s | read + normalise s | resolve + write s | raw s | import ÷ raw | identify p50 / p95 / p99 ms | profile p50 / p99 ms | timeline p50 / p99 ms | other cores: import / identify / page |");
            s.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in runs)
            {
                Line($"| {r.Run}{(r.Run == MedianRun ? " (details below)" : "")} | {r.ImportSeconds:N1} | {r.ReadSeconds:N1} | {r.ResolveSeconds:N1} | {r.RawSeconds:N1} | {r.ImportOverRaw:N1}× | {r.IncrementalP50:N2} / {r.IncrementalP95:N2} / {r.IncrementalP99:N2} | {r.ProfileP50:N1} / {r.ProfileP99:N1} | {r.TimelineP50:N1} / {r.TimelineP99:N1} | {r.OtherCoresImport} / {r.OtherCoresIncremental} / {r.OtherCoresPage} |");
            }

            Line($"| **median** | {import:N1} | {Median(runs.Select(r => r.ReadSeconds)):N1} | {Median(runs.Select(r => r.ResolveSeconds)):N1} | {(runs.All(r => r.RawSeconds is not null) ? Median(runs.Select(r => r.RawSeconds!.Value)).ToString("N1", CultureInfo.InvariantCulture) : "–")} | {(runs.All(r => r.ImportOverRaw is not null) ? Median(runs.Select(r => r.ImportOverRaw!.Value)).ToString("N1", CultureInfo.InvariantCulture) + "×" : "–")} | {Median(runs.Select(r => r.IncrementalP50)):N2} / {Median(runs.Select(r => r.IncrementalP95)):N2} / {incrementalP99:N2} | {Median(runs.Select(r => r.ProfileP50)):N1} / {profileP99:N1} | {Median(runs.Select(r => r.TimelineP50)):N1} / {Median(runs.Select(r => r.TimelineP99)):N1} | |");
            s.AppendLine();
            Line($"The sections below are run {MedianRun}, the run with the median import time. \"Other cores\" is what the rest of the shared machine used meanwhile (of 2).");
            s.AppendLine();
        }

        s.AppendLine("### 1. Import (`opencem import customers FILE --source NAME`, in process, file by file)");
        s.AppendLine();
        s.AppendLine("| file | MiB | records | read + normalise s | resolve + write s | records/s | created | profiles created | merged away | records merged | rejected | cores while resolving: .NET / PostgreSQL / other |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var f in Import.Files)
        {
            Line($"| {f.Source} | {f.Bytes / 1048576.0:N1} | {f.Records:N0} | {f.ReadSeconds:N2} | {f.ResolveSeconds:N2} | {f.Records / f.Seconds:N0} | {f.Created:N0} | {f.ProfilesCreated:N0} | {f.ProfilesMerged:N0} | {f.RecordsMerged:N0} | {f.Rejected:N0} | {f.ResolveCpu.ProcessCores} / {f.ResolveCpu.PostgresCores} / {f.ResolveCpu.OtherCores} |");
        }

        Line($"| **all** | {CsvBytes / 1048576.0:N1} | {Import.Records:N0} | {Import.ReadSeconds:N2} | {Import.ResolveSeconds:N2} | {Import.Records / Import.Seconds:N0} | | | | | | {Import.Cpu.ProcessCores} / {Import.Cpu.PostgresCores} / {Import.Cpu.OtherCores} (whole import) |");
        s.AppendLine();
        if (SqliteAnalyze)
        {
            Line($"**Experiment `--sqlite-analyze`**: `ANALYZE` ran after the first file ({Import.Files[0].AnalyzeSeconds:N2} s, counted in its resolve time), so SQLite's planner had statistics for the later files.");
            s.AppendLine();
        }

        if (Import.Files.Any(f => f.Phases is { Count: > 0 }))
        {
            var names = Import.Files.SelectMany(f => f.Phases ?? []).Select(p => p.Phase).Distinct().ToList();
            s.AppendLine("Resolve + write split by the resolver's own phase marks (`ResolveOutcome.Phases` of the measured source), s:");
            s.AppendLine();
            s.AppendLine("| file | " + string.Join(" | ", names) + " |");
            s.AppendLine("| --- | " + string.Join(" | ", names.Select(_ => "---:")) + " |");
            foreach (var f in Import.Files)
            {
                s.AppendLine($"| {f.Source} | " + string.Join(" | ", names.Select(n => f.Phases?.FirstOrDefault(p => p.Phase == n) is { } p ? p.Seconds.ToString("N2", CultureInfo.InvariantCulture) : "–")) + " |");
            }

            s.AppendLine("| **all** | " + string.Join(" | ", names.Select(n => Import.Files.Sum(f => f.Phases?.FirstOrDefault(p => p.Phase == n)?.Seconds ?? 0).ToString("N2", CultureInfo.InvariantCulture))) + " |");
            s.AppendLine();
        }

        Part($"Wall time {Import.Seconds:N2} s: reading and normalising {Import.ReadSeconds:N2} s ({Import.ReadSeconds / Import.Seconds:P0}), resolving and writing {Import.ResolveSeconds:N2} s ({Import.ResolveSeconds / Import.Seconds:P0}). ");
        Line($"CPU: {Import.Cpu.ProcessCpuSeconds:N1} s .NET, {Import.Cpu.PostgresCpuSeconds:N1} s PostgreSQL; {Import.Cpu.DatabaseWriteMiBps * Import.Cpu.Seconds:N0} MiB written; database afterwards {DatabaseBytes / 1048576.0:N0} MiB.");
        s.AppendLine();
        Part($"Accuracy against the planted rule truth: pairwise precision **{Accuracy.Precision:0.######}**, recall **{Accuracy.Recall:0.######}**; {Accuracy.RecordsStored:N0} of {Accuracy.RecordsExpected:N0} records stored; ");
        Line($"{Accuracy.ProfilesWithRecords:N0} profiles hold them (expected {Accuracy.ProfilesExpected:N0}); {Accuracy.ProfilesStored:N0} rows in customers; the customers counter says {Accuracy.CustomersCounter:N0}.");

        if (Raw is { } r2)
        {
            s.AppendLine();
            s.AppendLine("### 2. Raw limit: the same final rows into a fresh database, no resolution");
            s.AppendLine();
            Line($"{r2.Method}; {r2.Rows:N0} rows in {r2.Seconds:N2} s ({r2.Rows / r2.Seconds:N0} rows/s); cores {r2.Cpu.ProcessCores} .NET / {r2.Cpu.PostgresCores} PostgreSQL / {r2.Cpu.OtherCores} other.");
            s.AppendLine();
            s.AppendLine("| table | rows | s |");
            s.AppendLine("| --- | ---: | ---: |");
            foreach (var t in r2.Tables)
            {
                Line($"| {t.Table} | {t.Rows:N0} | {t.Seconds:N2} |");
            }

            s.AppendLine();
            Line($"Import ÷ raw: **{Import.Seconds / r2.Seconds:N1}×** overall; resolving and writing alone ÷ raw: {Import.ResolveSeconds / r2.Seconds:N1}×.");
            if (RawParallel is { } rp)
            {
                s.AppendLine();
                Line($"With both cores: {rp.Method}: {rp.Seconds:N2} s ({string.Join(", ", rp.Tables.Select(t => $"{t.Table} {t.Seconds:N2} s"))}); cores {rp.Cpu.ProcessCores} .NET / {rp.Cpu.PostgresCores} PostgreSQL / {rp.Cpu.OtherCores} other. Import ÷ this: {Import.Seconds / rp.Seconds:N1}×.");
            }
        }

        if (Diagnostics is { } d)
        {
            s.AppendLine();
            s.AppendLine("### Where the import's time goes (rebuilt from public pieces after the run; not part of the timings above)");
            s.AppendLine();
            s.AppendLine("| step | s |");
            s.AppendLine("| --- | ---: |");
            Line($"| CsvHelper only: all fields of the three files | {d.CsvParseOnlySeconds:N2} |");
            Line($"| `IdentifierNormaliser` only: every e-mail, phone and customer number | {d.NormaliseOnlySeconds:N2} |");
            Line($"| load all {d.Records:N0} records as the full resolution does (Dapper, identifiers decoded) | {d.LoadRecordsSeconds:N2} |");
            Line($"| load all {d.Identities:N0} tracking identities | {d.LoadIdentitiesSeconds:N2} |");
            Line($"| `IdentityGraph.Resolve` over all records ({d.Links:N0} links) | {d.GraphSeconds:N2} |");
            Line($"| `ResolutionPlan.Make` over all records ({d.Profiles:N0} profiles) | {d.PlanSeconds:N2} |");
        }

        if (Queries is { Count: > 0 } queries)
        {
            s.AppendLine();
            Line($"Statement shapes the resolution repeats (worded as `IdentityRepository` words them; 500 is its chunk size), on the imported database; median of 5 runs. Planner statistics at this point: {StatisticsAfterImport}.");
            s.AppendLine();
            s.AppendLine("| statement | ids | ms | plan |");
            s.AppendLine("| --- | ---: | ---: | --- |");
            foreach (var q in queries)
            {
                Line($"| {q.Name} | {(q.Ids > 0 ? q.Ids.ToString(CultureInfo.InvariantCulture) : "all")} | {q.MedianMs:N2} | {q.Plan.Replace("|", "\\|", StringComparison.Ordinal)} |");
            }
        }

        if (SlowStatements is { Count: > 0 } slow)
        {
            s.AppendLine();
            s.AppendLine("### PostgreSQL statements during the import, from the server log (`--pg-log-ms`)");
            s.AppendLine();
            s.AppendLine("| statement | count | total ms | max ms |");
            s.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var st in slow.Take(25))
            {
                Line($"| `{st.Statement.Replace("|", "\\|", StringComparison.Ordinal)}` | {st.Count:N0} | {st.TotalMs:N0} | {st.MaxMs:N1} |");
            }
        }

        s.AppendLine();
        s.AppendLine("### 3. Incremental identify with the profiles present");
        s.AppendLine();
        Part($"{Incremental.Calls:N0} calls of `IdentityService.UpsertAsync` with one tracking record each (new userId, e-mail in the traits), one at a time, after {Incremental.WarmUpCalls} warm-up calls; ");
        Part($"{Incremental.MergedAsExpected:N0} joined an existing profile, {Incremental.CreatedAsExpected:N0} made a new one, {Incremental.Unexpected} did neither as expected. ");
        Line($"{Incremental.Calls / Incremental.Seconds:N0} calls/s; cores {Incremental.Cpu.ProcessCores} .NET / {Incremental.Cpu.PostgresCores} PostgreSQL / {Incremental.Cpu.OtherCores} other.");
        s.AppendLine();
        Line($"Planner statistics when the calls began: {StatisticsBeforeIncremental}.");
        s.AppendLine();
        s.AppendLine("| calls | n | p50 ms | p95 ms | p99 ms | max ms |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        Line($"| all | {Incremental.All.Count:N0} | {Incremental.All.P50:N2} | {Incremental.All.P95:N2} | {Incremental.All.P99:N2} | {Incremental.All.Max:N2} |");
        Line($"| e-mail of an existing profile (joins it) | {Incremental.Merging.Count:N0} | {Incremental.Merging.P50:N2} | {Incremental.Merging.P95:N2} | {Incremental.Merging.P99:N2} | {Incremental.Merging.Max:N2} |");
        Line($"| fresh e-mail (new profile) | {Incremental.Fresh.Count:N0} | {Incremental.Fresh.P50:N2} | {Incremental.Fresh.P95:N2} | {Incremental.Fresh.P99:N2} | {Incremental.Fresh.Max:N2} |");
        if (Incremental.Quiet is { Count: > 0 } quiet)
        {
            Line($"| without a GC or WAL checkpoint during the call | {quiet.Count:N0} | {quiet.P50:N2} | {quiet.P95:N2} | {quiet.P99:N2} | {quiet.Max:N2} |");
        }

        if (Incremental.WithGc is { Count: > 0 } gc)
        {
            Line($"| with a garbage collection during the call | {gc.Count:N0} | {gc.P50:N2} | {gc.P95:N2} | {gc.P99:N2} | {gc.Max:N2} |");
        }

        if (Incremental.WithCheckpoint is { Count: > 0 } checkpoint)
        {
            Line($"| whose commit ran SQLite's automatic WAL checkpoint | {checkpoint.Count:N0} | {checkpoint.P50:N2} | {checkpoint.P95:N2} | {checkpoint.P99:N2} | {checkpoint.Max:N2} |");
        }

        if (JoinShared is { } joinShared)
        {
            Line($"| not in the target: an identify joining a profile whose e-mail 3 records carry (crm, billing, webshop) | {joinShared.Count:N0} | {joinShared.P50:N2} | {joinShared.P95:N2} | {joinShared.P99:N2} | {joinShared.Max:N2} |");
        }

        if (Floor is { } floor)
        {
            Line($"| floor: pooled open, one-row INSERT, durable commit (same database) | {floor.Transactions:N0} | {floor.Latency.P50:N2} | {floor.Latency.P95:N2} | {floor.Latency.P99:N2} | {floor.Latency.Max:N2} |");
        }

        if (SlowIncrementalStatements is { Count: > 0 } perCall)
        {
            var calls = Incremental.Calls + Incremental.WarmUpCalls;
            s.AppendLine();
            Line($"PostgreSQL statements during the {calls:N0} calls (warm-up included), from the server log; server time only, without the round trips:");
            s.AppendLine();
            s.AppendLine("| statement | per call | server µs per call |");
            s.AppendLine("| --- | ---: | ---: |");
            foreach (var st in perCall.Take(40))
            {
                Line($"| `{st.Statement.Replace("|", "\\|", StringComparison.Ordinal)}` | {(double)st.Count / calls:N2} | {st.TotalMs * 1000 / calls:N0} |");
            }

            Line($"| **all** | {(double)perCall.Sum(p => p.Count) / calls:N1} | {perCall.Sum(p => p.TotalMs) * 1000 / calls:N0} |");
        }

        s.AppendLine();
        s.AppendLine("### 4. Profile page of a customer with a long timeline (real server, HTTP on 127.0.0.1, admin key)");
        s.AppendLine();
        Part($"Customer {Page.CustomerId}: {Page.Interactions:N0} interactions, {Page.Records} source records; profile JSON {Page.ProfileBytes / 1024.0:N1} KiB. The history was stored through `InteractionWriter` in {Page.WriteSeconds:N1} s. ");
        Line($"{Page.Calls} sequential requests per endpoint after 20 warm-up requests; cores {Page.Cpu.ProcessCores} .NET / {Page.Cpu.PostgresCores} PostgreSQL / {Page.Cpu.OtherCores} other.");
        s.AppendLine();
        s.AppendLine("| request | p50 ms | p95 ms | p99 ms | max ms |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        Line($"| `GET /api/v1/customers/{Page.CustomerId}` | {Page.Profile.P50:N2} | {Page.Profile.P95:N2} | {Page.Profile.P99:N2} | {Page.Profile.Max:N2} |");
        if (Page.ProfileWithoutGc is { Count: > 0 } quietPage)
        {
            Line($"| `GET /api/v1/customers/{Page.CustomerId}` without a garbage collection during the request ({Page.ProfileRequestsWithGc} of {Page.Calls} had one; {Page.ProfileGcPauseMs:N0} ms of pauses in all) | {quietPage.P50:N2} | {quietPage.P95:N2} | {quietPage.P99:N2} | {quietPage.Max:N2} |");
        }

        Line($"| `GET /api/v1/customers/{Page.CustomerId}/timeline?limit=50` | {Page.Timeline.P50:N2} | {Page.Timeline.P95:N2} | {Page.Timeline.P99:N2} | {Page.Timeline.Max:N2} |");
        Line($"| in process, no HTTP: `CustomerProfiles.GetAsync` | {Page.ProfileInProcess.P50:N2} | {Page.ProfileInProcess.P95:N2} | {Page.ProfileInProcess.P99:N2} | {Page.ProfileInProcess.Max:N2} |");
        if (Page.Aggregate is { } aggregate)
        {
            Line($"| in process: the interactions aggregate of the profile alone (count, sums, first/last, purchases over {Page.Interactions:N0} rows) | {aggregate.P50:N2} | {aggregate.P95:N2} | {aggregate.P99:N2} | {aggregate.Max:N2} |");
        }

        Line($"| in process, no HTTP: `ResolveIdAsync` + `InteractionQuery.ListAsync` (50) | {Page.TimelineInProcess.P50:N2} | {Page.TimelineInProcess.P95:N2} | {Page.TimelineInProcess.P99:N2} | {Page.TimelineInProcess.Max:N2} |");
        return s.ToString();
    }
}
