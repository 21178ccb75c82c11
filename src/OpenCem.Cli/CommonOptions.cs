using System.CommandLine;
using Npgsql;
using OpenCem.Storage;

namespace OpenCem.Cli;

/// <summary>Options shared by the verbs, with one meaning everywhere.</summary>
internal static class CommonOptions
{
    public const string DatabaseVariable = "OPENCEM_DB";

    public static Option<string?> Database(string? defaultPath = null) => new("--db")
    {
        Description = "A SQLite file path or a PostgreSQL connection string (Host=... or postgres://...). " +
            $"Defaults to ${DatabaseVariable}, then {defaultPath ?? DatabaseTarget.DefaultSqlitePath}.",
    };

    public static Option<string> Urls() => new("--urls")
    {
        Description = "Addresses to listen on, separated by ';'.",
        DefaultValueFactory = _ => Hosting.ServerOptions.DefaultUrls,
    };

    public static Option<string> Workspace() => new("--workspace")
    {
        Description = "The workspace key.",
        DefaultValueFactory = _ => Workspaces.WorkspaceStore.DefaultKey,
    };

    /// <summary>The database from --db, else OPENCEM_DB, else the default path.</summary>
    public static DatabaseTarget ResolveDatabase(string? option, string? defaultPath = null)
    {
        var value = option ?? Environment.GetEnvironmentVariable(DatabaseVariable);
        return DatabaseTarget.Parse(string.IsNullOrWhiteSpace(value) ? defaultPath : value);
    }

    /// <summary>Opens the database (migrated to the current schema) and finds the workspace.</summary>
    public static async Task<(Database Database, Workspaces.Workspace Workspace)> OpenWorkspaceAsync(string? db, string workspaceKey, CancellationToken cancellationToken)
    {
        var database = new Database(ResolveDatabase(db));
        try
        {
            await SchemaMigrator.MigrateAsync(database, cancellationToken);
            var workspaces = new Workspaces.WorkspaceStore(database);
            await workspaces.EnsureDefaultAsync(cancellationToken);
            var workspace = await workspaces.FindAsync(workspaceKey, cancellationToken)
                ?? throw new CommandException($"No workspace has the key \"{workspaceKey}\".");
            return (database, workspace);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a verb, turning expected failures into one clear line on stderr and exit code 1.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception exception) when (exception is NpgsqlException or Microsoft.Data.Sqlite.SqliteException or ArgumentException
            or FormatException or UriFormatException or IOException or UnauthorizedAccessException or CommandException or Hosting.ServerConfigurationException
            or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"opencem: {exception.Message}");
            return 1;
        }
    }
}

/// <summary>A failure that the user can fix, reported without a stack trace.</summary>
internal sealed class CommandException(string message) : Exception(message);
