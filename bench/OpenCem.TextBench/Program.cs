using System.Diagnostics;
using System.Globalization;
using Dapper;
using OpenCem.Storage;
using OpenCem.Text;
using OpenCem.Text.Pipeline;
using OpenCem.Text.Themes;
using OpenCem.Workspaces;

// Catch-up throughput of the text analysis worker: a burst of survey comments already stored, then one catch-up
// (read, analyse, store analyses and mentions, roll up, advance the mark; one transaction per 1,000 items), against
// the raw insert of the same analysis rows (precomputed, same bulk statements, same batches, no reading and no rollup).
//   dotnet run -c Release --project bench/OpenCem.TextBench -- [--db sqlite|postgres|both] [--items 20000] [--repeat 3]
var kinds = Arg("--db", "both") switch { "sqlite" => new[] { "sqlite" }, "postgres" => ["postgres"], _ => ["sqlite", "postgres"] };
var items = int.Parse(Arg("--items", "20000"), CultureInfo.InvariantCulture);
var repeat = int.Parse(Arg("--repeat", "3"), CultureInfo.InvariantCulture);
var machine = MachineInfo.Read();
Console.WriteLine($"Machine: {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB} GiB; {items:N0} comments; {repeat} runs per database; analyser version '{new OpenCem.Text.Analysis.TextAnalyzer(new ThemeTaxonomy([])).Version}'");
foreach (var kind in kinds)
{
    PostgresCluster? cluster = kind == "postgres" ? PostgresCluster.Start(durable: true) : null;
    var directory = Directory.CreateTempSubdirectory("opencem-text-bench-").FullName;
    var raw = new List<double>();
    var catchUp = new List<double>();
    for (var run = 0; run < repeat; run++)
    {
        var target = DatabaseTarget.Parse(cluster is null ? Path.Combine(directory, $"run{run}.db") : await cluster.CreateDatabaseAsync("textbench"));
        await using var database = new Database(target);
        await SchemaMigrator.MigrateAsync(database);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        await SeedAsync(database, workspace.Id, items);
        var time = TimeProvider.System;
        var analyzers = new WorkspaceAnalyzers(database, new TaxonomyStore(database, time));
        var analyzer = await analyzers.GetAsync(workspace.Id);

        // Raw: the same rows, analysed beforehand, inserted in the same batches.
        await using (var connection = await database.OpenAsync())
        {
            var rows = (await connection.QueryAsync<(long Id, string Comment, int Nps, long SubmittedAt)>(
                "SELECT id, comment, nps, submitted_at FROM survey_responses ORDER BY id")).ToList();
            var analysed = rows.Select(r => new AnalysedItem(r.Id, analyzer.Analyzer.Analyze(r.Comment), r.SubmittedAt / 86_400_000 * 86_400_000, 1, 0, r.Nps, null)).ToList();
            var watch = Stopwatch.StartNew();
            foreach (var chunk in analysed.Chunk(1000))
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await TextAnalysisWriter.InsertAsync(connection, transaction, workspace.Id, TextItemKind.Response, chunk, analyzer.Version, 0);
                await transaction.CommitAsync();
            }

            raw.Add(items / watch.Elapsed.TotalSeconds);
            await connection.ExecuteAsync("DELETE FROM text_theme_mentions; DELETE FROM text_analyses;");
        }

        var sw = Stopwatch.StartNew();
        var result = await new TextCatchUp(database, analyzers, time).RunAsync(workspace.Id, TextItemKind.Response, long.MaxValue, 1000);
        catchUp.Add(result.Analysed / sw.Elapsed.TotalSeconds);
        if (result.Analysed != items)
        {
            throw new InvalidOperationException($"Analysed {result.Analysed} of {items}.");
        }

        Console.WriteLine($"{kind} run {run + 1}: raw insert {raw[^1]:N0}/s, worker catch-up {catchUp[^1]:N0}/s");
    }

    Console.WriteLine($"{kind}: median raw insert {Median(raw):N0} rows/s, median catch-up {Median(catchUp):N0} items/s, catch-up ÷ raw {Median(catchUp) / Median(raw):N2}");
    if (cluster is not null)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        cluster.Stop();
    }

    Directory.Delete(directory, recursive: true);
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

string Arg(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

static async Task SeedAsync(Database database, long workspaceId, int count)
{
    string[] phrases =
    [
        "I waited {0} days for the repair", "The technician was friendly but I waited three weeks", "Die Rechnung war schon wieder falsch",
        "The price is too high for what you get", "Netz fällt ständig aus", "Great service, thank you", "The app crashes at login",
        "Hotline nicht erreichbar, {0} Minuten Warteschleife", "All fine", "Contract renewal was easy",
    ];
    await using var connection = await database.OpenAsync();
    await using var transaction = await connection.BeginTransactionAsync();
    var start = DateTimeOffset.UtcNow.AddDays(-365).ToUnixTimeMilliseconds();
    await connection.ExecuteAsync(
        """
        INSERT INTO survey_responses (workspace_id, survey_id, source, status, answers, nps, comment, submitted_at, created_at, updated_at)
        VALUES (@workspaceId, 1, 'import', 'completed', '{}', @nps, @comment, @at, @at, @at)
        """,
        Enumerable.Range(0, count).Select(i => new
        {
            workspaceId,
            nps = i % 11,
            comment = string.Format(CultureInfo.InvariantCulture, phrases[i % phrases.Length], (i % 13) + 2),
            at = start + ((long)i * 1_500_000),
        }),
        transaction);
    await transaction.CommitAsync();
}
