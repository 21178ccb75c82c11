using System.CommandLine;
using OpenCem.Customers;

namespace OpenCem.Cli;

internal static class IdentityCommand
{
    public static Command Create()
    {
        var command = new Command("identity", "Identity resolution of customer records into profiles.");
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var rebuild = new Command("rebuild", "Re-resolve every record from the source records with the current rules; manual splits are kept.") { db, workspace };
        rebuild.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                var started = TimeProvider.System.GetTimestamp();
                var outcome = await new IdentityService(database, TimeProvider.System).RebuildAsync(ws.Id, cancellationToken);
                Console.WriteLine($"Re-resolved {outcome.Updated + outcome.Unchanged:N0} records in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:N1} s: " +
                    $"{outcome.Updated:N0} with re-normalised identifiers, {outcome.ProfilesCreated:N0} profiles created, {outcome.ProfilesMerged:N0} merged into others.");
                return 0;
            }
        }));
        command.Subcommands.Add(rebuild);
        return command;
    }
}
