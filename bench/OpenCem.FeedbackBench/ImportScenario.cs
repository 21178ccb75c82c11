using System.Diagnostics;
using Dapper;
using OpenCem.Customers;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;
using OpenCem.Interactions;
using OpenCem.Storage;

namespace OpenCem.FeedbackBench;

internal sealed record PhaseTime(string Phase, double Seconds);

internal sealed record GcUse(int Gen0, int Gen1, int Gen2, double PauseMs, double AllocatedMiB)
{
    public static (int, int, int, TimeSpan, long) Take() =>
        (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: true));

    public static GcUse Since((int Gen0, int Gen1, int Gen2, TimeSpan Pause, long Allocated) start)
    {
        var now = Take();
        return new(now.Item1 - start.Gen0, now.Item2 - start.Gen1, now.Item3 - start.Gen2, Math.Round((now.Item4 - start.Pause).TotalMilliseconds),
            Math.Round((now.Item5 - start.Allocated) / 1048576.0));
    }
}

/// <summary>The raw limit: the imported rows inserted again into an empty survey_responses by the same bulk path, in one transaction.</summary>
internal sealed record RawResult(int Rows, double Seconds, double RowsPerSecond, CpuUse Cpu);

/// <summary>The same file through <c>opencem import responses</c> in a new process: .NET start-up, schema check and JIT included.</summary>
internal sealed record CliResult(double Seconds, double ResponsesPerSecond, CpuUse Cpu, string Summary);

internal sealed record ImportResult(
    int Run, int Responses, long CsvBytes, long Stored, long Rejected, long RespondentsLinked, double Seconds, double ResponsesPerSecond, CpuUse Cpu, GcUse Gc,
    IReadOnlyList<PhaseTime> Phases, long SummaryN, double? SummaryNps, double CustomerSeconds, RawResult Raw, CliResult Cli)
{
    /// <summary>How much of the raw insert rate the whole import reaches.</summary>
    public double ImportOverRaw => Math.Round(ResponsesPerSecond / Raw.RowsPerSecond, 2);
}

/// <summary>
/// Scenario 1: exactly what <c>opencem import responses FILE --survey ID</c> does, in this process — the survey from
/// <see cref="SurveyStore"/>, <see cref="ResponseImport.SetupAsync"/>, <see cref="ResponseFile.Open"/> on the file,
/// <see cref="ResponseImport.ImportAsync"/> — timed from opening the file to the last commit; then the raw limit.
/// </summary>
internal static class ImportScenario
{
    public static async Task<ImportResult> RunAsync(BenchDatabases databases, int run, string csvPath, long csvBytes, BenchOptions options, List<DatabaseTarget> created)
    {
        var target = await databases.CreateAsync($"feedback_import_{run}");
        created.Add(target);
        await using var database = new Database(target);
        var prepared = await FeedbackData.PrepareAsync(database, options.Customers);
        Progress.Log($"  {options.Customers:N0} known customers created in {prepared.CustomerSeconds:N1} s (not timed)");

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        // As the CLI runs a bulk job: throughput over pause times.
        var latency = System.Runtime.GCSettings.LatencyMode;
        System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch;
        var gc = GcUse.Take();
        var cpu = CpuSample.Take();
        var started = Stopwatch.GetTimestamp();
        var survey = await new SurveyStore(database, TimeProvider.System).GetAsync(prepared.WorkspaceId, prepared.SurveyId)
            ?? throw new InvalidOperationException("The survey is gone.");
        var identity = new IdentityService(database, TimeProvider.System);
        var import = new ResponseImport(database, identity, new RespondentLookup(identity), new CatalogueStore(database, TimeProvider.System), TimeProvider.System);
        var setup = await import.SetupAsync(survey);
        ResponseImportResult result;
        await using (var stream = File.OpenRead(csvPath))
        using (var text = new StreamReader(stream))
        using (var file = ResponseFile.Open(text, [], setup))
        {
            result = await import.ImportAsync(file, setup);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuUse = CpuSample.Take().Since(cpu);
        var gcUse = GcUse.Since(gc);
        System.Runtime.GCSettings.LatencyMode = latency;
        if (result.Stored != options.Responses || result.Rejected != 0)
        {
            throw new InvalidOperationException($"Expected {options.Responses} responses stored, got {result.Stored} ({result.Rejected} rejected: {result.Rejections.FirstOrDefault()?.Reason}).");
        }

        var summary = await new SurveySummary(database).GetAsync(survey, null, null);
        if (summary.N != options.Responses)
        {
            throw new InvalidOperationException($"The summary counts {summary.N} responses, not {options.Responses}.");
        }

        var phases = result.Phases.Select(p => new PhaseTime(p.Phase, Math.Round(p.Elapsed.TotalSeconds, 3))).ToList();
        Progress.Log($"  import: {result.Stored:N0} responses in {seconds:N2} s = {result.Stored / seconds:N0}/s; {string.Join(", ", phases.Select(p => $"{p.Phase} {p.Seconds:N2} s"))}; "
            + $"cores {cpuUse.ProcessCores} .NET / {cpuUse.PostgresCores} PostgreSQL / {cpuUse.OtherCores} other; GC {gcUse.Gen0}/{gcUse.Gen1}/{gcUse.Gen2}, {gcUse.PauseMs} ms paused, {gcUse.AllocatedMiB} MiB allocated");

        var rows = await ReadBackAsync(database, prepared.WorkspaceId, prepared.SurveyId);
        var rawTarget = await databases.CreateAsync($"feedback_raw_{run}");
        created.Add(rawTarget);
        var raw = await RawAsync(rawTarget, rows);
        await databases.DropAsync(rawTarget);
        Progress.Log($"  raw insert of the same {raw.Rows:N0} rows: {raw.Seconds:N2} s = {raw.RowsPerSecond:N0}/s; import reaches {result.Stored / seconds / raw.RowsPerSecond:P0} of it");

        var cliTarget = await databases.CreateAsync($"feedback_cli_{run}");
        created.Add(cliTarget);
        var cli = await CliAsync(cliTarget, csvPath, options);
        await databases.DropAsync(cliTarget);
        Progress.Log($"  the same file with opencem import responses in a new process: {cli.Seconds:N2} s = {cli.ResponsesPerSecond:N0}/s ({cli.Summary})");

        return new ImportResult(
            run, options.Responses, csvBytes, result.Stored, result.Rejected, result.RespondentsLinked, Math.Round(seconds, 3), Math.Round(result.Stored / seconds), cpuUse, gcUse,
            phases, summary.N ?? 0, summary.Nps?.Value, Math.Round(prepared.CustomerSeconds, 2), raw, cli);
    }

    private static async Task<CliResult> CliAsync(DatabaseTarget target, string csvPath, BenchOptions options)
    {
        long surveyId;
        await using (var database = new Database(target))
        {
            surveyId = (await FeedbackData.PrepareAsync(database, options.Customers)).SurveyId;
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "opencem.dll"));
        foreach (var argument in new[] { "import", "responses", csvPath, "--survey", surveyId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", target.Kind == DatabaseKind.Sqlite ? target.Display : target.ConnectionString })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("OPENCEM_DB");
        var cpu = CpuSample.Take();
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("opencem did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var use = CpuSample.Take().Since(cpu);
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var summary = lines.FirstOrDefault(l => l.StartsWith("Read ", StringComparison.Ordinal)) ?? "";
        if (process.ExitCode != 0 || !summary.Contains($"{options.Responses:N0} stored", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"opencem import responses failed ({process.ExitCode}): {string.Join(" ", lines)} {await error}");
        }

        return new CliResult(Math.Round(seconds, 3), Math.Round(options.Responses / seconds), use, summary);
    }

    private static async Task<List<ResponseItem>> ReadBackAsync(Database database, long workspaceId, long surveyId)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<StoredRow>(
            """
            SELECT workspace_id AS WorkspaceId, survey_id AS SurveyId, customer_id AS CustomerId, source AS Source, external_id AS ExternalId,
                answers AS Answers, nps AS Nps, csat AS Csat, ces AS Ces, overall AS Overall, comment AS Comment, submitted_at AS SubmittedAt
            FROM survey_responses WHERE workspace_id = @workspaceId AND survey_id = @surveyId ORDER BY id
            """,
            new { workspaceId, surveyId });
        return rows.Select(r => new ResponseItem
        {
            WorkspaceId = r.WorkspaceId,
            SurveyId = r.SurveyId,
            Respondent = Respondent.Anonymous,
            Source = r.Source,
            ExternalId = r.ExternalId,
            AnswersJson = r.Answers,
            Scores = new ResponseScores(r.Nps, r.Csat, r.Ces, r.Overall, r.Comment),
            SubmittedAt = r.SubmittedAt,
            CustomerId = r.CustomerId,
        }).ToList();
    }

    private static async Task<RawResult> RawAsync(DatabaseTarget target, List<ResponseItem> rows)
    {
        await using var database = new Database(target);
        await SchemaMigrator.MigrateAsync(database);
        await new Workspaces.WorkspaceStore(database).EnsureDefaultAsync();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var cpu = CpuSample.Take();
        var started = Stopwatch.GetTimestamp();
        await using (var connection = await database.OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // As the import asks on PostgreSQL: whether the survey held responseIds before (it did not).
            var ledger = await ResponseIdLedger.ForSurveyAsync(connection, rows[0].WorkspaceId, rows[0].SurveyId, CancellationToken.None);
            await ResponseBulkInsert.InsertAsync(connection, transaction, rows, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), CancellationToken.None, ledger);
            await transaction.CommitAsync();
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new RawResult(rows.Count, Math.Round(seconds, 3), Math.Round(rows.Count / seconds), CpuSample.Take().Since(cpu));
    }

    /// <summary>Setters, so Dapper converts the integer widths of both databases alike.</summary>
    private sealed class StoredRow
    {
        public long WorkspaceId { get; set; }

        public long SurveyId { get; set; }

        public long? CustomerId { get; set; }

        public string Source { get; set; } = "";

        public string? ExternalId { get; set; }

        public string Answers { get; set; } = "";

        public int? Nps { get; set; }

        public int? Csat { get; set; }

        public int? Ces { get; set; }

        public double? Overall { get; set; }

        public string? Comment { get; set; }

        public long SubmittedAt { get; set; }
    }
}
