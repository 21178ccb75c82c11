using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using OpenCem.Text;
using OpenCem.Text.Analysis;
using OpenCem.Text.Evaluation;
using OpenCem.Text.Training;

namespace OpenCem.Cli;

/// <summary><c>opencem text analyze|evaluate|train</c>: the built-in text analyser from the command line.</summary>
internal static class TextCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("text", "Text analytics: sentiment, emotions and themes of comments in English and German.");
        command.Subcommands.Add(Analyze());
        command.Subcommands.Add(Evaluate());
        command.Subcommands.Add(Train());
        command.Subcommands.Add(TextReanalyzeCommand.Create());
        return command;
    }

    private static Option<string> Language() => new("--lang")
    {
        Description = "The texts' language: auto (detect per text), en or de.",
        DefaultValueFactory = _ => "auto",
    };

    private static Command Analyze()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A CSV file with a header (the delimiter is detected)." };
        var column = new Option<string>("--column") { Description = "The column holding the text.", DefaultValueFactory = _ => "text" };
        var idColumn = new Option<string?>("--id-column") { Description = "A column that identifies each row; the row number otherwise." };
        var language = Language();
        var format = new Option<string>("--format") { Description = "Output: csv or json.", DefaultValueFactory = _ => "csv" };
        var output = new Option<FileInfo?>("--output") { Description = "Write to this file instead of standard output." };
        var analyze = new Command("analyze", "Analyses a column of a CSV file: language, sentiment, emotions and themes (default taxonomy) per row.")
        {
            file, column, idColumn, language, format, output,
        };
        analyze.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var path = parse.GetRequiredValue(file);
            var lang = CheckLanguage(parse.GetValue(language));
            var outputFormat = parse.GetValue(format) is "csv" or "json" ? parse.GetValue(format)! : throw new CommandException("--format must be csv or json.");
            if (!path.Exists)
            {
                throw new CommandException($"The file {path.FullName} does not exist.");
            }

            var analyzer = new TextAnalyzer(DefaultTaxonomy.Load());
            var rows = new List<AnalysedRow>();
            using (var reader = new StreamReader(path.FullName))
            using (var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = true, BadDataFound = null, MissingFieldFound = null }))
            {
                if (!await csv.ReadAsync() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
                {
                    throw new CommandException($"{path.Name} has no header row.");
                }

                var textIndex = Column(header, parse.GetRequiredValue(column), path.Name);
                var idIndex = parse.GetValue(idColumn) is { } idName ? Column(header, idName, path.Name) : -1;
                var number = 0;
                while (await csv.ReadAsync())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    number++;
                    var id = idIndex >= 0 ? csv.GetField(idIndex) ?? "" : number.ToString(CultureInfo.InvariantCulture);
                    rows.Add(new AnalysedRow(id, analyzer.Analyze(csv.GetField(textIndex), lang)));
                }
            }

            await using var writer = parse.GetValue(output) is { } target ? new StreamWriter(target.FullName) : new StreamWriter(Console.OpenStandardOutput());
            if (outputFormat == "json")
            {
                await writer.WriteAsync(JsonSerializer.Serialize(rows.Select(r => new
                {
                    id = r.Id,
                    lang = r.Analysis.Language,
                    sentiment = new { score = r.Analysis.Sentiment.Score, label = r.Analysis.Sentiment.Label },
                    emotions = r.Analysis.Emotions.Select(e => new { name = e.Name, intensity = e.Intensity }),
                    themes = r.Analysis.Themes.Select(t => new { key = t.Key, sentiment = t.Sentiment }),
                    truncated = r.Analysis.Truncated,
                }), Json));
                await writer.WriteLineAsync();
            }
            else
            {
                await using var csvOut = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
                foreach (var name in (string[])["id", "lang", "score", "label", "emotions", "themes", "truncated"])
                {
                    csvOut.WriteField(name);
                }

                await csvOut.NextRecordAsync();
                foreach (var (id, analysis) in rows)
                {
                    csvOut.WriteField(id);
                    csvOut.WriteField(analysis.Language);
                    csvOut.WriteField(analysis.Sentiment.Score.ToString("0.####", CultureInfo.InvariantCulture));
                    csvOut.WriteField(analysis.Sentiment.Label);
                    csvOut.WriteField(string.Join(";", analysis.Emotions.Select(e => $"{e.Name}:{e.Intensity.ToString("0.##", CultureInfo.InvariantCulture)}")));
                    csvOut.WriteField(string.Join(";", analysis.Themes.Select(t => $"{t.Key}:{t.Sentiment.ToString("0.##", CultureInfo.InvariantCulture)}")));
                    csvOut.WriteField(analysis.Truncated ? "true" : "false");
                    await csvOut.NextRecordAsync();
                }
            }

            if (parse.GetValue(output) is { } written)
            {
                await Console.Error.WriteLineAsync($"Analysed {rows.Count} rows into {written.FullName}.");
            }

            return 0;
        }));
        return analyze;
    }

    private static Command Evaluate()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Labelled texts: label<TAB>text per line (tsv), or CSV with the columns label and text." };
        var format = new Option<string?>("--format") { Description = "tsv or csv; by the file's extension when left out." };
        var language = Language();
        var json = new Option<bool>("--json") { Description = "Print the reports as JSON." };
        var evaluate = new Command("evaluate", "Measures the analyser on a labelled file: accuracy, macro-F1, per-class scores and the confusion matrix, next to the majority class and a plain VADER-style baseline.")
        {
            file, format, language, json,
        };
        evaluate.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(() =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                throw new CommandException($"The file {path.FullName} does not exist.");
            }

            var rows = LabelledFile.Read(path.FullName, parse.GetValue(format));
            var evaluation = SentimentEvaluation.Run(path.Name, rows, new TextAnalyzer(DefaultTaxonomy.Load()), CheckLanguage(parse.GetValue(language)));
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(evaluation, Json));
                return Task.FromResult(0);
            }

            Console.WriteLine($"{evaluation.Set}: {rows.Count} texts");
            Console.WriteLine($"{"",-28} {"accuracy",9} {"macro-F1",9}");
            foreach (var report in (ClassificationReport[])[evaluation.Analyzer, evaluation.Majority, evaluation.Baseline])
            {
                Console.WriteLine($"{report.Name,-28} {report.Accuracy,9:0.000} {report.MacroF1,9:0.000}");
            }

            Console.WriteLine();
            Console.WriteLine($"analyzer per class {"",9} {"precision",9} {"recall",9} {"F1",9} {"support",8}");
            foreach (var c in evaluation.Analyzer.Classes)
            {
                Console.WriteLine($"  {c.Label,-26} {c.Precision,9:0.000} {c.Recall,9:0.000} {c.F1,9:0.000} {c.Support,8}");
            }

            Console.WriteLine();
            Console.WriteLine("confusion (rows truth, columns predicted: negative neutral positive)");
            for (var r = 0; r < ClassificationReport.Labels.Length; r++)
            {
                var row = evaluation.Analyzer.Confusion[r];
                Console.WriteLine($"  {ClassificationReport.Labels[r],-10} {row[0],8} {row[1],8} {row[2],8}");
            }

            return Task.FromResult(0);
        }));
        return evaluate;
    }

    private static Command Train()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var file = new Option<FileInfo?>("--file") { Description = "Train from a labelled file (label<TAB>text, or CSV with label and text) instead of the workspace's scored comments; nothing is stored." };
        var format = new Option<string?>("--format") { Description = "tsv or csv for --file; by the extension when left out." };
        var force = new Option<bool>("--force") { Description = "Activate the new model even when it is not better than the built-in analyser on held-out comments." };
        var train = new Command("train", "Fits a sentiment model on comments that came with a score (NPS 0–6/7–8/9–10, CSAT 1–2/3/4–5), reports it against the built-in analyser on held-out comments, and stores it (active only if better).")
        {
            db, workspace, file, format, force,
        };
        train.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            if (parse.GetValue(file) is { } path)
            {
                if (!path.Exists)
                {
                    throw new CommandException($"The file {path.FullName} does not exist.");
                }

                var examples = LabelledFile.Read(path.FullName, parse.GetValue(format)).Select(r => new TrainingExample(r.Text, r.Label)).ToList();
                Report(Fit(examples));
                return 0;
            }

            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                var examples = await TextModels.ScoredCommentsAsync(database, ws.Id, cancellationToken);
                Console.WriteLine($"Workspace \"{ws.Key}\": {examples.Count} comments with a score.");
                var result = Fit(examples);
                Report(result);
                var activate = result.IsBetter || parse.GetValue(force);
                var id = await TextModels.SaveAsync(database, ws.Id, result.Model, result, activate, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), cancellationToken);
                Console.WriteLine(activate
                    ? $"Stored model {id} and made it active{(result.IsBetter ? "" : " (--force)")}; run `opencem text reanalyze` to apply it to stored comments."
                    : $"Stored model {id} but left it inactive: it is not better than the built-in analyser (use --force to activate it anyway).");
                return 0;
            }
        }));
        return train;
    }

    private static TrainingResult Fit(IReadOnlyList<TrainingExample> examples)
    {
        try
        {
            return SentimentTrainer.TrainAndEvaluate(examples);
        }
        catch (ArgumentException exception)
        {
            throw new CommandException(exception.Message);
        }
    }

    private static void Report(TrainingResult result)
    {
        Console.WriteLine($"Trained on {result.TrainCount} comments, evaluated on {result.TestCount} held-out comments.");
        Console.WriteLine($"{"",-12} {"accuracy",9} {"macro-F1",9}");
        Console.WriteLine($"{"built-in",-12} {result.BuiltIn.Accuracy,9:0.000} {result.BuiltIn.MacroF1,9:0.000}");
        Console.WriteLine($"{"trained",-12} {result.Trained.Accuracy,9:0.000} {result.Trained.MacroF1,9:0.000}");
        Console.WriteLine($"{"improvement",-12} {result.AccuracyGain,9:+0.000;-0.000} {result.MacroF1Gain,9:+0.000;-0.000}");
    }

    private static string? CheckLanguage(string? language) => language switch
    {
        null or "auto" => null,
        "en" or "de" => language,
        _ => throw new CommandException("--lang must be auto, en or de."),
    };

    private static int Column(string[] header, string name, string file) =>
        Array.FindIndex(header, h => h.Equals(name, StringComparison.OrdinalIgnoreCase)) is >= 0 and var index
            ? index
            : throw new CommandException($"{file} has no column \"{name}\"; its columns are {string.Join(", ", header)}.");

    private sealed record AnalysedRow(string Id, TextAnalysis Analysis);
}
