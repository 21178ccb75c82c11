using System.CommandLine;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.Cli;

internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "Create, list and revoke API keys (write keys for tracking, admin keys for the management API).");
        command.Subcommands.Add(CreateKey());
        command.Subcommands.Add(ListKeys());
        command.Subcommands.Add(RevokeKey());
        return command;
    }

    private static Command CreateKey()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var name = new Option<string>("--name") { Description = "A name that says who uses the key.", Required = true };
        var kind = new Option<string>("--kind") { Description = "write (tracking only) or admin (everything).", Required = true };
        kind.AcceptOnlyFromAmong("write", "admin");
        var command = new Command("create", "Create a key and print it once; only its hash is stored.") { name, kind, db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var context = await OpenAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            ApiKeyStore.TryParseKind(parse.GetRequiredValue(kind), out var keyKind);
            var keyName = parse.GetRequiredValue(name).Trim();
            if (keyName.Length is 0 or > 100)
            {
                throw new CommandException("--name must be 1 to 100 characters.");
            }

            var created = await context.Keys.CreateAsync(context.Workspace.Id, keyName, keyKind, cancellationToken);
            Console.WriteLine(created.Secret);
            Console.Error.WriteLine($"Created {ApiKeyStore.KindName(keyKind)} key #{created.Info.Id} \"{keyName}\" in workspace \"{context.Workspace.Key}\". It is shown only now.");
            return 0;
        }));
        return command;
    }

    private static Command ListKeys()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var command = new Command("list", "List the keys of a workspace (never their secrets).") { db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var context = await OpenAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            var keys = await context.Keys.ListAsync(context.Workspace.Id, cancellationToken);
            Console.WriteLine($"{"ID",-6} {"KIND",-6} {"PREFIX",-16} {"CREATED",-21} {"STATUS",-22} NAME");
            foreach (var key in keys)
            {
                var status = key.RevokedAt is { } revoked ? $"revoked {revoked:yyyy-MM-dd HH:mm}" : "active";
                Console.WriteLine($"{key.Id,-6} {ApiKeyStore.KindName(key.Kind),-6} {key.Prefix + "…",-16} {key.CreatedAt:yyyy-MM-dd HH:mm:ss}Z  {status,-22} {key.Name}");
            }

            return 0;
        }));
        return command;
    }

    private static Command RevokeKey()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var key = new Argument<string>("key") { Description = "The id or the name of the key." };
        var command = new Command("revoke", "Revoke a key; requests with it are refused within seconds.") { key, db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var context = await OpenAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            var count = await context.Keys.RevokeAsync(context.Workspace.Id, parse.GetRequiredValue(key), cancellationToken);
            if (count == 0)
            {
                throw new CommandException($"No active key has the id or name \"{parse.GetValue(key)}\".");
            }

            Console.WriteLine($"Revoked {count} key(s).");
            return 0;
        }));
        return command;
    }

    private static async Task<KeyContext> OpenAsync(string? db, string workspaceKey, CancellationToken cancellationToken)
    {
        var (database, workspace) = await CommonOptions.OpenWorkspaceAsync(db, workspaceKey, cancellationToken);
        return new KeyContext(database, workspace, new ApiKeyStore(database, TimeProvider.System));
    }

    private sealed record KeyContext(Database Database, Workspace Workspace, ApiKeyStore Keys) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Database.DisposeAsync();
    }
}
