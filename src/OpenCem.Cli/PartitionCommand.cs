using System.CommandLine;
using OpenCem.Operations.Partitions;
using OpenCem.Storage;

namespace OpenCem.Cli;

/// <summary><c>opencem partition</c>: monthly partitions of the interactions table on PostgreSQL.</summary>
internal static class PartitionCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var ahead = new Option<int>("--months-ahead")
        {
            Description = "Months created ahead of the current one (the server keeps this many ready afterwards, Partitions:MonthsAhead).",
            DefaultValueFactory = _ => MonthlyPartitions.DefaultMonthsAhead,
        };
        var list = new Option<bool>("--list") { Description = "Only list the partitions and their estimated rows." };
        var command = new Command("partition",
            "PostgreSQL: turn the interactions table into monthly range partitions on the client timestamp. The existing rows stay in one " +
            "history partition (no rewrite); the server then keeps the coming months ready. Safe to run again.") { db, ahead, list };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var months = parse.GetValue(ahead);
            if (months is < 1 or > 24)
            {
                throw new CommandException("--months-ahead must be a whole number from 1 to 24.");
            }

            await using var database = new Database(CommonOptions.ResolveDatabase(parse.GetValue(db)));
            if (database.Kind != DatabaseKind.Postgres)
            {
                throw new CommandException("Partitioning is for PostgreSQL: on SQLite the interactions stay in one table. Move with opencem migrate first.");
            }

            await SchemaMigrator.MigrateAsync(database, cancellationToken);
            var partitioning = new InteractionPartitioning(database, TimeProvider.System);
            if (!parse.GetValue(list))
            {
                var result = await partitioning.ConvertAsync(months, step => Console.WriteLine($"- {step}"), cancellationToken);
                Console.WriteLine(result.AlreadyPartitioned
                    ? $"interactions was already partitioned; {result.Created.Count} missing months created."
                    : $"interactions is now partitioned by month: {result.HistoryRows:N0} earlier rows kept in {result.History}, {result.RowsMoved:N0} moved to their month, {result.Created.Count} partitions created.");
            }

            foreach (var (table, range, rows) in await partitioning.ListAsync(cancellationToken))
            {
                Console.WriteLine($"{table,-36} {rows,14:N0}  {range}");
            }

            return 0;
        }));
        return command;
    }
}
