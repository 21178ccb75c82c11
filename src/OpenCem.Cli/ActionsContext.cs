using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.Cli;

/// <summary>The database and workspace the closed-loop verbs (cases, rules, webhooks) work on.</summary>
internal sealed record ActionsContext(Database Database, Workspace Workspace) : IAsyncDisposable
{
    public static async Task<ActionsContext> OpenAsync(string? db, string workspaceKey, CancellationToken cancellationToken)
    {
        var (database, workspace) = await CommonOptions.OpenWorkspaceAsync(db, workspaceKey, cancellationToken);
        return new ActionsContext(database, workspace);
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
