using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenCem.FeedbackBench;
using OpenCem.Storage;

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
    foreach (var json in Directory.GetFiles(renderDirectory, "feedback-*.json"))
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
Progress.LogPath = Path.Combine(outDir, "feedback-progress.log");
var commandLine = "dotnet run -c Release --project bench/OpenCem.FeedbackBench --" + (args.Length == 0 ? "" : " " + string.Join(' ', args));
var machine = MachineInfo.Read();
var revision = options.Revision ?? SourceRevision.Read();
Progress.Log($"=== OpenCem feedback benchmark: {string.Join(" and ", options.Databases)}, {options.Responses:N0} responses from {options.Customers:N0} customers, "
    + $"{options.Repeat} run(s); source {revision}");
Progress.Log($"Machine: {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB} GiB; .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");

var csvDirectory = Directory.CreateTempSubdirectory("opencem-feedback-csv-").FullName;
try
{
    var csvPath = Path.Combine(csvDirectory, "responses.csv");
    var csvBytes = options.SkipImport ? 0 : await FeedbackData.WriteCsvAsync(csvPath, options.Responses, options.Customers, options.Seed);
    if (!options.SkipImport)
    {
        Progress.Log($"Generated {options.Responses:N0} responses, {csvBytes / 1048576.0:N1} MiB of CSV in {csvPath}");
    }

    foreach (var db in options.Databases)
    {
        await using var databases = await BenchDatabases.StartAsync(db);
        Progress.Log($"{db}: {databases.Description}");
        var imports = new List<ImportResult>();
        var http = new List<HttpResult>();
        for (var run = 1; run <= options.Repeat; run++)
        {
            var created = new List<DatabaseTarget>();
            try
            {
                if (!options.SkipImport)
                {
                    Progress.Log($"{db}: run {run} of {options.Repeat}, scenario 1: CSV import");
                    imports.Add(await ImportScenario.RunAsync(databases, run, csvPath, csvBytes, options, created));
                }

                if (!options.SkipHttp)
                {
                    Progress.Log($"{db}: run {run} of {options.Repeat}, scenario 2: HTTP load");
                    http.Add(await HttpScenario.RunAsync(databases, run, options, created));
                }
            }
            finally
            {
                foreach (var target in created)
                {
                    await databases.DropAsync(target);
                }
            }
        }

        var report = new BenchReport(
            DateTimeOffset.UtcNow, machine, db, databases.Description, revision, commandLine, System.Runtime.GCSettings.IsServerGC,
            options.Responses, options.Customers, options.Seed, imports, http);
        var markdown = report.ToMarkdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        await File.WriteAllTextAsync(Path.Combine(outDir, $"feedback-{db}.md"), markdown);
        await File.WriteAllTextAsync(Path.Combine(outDir, $"feedback-{db}.json"), JsonSerializer.Serialize(report, jsonOptions));
        Progress.Log($"{db}: report written to {Path.Combine(outDir, $"feedback-{db}.md")} and .json");
    }
}
finally
{
    Directory.Delete(csvDirectory, recursive: true);
}

return 0;
