using Dapper;
using OpenCem.Storage;

namespace OpenCem.Workspaces;

public sealed record Workspace(long Id, string Key, string Name);

/// <summary>Workspaces (a brand or business unit): every record belongs to one.</summary>
public sealed class WorkspaceStore(Database database)
{
    public const string DefaultKey = "default";

    /// <summary>The name the default workspace gets until someone names it.</summary>
    public const string DefaultName = "Default workspace";

    /// <summary>The default workspace, created on first start.</summary>
    public async Task<Workspace> EnsureDefaultAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO workspaces (key, name, created_at) VALUES (@key, @name, @at) ON CONFLICT (key) DO NOTHING",
            new { key = DefaultKey, name = DefaultName, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        return await connection.QuerySingleAsync<Workspace>(
            "SELECT id AS Id, key AS Key, name AS Name FROM workspaces WHERE key = @key", new { key = DefaultKey });
    }

    public async Task<Workspace> CreateAsync(string key, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<Workspace>(
            "INSERT INTO workspaces (key, name, created_at) VALUES (@key, @name, @at) RETURNING id AS Id, key AS Key, name AS Name",
            new { key, name, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
    }

    public async Task<Workspace?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Workspace>(
            "SELECT id AS Id, key AS Key, name AS Name FROM workspaces WHERE key = @key", new { key });
    }

    public async Task<string?> GetSettingAsync(long workspaceId, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT value FROM workspace_settings WHERE workspace_id = @workspaceId AND name = @name", new { workspaceId, name });
    }

    public async Task SetSettingAsync(long workspaceId, string name, string value, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO workspace_settings (workspace_id, name, value) VALUES (@workspaceId, @name, @value)
            ON CONFLICT (workspace_id, name) DO UPDATE SET value = excluded.value
            """,
            new { workspaceId, name, value });
    }
}
