using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Text.Themes;

/// <summary>
/// A workspace's theme taxonomy in <c>text_themes</c>. The workspace gets <see cref="TaxonomySeed"/> on first use; the
/// counter <c>text.taxonomy</c> (in <c>workspace_counters</c>) marks that and is bumped by every change, so analyses
/// made with an older taxonomy can be found and redone.
/// </summary>
public sealed class TaxonomyStore(Database database, TimeProvider time)
{
    public const string VersionCounter = "text.taxonomy";

    /// <summary>Serialises taxonomy changes of a workspace on PostgreSQL (SQLite has one writer anyway).</summary>
    private const int LockKey = 727277;

    public async Task<IReadOnlyList<ThemeDefinition>> ListAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureSeededAsync(connection, workspaceId, cancellationToken);
        return await ReadAsync(connection, null, workspaceId);
    }

    /// <summary>The taxonomy and its version, read together (seeding the workspace on first use).</summary>
    public async Task<(IReadOnlyList<ThemeDefinition> Themes, long Version)> SnapshotAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureSeededAsync(connection, workspaceId, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var version = await VersionAsync(connection, transaction, workspaceId) ?? 0;
        var themes = await ReadAsync(connection, transaction, workspaceId);
        await transaction.CommitAsync(cancellationToken);
        return (themes, version);
    }

    /// <summary>Adds (<paramref name="create"/>) or replaces a theme; null when saved, else why not.</summary>
    public Task<TaxonomyProblem?> SaveAsync(long workspaceId, ThemeDefinition theme, bool create, CancellationToken cancellationToken = default) =>
        ChangeAsync(workspaceId, async (connection, transaction, themes) =>
        {
            if (!create && themes.All(t => t.Key != theme.Key))
            {
                return new TaxonomyProblem(404, "key", $"There is no theme \"{theme.Key}\".");
            }

            if (TaxonomyRules.CheckSave(themes, theme, create) is { } problem)
            {
                return problem;
            }

            await connection.ExecuteAsync(
                """
                INSERT INTO text_themes (workspace_id, key, parent, names, keywords, position, updated_at)
                VALUES (@workspaceId, @Key, @Parent, @names, @keywords,
                    (SELECT coalesce(max(position), 0) + 1 FROM text_themes WHERE workspace_id = @workspaceId), @now)
                ON CONFLICT (workspace_id, key) DO UPDATE SET parent = excluded.parent, names = excluded.names, keywords = excluded.keywords,
                    updated_at = excluded.updated_at
                """,
                new
                {
                    workspaceId,
                    theme.Key,
                    theme.Parent,
                    names = JsonSerializer.Serialize(theme.Names),
                    keywords = JsonSerializer.Serialize(theme.Keywords),
                    now = time.GetUtcNow().ToUnixTimeMilliseconds(),
                },
                transaction);
            return null;
        }, cancellationToken);

    public Task<TaxonomyProblem?> DeleteAsync(long workspaceId, string key, CancellationToken cancellationToken = default) =>
        ChangeAsync(workspaceId, async (connection, transaction, themes) =>
        {
            if (themes.All(t => t.Key != key))
            {
                return new TaxonomyProblem(404, "key", $"There is no theme \"{key}\".");
            }

            if (TaxonomyRules.CheckDelete(themes, key) is { } problem)
            {
                return problem;
            }

            await connection.ExecuteAsync("DELETE FROM text_themes WHERE workspace_id = @workspaceId AND key = @key", new { workspaceId, key }, transaction);
            return null;
        }, cancellationToken);

    /// <summary>The taxonomy's version, or null before the workspace has one.</summary>
    public static Task<long?> VersionAsync(DbConnection connection, DbTransaction? transaction, long workspaceId) =>
        connection.ExecuteScalarAsync<long?>(
            "SELECT value FROM workspace_counters WHERE workspace_id = @workspaceId AND name = @name", new { workspaceId, name = VersionCounter }, transaction);

    private async Task<TaxonomyProblem?> ChangeAsync(
        long workspaceId, Func<DbConnection, DbTransaction, IReadOnlyList<ThemeDefinition>, Task<TaxonomyProblem?>> change, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureSeededAsync(connection, workspaceId, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.Kind == DatabaseKind.Postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@LockKey, @ws)", new { LockKey, ws = (int)workspaceId }, transaction);
        }

        var problem = await change(connection, transaction, await ReadAsync(connection, transaction, workspaceId));
        if (problem is not null)
        {
            return problem;
        }

        await connection.ExecuteAsync(
            "UPDATE workspace_counters SET value = value + 1 WHERE workspace_id = @workspaceId AND name = @name",
            new { workspaceId, name = VersionCounter }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    /// <summary>The first use of a workspace's taxonomy stores the seed and version 1; later calls find the counter and do nothing.</summary>
    private async Task EnsureSeededAsync(DbConnection connection, long workspaceId, CancellationToken cancellationToken)
    {
        if (await VersionAsync(connection, null, workspaceId) is not null)
        {
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = await connection.ExecuteAsync(
            "INSERT INTO workspace_counters (workspace_id, name, value) VALUES (@workspaceId, @name, 1) ON CONFLICT DO NOTHING",
            new { workspaceId, name = VersionCounter }, transaction);
        if (claimed == 1)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await connection.ExecuteAsync(
                """
                INSERT INTO text_themes (workspace_id, key, parent, names, keywords, position, updated_at)
                VALUES (@workspaceId, @Key, @Parent, @Names, @Keywords, @Position, @now) ON CONFLICT DO NOTHING
                """,
                TaxonomySeed.Themes.Select((t, i) => new
                {
                    workspaceId,
                    t.Key,
                    t.Parent,
                    Names = JsonSerializer.Serialize(t.Names),
                    Keywords = JsonSerializer.Serialize(t.Keywords),
                    Position = (long)i + 1,
                    now,
                }),
                transaction);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<ThemeDefinition>> ReadAsync(DbConnection connection, DbTransaction? transaction, long workspaceId) =>
        (await connection.QueryAsync<ThemeRow>(
            "SELECT key, parent, names, keywords FROM text_themes WHERE workspace_id = @workspaceId ORDER BY position, key", new { workspaceId }, transaction))
        .Select(r => r.ToDefinition())
        .ToList();

    private sealed class ThemeRow
    {
        public string Key { get; set; } = "";

        public string? Parent { get; set; }

        public string Names { get; set; } = "{}";

        public string Keywords { get; set; } = "{}";

        public ThemeDefinition ToDefinition() => new(
            Key,
            Parent,
            JsonSerializer.Deserialize<Dictionary<string, string>>(Names) ?? [],
            (JsonSerializer.Deserialize<Dictionary<string, List<string>>>(Keywords) ?? []).ToDictionary(k => k.Key, k => (IReadOnlyList<string>)k.Value));
    }
}
