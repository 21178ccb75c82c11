using System.CommandLine;
using System.Text;
using OpenCem.Customers;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;
using OpenCem.Hosting;
using OpenCem.Interactions;
using Spectre.Console;

namespace OpenCem.Cli;

internal static class ImportCommand
{
    public static Command Create()
    {
        var command = new Command("import", "Import data from files.");
        command.Subcommands.Add(Customers());
        command.Subcommands.Add(Responses());
        command.Subcommands.Add(ImportTransactionsCommand.Create());
        return command;
    }

    private static Command Customers()
    {
        var file = new Argument<FileInfo>("file") { Description = "A CSV file with a header line, or NDJSON / a JSON array (.ndjson, .jsonl, .json)." };
        var source = new Option<string>("--source") { Description = "The source system the records come from (crm, billing, webshop ...).", Required = true };
        var map = new Option<string?>("--map")
        {
            Description = "Column to field mapping, e.g. Kundennummer=customerNumber,E-Mail=email,login=identifiers.userId. " +
                "Fields: id, email, phone, customerNumber, updatedAt, identifiers.TYPE; anything else is a trait.",
        };
        var encoding = new Option<string>("--encoding")
        {
            Description = "The file's character encoding: utf-8 (the default; lines that are not UTF-8 are rejected), latin1 (ISO-8859-1) or windows-1252.",
            DefaultValueFactory = _ => "utf-8",
        };
        encoding.AcceptOnlyFromAmong("utf-8", "latin1", "windows-1252");
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var command = new Command("customers", "Load customer records of a source system and resolve them into profiles.") { file, source, map, encoding, db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var path = parse.GetRequiredValue(file);
            var sourceName = parse.GetRequiredValue(source).Trim();
            if (!IdentifierKinds.IsValidName(sourceName) || sourceName == IdentifierKinds.TrackingSource)
            {
                throw new CommandException("--source must be letters, digits, '_' or '-' (and not 'tracking', which the tracking API writes).");
            }

            if (!path.Exists)
            {
                throw new CommandException($"{path.FullName} does not exist.");
            }

            Dictionary<string, string> columns;
            try
            {
                columns = RecordFiles.ParseMap(parse.GetValue(map));
            }
            catch (RecordFileException ex)
            {
                throw new CommandException(ex.Message);
            }

            // A one-shot bulk job: throughput over pause times, so no background collections competing for the cores.
            System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch;
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                var identity = new IdentityService(database, TimeProvider.System);
                var settings = await identity.GetSettingsAsync(ws.Id, cancellationToken);
                var rejections = new List<RecordRejection>();
                List<IncomingRecord> records = [];
                ResolveOutcome? outcome = null;
                var readTime = TimeSpan.Zero;
                var started = TimeProvider.System.GetTimestamp();
                await AnsiConsole.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        var reading = context.AddTask($"Reading {path.Name}", maxValue: Math.Max(1, path.Length));
                        await using var stream = path.OpenRead();
                        using var text = Decoder(stream, parse.GetRequiredValue(encoding));
                        var reader = new SourceRecordReader(settings);
                        try
                        {
                            var rows = IsJson(path, stream) ? RecordFiles.ReadJson(text, sourceName, reader, rejections) : RecordFiles.ReadCsv(text, sourceName, reader, columns, rejections);
                            foreach (var record in rows)
                            {
                                records.Add(record);
                                if ((records.Count & 4095) == 0)
                                {
                                    reading.Value = stream.Position;
                                }
                            }
                        }
                        catch (RecordFileException ex)
                        {
                            throw new CommandException($"{path.Name}: {ex.Message}" + (ex.Message.Contains(InvalidUtf8.NotUtf8, StringComparison.Ordinal) ? ". " + ReEncode : ""));
                        }

                        reading.Value = reading.MaxValue;
                        if (records.Count == 0)
                        {
                            return;
                        }

                        readTime = TimeProvider.System.GetElapsedTime(started);
                        var resolving = context.AddTask($"Resolving {records.Count:N0} records into profiles").IsIndeterminate();
                        outcome = await identity.UpsertAsync(ws.Id, records, cancellationToken);
                        resolving.IsIndeterminate(false).Value = resolving.MaxValue;
                    });

                var elapsed = TimeProvider.System.GetElapsedTime(started);
                var all = rejections.Concat(outcome?.Rejections ?? []).OrderBy(r => r.Line).ToList();
                Console.WriteLine($"Read {records.Count + rejections.Count:N0} records from {path.Name} in {elapsed.TotalSeconds:N1} s: " +
                    $"{outcome?.Created ?? 0:N0} created, {outcome?.Updated ?? 0:N0} updated, {outcome?.Unchanged ?? 0:N0} unchanged, " +
                    $"{outcome?.RecordsMerged ?? 0:N0} merged with other records, {all.Count:N0} rejected.");
                if (outcome is not null)
                {
                    Console.WriteLine($"Profiles: {outcome.ProfilesCreated:N0} created, {outcome.ProfilesMerged:N0} merged into others.");
                    if (Environment.GetEnvironmentVariable("OPENCEM_TIMINGS") == "1")
                    {
                        Console.Error.WriteLine($"read {readTime.TotalSeconds:N2} s, " + string.Join(", ", outcome.Phases.Select(p => $"{p.Phase} {p.Elapsed.TotalSeconds:N2} s")));
                    }
                }

                RejectedLines.Print(all.Select(r => $"line {r.Line}{(r.Id is null ? "" : $" (id {r.Id})")}: {r.Reason}"), all.Count);
                var notUtf8 = all.Count(r => r.Reason.Contains(InvalidUtf8.NotUtf8, StringComparison.Ordinal));
                if (notUtf8 > 0)
                {
                    Console.Error.WriteLine($"{notUtf8:N0} lines are not UTF-8 and were not stored. {ReEncode}");
                }

                if (records.Count == 0)
                {
                    throw new CommandException($"No record could be read from {path.Name}.");
                }

                return 0;
            }
        }));
        return command;
    }

    private static Command Responses()
    {
        var file = new Argument<FileInfo>("file") { Description = "A CSV file with a header line: one column per question (matrix rows as question.row), and response columns." };
        var survey = new Option<long>("--survey") { Description = "The id of the survey the responses answer.", Required = true };
        var map = new Option<string?>("--map")
        {
            Description = "Column to question mapping for columns not named like a question, e.g. Score=nps,Kommentar=comment,Kunde=customerNumber. " +
                "By default a column named like a question fills it; userId, email, customerNumber, phone, anonymousId and customerId identify the " +
                "respondent; submittedAt, responseId, touchpoint, channel, language and interactionId are read too.",
        };
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var command = new Command("responses", "Import historical survey responses from CSV: complete responses, validated row by row; bad rows are reported by line.")
        {
            file, survey, map, db, workspace,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                throw new CommandException($"{path.FullName} does not exist.");
            }

            IReadOnlyList<(string Column, string Target)> columns;
            try
            {
                columns = ResponseColumns.ParseMap(parse.GetValue(map));
            }
            catch (ResponseFileException ex)
            {
                throw new CommandException(ex.Message);
            }

            // A one-shot bulk job: throughput over pause times, so no background collections competing for the cores.
            System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch;
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                var surveyId = parse.GetValue(survey);
                var stored = await new SurveyStore(database, TimeProvider.System).GetAsync(ws.Id, surveyId, cancellationToken)
                    ?? throw new CommandException($"Workspace \"{ws.Key}\" has no survey {surveyId}.");
                var identity = new IdentityService(database, TimeProvider.System);
                var import = new ResponseImport(database, identity, new RespondentLookup(identity), new CatalogueStore(database, TimeProvider.System), TimeProvider.System);
                var setup = await import.SetupAsync(stored, cancellationToken);
                ResponseImportResult? result = null;
                await AnsiConsole.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        var reading = context.AddTask($"Importing {path.Name}", maxValue: Math.Max(1, path.Length));
                        await using var stream = path.OpenRead();
                        using var text = new Utf8LineReader(stream);
                        try
                        {
                            using var responses = ResponseFile.Open(text, columns, setup);
                            result = await import.ImportAsync(responses, setup, count =>
                            {
                                reading.Value = Math.Min(reading.MaxValue, stream.Position);
                                reading.Description = $"Importing {path.Name}: {count:N0} stored";
                            }, cancellationToken);
                        }
                        catch (ResponseFileException ex)
                        {
                            throw new CommandException($"{path.Name}: {ex.Message}");
                        }

                        reading.Value = reading.MaxValue;
                    });

                var outcome = result!;
                var elapsed = outcome.Phases.LastOrDefault().Elapsed;
                Console.WriteLine($"Read {outcome.Read:N0} responses from {path.Name} in {elapsed.TotalSeconds:N1} s: {outcome.Stored:N0} stored, " +
                    $"{outcome.Duplicates:N0} duplicates, {outcome.Rejected:N0} rejected.");
                Console.WriteLine($"Respondents: {outcome.RespondentsLinked:N0} linked to existing profiles, {outcome.ProfilesCreated:N0} new profiles created, " +
                    $"{outcome.Anonymous:N0} anonymous responses.");
                if (Environment.GetEnvironmentVariable("OPENCEM_TIMINGS") == "1")
                {
                    Console.Error.WriteLine(string.Join(", ", outcome.Phases.Select(p => $"{p.Phase} {p.Elapsed.TotalSeconds:N2} s")));
                }

                RejectedLines.Print(
                    outcome.Rejections.Select(r => $"line {r.Line}{(r.Id is null ? "" : $" (responseId {r.Id})")}: {r.Reason}"), outcome.Rejected);

                if (outcome.Stored + outcome.Duplicates == 0)
                {
                    throw new CommandException($"No response could be read from {path.Name}.");
                }

                return 0;
            }
        }));
        return command;
    }

    private const string ReEncode =
        "CRM exports are often Latin-1 or Windows-1252: re-encode the file to UTF-8 (iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8), " +
        "or name its encoding with --encoding latin1 or --encoding windows-1252.";

    /// <summary>
    /// UTF-8 through <see cref="Utf8LineReader"/>, which notes the lines that are not UTF-8 for the reader to reject; a
    /// named single-byte encoding decodes every byte, so nothing is replaced there.
    /// </summary>
    private static TextReader Decoder(Stream stream, string encoding) => encoding switch
    {
        "latin1" => new StreamReader(stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: false),
        "windows-1252" => new StreamReader(stream, WindowsLatin1(), detectEncodingFromByteOrderMarks: false),
        _ => new Utf8LineReader(stream),
    };

    private static Encoding WindowsLatin1()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    private static bool IsJson(FileInfo file, Stream stream)
    {
        var extension = file.Extension.ToLowerInvariant();
        if (extension is ".json" or ".ndjson" or ".jsonl")
        {
            return true;
        }

        if (extension is ".csv" or ".tsv" or ".txt")
        {
            return false;
        }

        var first = stream.ReadByte();
        while (first is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF)
        {
            first = stream.ReadByte();
        }

        stream.Position = 0;
        return first is '{' or '[';
    }
}
