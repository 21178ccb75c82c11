using System.CommandLine;
using OpenCem.Operations.Transfer;
using OpenCem.Storage;
using Spectre.Console;

namespace OpenCem.Cli;

/// <summary><c>opencem migrate</c>, <c>backup</c> and <c>restore</c>: whole-database copies with progress and row-count verification.</summary>
internal static class TransferCommands
{
    public static Command Migrate()
    {
        var from = new Option<string>("--from") { Description = "The database to copy from (SQLite path or PostgreSQL connection string); it is only read.", Required = true };
        var to = new Option<string>("--to") { Description = "The new, empty database to copy into; its schema is created.", Required = true };
        var command = new Command("migrate", "Copy a whole OpenCem database into another, empty one (e.g. SQLite to PostgreSQL), then verify every table's row count.") { from, to };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var source = new Database(DatabaseTarget.Parse(parse.GetRequiredValue(from)));
            await using var target = new Database(DatabaseTarget.Parse(parse.GetRequiredValue(to)));
            var counts = await WithProgressAsync($"Copying {source.Target.Display}", progress => new DatabaseCopy(source, target).RunAsync(progress, cancellationToken));
            Report(counts, $"Copied into {target.Target.Display}");
            return 0;
        }));
        return command;
    }

    public static Command Backup()
    {
        var db = CommonOptions.Database();
        var output = new Option<string>("--out") { Description = "The backup file to write (a SQLite file; never overwritten).", Required = true };
        var command = new Command("backup", "Back up the whole database into one SQLite file, consistent while the server runs; the file is checked and its rows counted.") { db, output };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var source = new Database(CommonOptions.ResolveDatabase(parse.GetValue(db)));
            var file = parse.GetRequiredValue(output);
            var counts = await WithProgressAsync($"Backing up {source.Target.Display}", progress => DatabaseBackup.BackupAsync(source, file, progress, cancellationToken));
            Report(counts, $"Backup {Path.GetFullPath(file)} ({new FileInfo(file).Length / 1048576.0:N1} MiB) passed its integrity check");
            return 0;
        }));
        return command;
    }

    public static Command Restore()
    {
        var db = CommonOptions.Database();
        var from = new Option<string>("--from") { Description = "The backup file made by opencem backup.", Required = true };
        var command = new Command("restore", "Restore a backup into a new, empty database (SQLite or PostgreSQL), then verify every table's row count.") { from, db };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var target = new Database(CommonOptions.ResolveDatabase(parse.GetValue(db)));
            var file = parse.GetRequiredValue(from);
            var counts = await WithProgressAsync($"Restoring {file}", progress => DatabaseBackup.RestoreAsync(file, target, progress, cancellationToken));
            Report(counts, $"Restored into {target.Target.Display}");
            return 0;
        }));
        return command;
    }

    private static async Task<IReadOnlyList<TableCount>> WithProgressAsync(string title, Func<IProgress<CopyProgress>, Task<IReadOnlyList<TableCount>>> run)
    {
        try
        {
            IReadOnlyList<TableCount> counts = [];
            await AnsiConsole.Console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(title, maxValue: 1);
                    counts = await run(new Progress<CopyProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.RowsTotal);
                        task.Value = p.RowsCopied;
                        task.Description = p.Table.Length > 0 ? $"{title}: {p.Table}" : title;
                    }));
                    task.Value = task.MaxValue;
                    task.Description = title;
                });
            return counts;
        }
        catch (TransferException exception)
        {
            throw new CommandException(exception.Message);
        }
    }

    private static void Report(IReadOnlyList<TableCount> counts, string headline)
    {
        foreach (var count in counts.Where(c => c.SourceRows > 0).OrderByDescending(c => c.SourceRows).ThenBy(c => c.Table, StringComparer.Ordinal))
        {
            Console.WriteLine($"{count.Table,-32} {count.SourceRows,14:N0} {count.TargetRows,14:N0}  {(count.Matches ? "ok" : "MISMATCH")}");
        }

        Console.WriteLine($"{headline}: {counts.Count} tables, {counts.Sum(c => c.TargetRows):N0} rows, every count verified.");
    }
}
