using System.Text.Json;
using OpenCem.Storage;
using OpenCem.Tests.Cli;
using OpenCem.Text.Training;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Text.Analysis;

/// <summary><c>opencem text analyze|evaluate|train</c> as a user runs them.</summary>
public sealed class TextCliTests
{
    private static string Folder() => Directory.CreateTempSubdirectory("opencem-text-").FullName;

    [Fact]
    public async Task Analyze_WritesCsvAndJson_WithIdsLanguageSentimentEmotionsAndThemes()
    {
        var folder = Folder();
        var input = Path.Combine(folder, "comments.csv");
        await File.WriteAllTextAsync(input, "ref;comment\nA1;\"The technician was friendly, but I waited three weeks!\"\nA2;Der Zug fällt aus, schon wieder\nA3;\n");

        var csv = await CliProcess.RunAsync("text", "analyze", input, "--column", "comment", "--id-column", "ref");
        Assert.True(csv.ExitCode == 0, csv.Error);
        var lines = csv.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("id,lang,score,label,emotions,themes,truncated", lines[0]);
        Assert.StartsWith("A1,en,", lines[1], StringComparison.Ordinal);
        Assert.Contains("technician-visit:0.", lines[1], StringComparison.Ordinal);
        Assert.Contains("waiting-time:-0.", lines[1], StringComparison.Ordinal);
        Assert.Contains(",negative,", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("A3,und,0,neutral,", lines[3], StringComparison.Ordinal);

        var output = Path.Combine(folder, "out.json");
        var json = await CliProcess.RunAsync("text", "analyze", input, "--column", "comment", "--format", "json", "--output", output, "--lang", "de");
        Assert.True(json.ExitCode == 0, json.Error);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        var rows = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal("1", rows[0].GetProperty("id").GetString());
        Assert.Equal("de", rows[1].GetProperty("lang").GetString());
        Assert.Equal("negative", rows[1].GetProperty("sentiment").GetProperty("label").GetString());
        Assert.Contains(rows[1].GetProperty("themes").EnumerateArray(), t => t.GetProperty("key").GetString() == "punctuality");
        Assert.False(rows[1].GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Analyze_MissingFileOrColumn_FailsWithAClearMessage()
    {
        var folder = Folder();
        var missing = await CliProcess.RunAsync("text", "analyze", Path.Combine(folder, "nope.csv"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);

        var input = Path.Combine(folder, "c.csv");
        await File.WriteAllTextAsync(input, "id,body\n1,hello\n");
        var column = await CliProcess.RunAsync("text", "analyze", input, "--column", "text");
        Assert.Equal(1, column.ExitCode);
        Assert.Contains("has no column \"text\"; its columns are id, body", column.Error, StringComparison.Ordinal);

        var language = await CliProcess.RunAsync("text", "analyze", input, "--column", "body", "--lang", "fr");
        Assert.Equal(1, language.ExitCode);
        Assert.Contains("--lang must be auto, en or de", language.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_PrintsTheTableAndJson_NextToMajorityAndBaseline()
    {
        var file = TextData.Repository("src/OpenCem/Text/Evaluation/cx-dev-en.tsv");
        var table = await CliProcess.RunAsync("text", "evaluate", file);
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("majority (negative)", table.Output, StringComparison.Ordinal);
        Assert.Contains("vader-style baseline", table.Output, StringComparison.Ordinal);
        Assert.Contains("confusion (rows truth", table.Output, StringComparison.Ordinal);

        var json = await CliProcess.RunAsync("text", "evaluate", file, "--json", "--lang", "en");
        using var document = JsonDocument.Parse(json.Output);
        var analyzer = document.RootElement.GetProperty("analyzer");
        Assert.True(analyzer.GetProperty("accuracy").GetDouble() > document.RootElement.GetProperty("baseline").GetProperty("accuracy").GetDouble());
        Assert.Equal(3, analyzer.GetProperty("confusion").GetArrayLength());

        var folder = Folder();
        var bad = Path.Combine(folder, "bad.tsv");
        await File.WriteAllTextAsync(bad, "great\tthe text\n");
        var refused = await CliProcess.RunAsync("text", "evaluate", bad);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("line 1", refused.Error, StringComparison.Ordinal);

        var csv = Path.Combine(folder, "labelled.csv");
        await File.WriteAllTextAsync(csv, "label,text\npositive,thanks a lot\nnegative,\"still waiting, again\"\n");
        var fromCsv = await CliProcess.RunAsync("text", "evaluate", csv);
        Assert.True(fromCsv.ExitCode == 0, fromCsv.Error);
        Assert.Contains("labelled.csv: 2 texts", fromCsv.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_FromTheDatabase_StoresAndActivatesABetterModel_FromAFile_StoresNothing()
    {
        var folder = Folder();
        var db = Path.Combine(folder, "cem.db");
        await using (var database = new Database(DatabaseTarget.Parse(db)))
        {
            await SchemaMigrator.MigrateAsync(database);
            var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
            await TextModelsTests.SeedCommentsAsync(database, workspace.Id, TrainedSentimentTests.CompanyComments(400, 5));
        }

        var trained = await CliProcess.RunAsync("text", "train", "--db", db);
        Assert.True(trained.ExitCode == 0, trained.Error);
        Assert.Contains("400 comments with a score", trained.Output, StringComparison.Ordinal);
        Assert.Contains("improvement", trained.Output, StringComparison.Ordinal);
        Assert.Contains("Stored model 1 and made it active", trained.Output, StringComparison.Ordinal);
        await using (var database = new Database(DatabaseTarget.Parse(db)))
        {
            Assert.NotNull(await TextModels.LoadActiveAsync(database, (await new WorkspaceStore(database).EnsureDefaultAsync()).Id, CancellationToken.None));
        }

        var file = Path.Combine(folder, "labelled.tsv");
        await File.WriteAllLinesAsync(file, TrainedSentimentTests.CompanyComments(200, 6).Select(e => $"{e.Label}\t{e.Text}"));
        var fromFile = await CliProcess.RunAsync("text", "train", "--file", file);
        Assert.True(fromFile.ExitCode == 0, fromFile.Error);
        Assert.Contains("built-in", fromFile.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Stored", fromFile.Output, StringComparison.Ordinal);

        var empty = await CliProcess.RunAsync("text", "train", "--db", Path.Combine(folder, "empty.db"));
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("at least 50", empty.Error, StringComparison.Ordinal);
    }
}
