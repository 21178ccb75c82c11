using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Analytics.Metrics;

/// <summary>
/// The segment dictionary: one id per combination of segment dimension values (customer traits, life-cycle stage,
/// loyalty state, response language, single-choice answers), so one rollup table serves every segment dimension.
/// Ids are only ever added, so readers cache what they have seen and load only newer ids.
/// </summary>
public static class MetricSegments
{
    private static readonly ConcurrentDictionary<(string Database, long Workspace), Cache> Caches = new();

    /// <summary>The ids of the given keys, adding the missing ones (concurrent writers agree through the unique key).</summary>
    public static async Task<Dictionary<string, long>> ResolveAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, IReadOnlyCollection<string> keys)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(500))
        {
            await ReadAsync(connection, transaction, workspaceId, chunk, ids);
            var missing = chunk.Where(k => !ids.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO metric_segments (workspace_id, key) VALUES (@workspaceId, @key) ON CONFLICT (workspace_id, key) DO NOTHING",
                    missing.Select(key => new { workspaceId, key }), transaction);
                await ReadAsync(connection, transaction, workspaceId, missing.ToArray(), ids);
            }
        }

        return ids;
    }

    /// <summary>
    /// Every segment of the workspace with its dimension values. <paramref name="reload"/> reads all again: on
    /// PostgreSQL a smaller id can commit after a larger one, so a reader that meets an unknown id reloads.
    /// </summary>
    public static async Task<IReadOnlyDictionary<long, IReadOnlyDictionary<string, string>>> AllAsync(
        DbConnection connection, string databaseName, long workspaceId, bool reload = false)
    {
        var cache = Caches.GetOrAdd((databaseName, workspaceId), _ => new Cache());
        await cache.Gate.WaitAsync();
        try
        {
            if (reload)
            {
                cache.LastId = 0;
                cache.Segments = new Dictionary<long, IReadOnlyDictionary<string, string>>();
            }

            var rows = await connection.QueryAsync<SegmentRow>(
                "SELECT id AS Id, key AS Key FROM metric_segments WHERE workspace_id = @workspaceId AND id > @after ORDER BY id",
                new { workspaceId, after = cache.LastId });
            var next = new Dictionary<long, IReadOnlyDictionary<string, string>>(cache.Segments);
            foreach (var row in rows)
            {
                next[row.Id] = JsonSerializer.Deserialize<Dictionary<string, string>>(row.Key) ?? [];
                cache.LastId = Math.Max(cache.LastId, row.Id);
            }

            cache.Segments = next;
            return next;
        }
        finally
        {
            cache.Gate.Release();
        }
    }

    private static async Task ReadAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, string[] keys, Dictionary<string, long> ids)
    {
        foreach (var row in await connection.QueryAsync<SegmentRow>(
            $"SELECT id AS Id, key AS Key FROM metric_segments WHERE workspace_id = @workspaceId AND {SqlLists.In(connection, "key", "keys")}",
            new { workspaceId, keys }, transaction))
        {
            ids[row.Key] = row.Id;
        }
    }

    private sealed class Cache
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long LastId { get; set; }

        public IReadOnlyDictionary<long, IReadOnlyDictionary<string, string>> Segments { get; set; } = new Dictionary<long, IReadOnlyDictionary<string, string>>();
    }

    private sealed class SegmentRow
    {
        public long Id { get; set; }

        public string Key { get; set; } = "";
    }
}
