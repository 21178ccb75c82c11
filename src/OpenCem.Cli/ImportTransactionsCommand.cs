using System.CommandLine;
using OpenCem.Customers;
using OpenCem.Hosting;
using OpenCem.Value.Transactions;
using Spectre.Console;

namespace OpenCem.Cli;

/// <summary><c>opencem import transactions FILE --customer COL --date COL --amount COL</c>: a purchase log for the lifetime value models.</summary>
internal static class ImportTransactionsCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A purchase log: CSV with a header line, or delimited text without one when the columns are given by number." };
        var customer = new Option<string>("--customer") { Description = "The column naming the customer: a header name or a 1-based column number.", Required = true };
        var date = new Option<string>("--date") { Description = "The column with the purchase date or time.", Required = true };
        var amount = new Option<string>("--amount") { Description = "The column with the amount ('.' as decimal point).", Required = true };
        var id = new Option<string?>("--id") { Description = "An optional column with a transaction id (stored once); without it a re-import of the same file is recognised line by line." };
        var identifier = new Option<string>("--identifier")
        {
            Description = "What the customer column holds: an identifier type of the workspace (customerNumber, email, phone, userId ...) or customerId (OpenCem profile ids).",
            DefaultValueFactory = _ => IdentifierKinds.CustomerNumber,
        };
        var dateFormat = new Option<string?>("--date-format") { Description = "A .NET date format such as yyyyMMdd or dd.MM.yyyy (default: ISO dates and times); dates are UTC." };
        var delimiter = new Option<string?>("--delimiter") { Description = "',' (default), ';', '\\t' or whitespace (runs of spaces and tabs, as in the raw CDNOW log)." };
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var command = new Command("transactions", "Import purchase transactions (customer, date, amount) for customer lifetime value; bad dates and amounts are reported by line.")
        {
            file, customer, date, amount, id, identifier, dateFormat, delimiter, db, workspace,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                throw new CommandException($"{path.FullName} does not exist.");
            }

            var separator = TransactionDelimiters.Parse(parse.GetValue(delimiter))
                ?? throw new CommandException("--delimiter must be ',', ';', '\\t' or whitespace.");
            var columns = new TransactionColumns(parse.GetRequiredValue(customer), parse.GetRequiredValue(date), parse.GetRequiredValue(amount), parse.GetValue(id));
            var type = parse.GetRequiredValue(identifier);
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                var identity = new IdentityService(database, TimeProvider.System);
                var settings = await identity.GetSettingsAsync(ws.Id, cancellationToken);
                if (!TransactionIdentities.IsKnownType(type, settings))
                {
                    throw new CommandException($"--identifier '{type}' is neither customerId nor an identifier type of this workspace ({string.Join(", ", settings.IdentifierTypes.Select(t => t.Type))}).");
                }

                var import = new TransactionImport(database, identity, TimeProvider.System);
                TransactionImportResult? result = null;
                var started = TimeProvider.System.GetTimestamp();
                await AnsiConsole.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        var reading = context.AddTask($"Importing {path.Name}", maxValue: Math.Max(1, path.Length));
                        await using var stream = path.OpenRead();
                        using var text = new Utf8LineReader(stream);
                        var rejections = new List<TransactionRejection>();
                        try
                        {
                            var items = TransactionIdentities.Items(TransactionFile.Read(text, columns, separator, parse.GetValue(dateFormat), rejections), type, settings, rejections);
                            result = await import.ImportAsync(ws.Id, items, "import", rejections, count =>
                            {
                                reading.Value = Math.Min(reading.MaxValue, stream.Position);
                                reading.Description = $"Importing {path.Name}: {count:N0} stored";
                            }, cancellationToken);
                        }
                        catch (TransactionFileException exception)
                        {
                            throw new CommandException($"{path.Name}: {exception.Message}");
                        }

                        reading.Value = reading.MaxValue;
                    });

                var outcome = result!;
                Console.WriteLine($"Read {outcome.Read:N0} purchases from {path.Name} in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:N1} s: " +
                    $"{outcome.Stored:N0} stored, {outcome.Duplicates:N0} already stored, {outcome.Rejected:N0} rejected; {outcome.ProfilesCreated:N0} new customer profiles.");
                RejectedLines.Print(outcome.Rejections.Select(r => $"line {r.Line}: {r.Reason}"), outcome.Rejected);

                if (outcome.Stored + outcome.Duplicates == 0)
                {
                    throw new CommandException($"No purchase could be read from {path.Name}.");
                }

                return 0;
            }
        }));
        return command;
    }
}
