using System.Data.Common;
using Microsoft.Extensions.Caching.Memory;

namespace OpenCem.Storage;

/// <summary>
/// Results remembered with the <see cref="DataVersions"/> they were computed from: the versions are read first and
/// compared, so a write that bumps one of them makes the next read compute afresh, never a stale answer. One entry per
/// key, replaced when the versions move on: versions only grow, so an older answer is never asked for again, and under
/// a steady stream of writes keeping every version's answer (for the sliding hour) grew the memory without bound.
/// </summary>
public static class RememberedResults
{
    /// <summary>Kept while in use; an entry nobody asked for in an hour goes.</summary>
    public static readonly MemoryCacheEntryOptions Sliding = new() { SlidingExpiration = TimeSpan.FromHours(1) };

    /// <param name="key">Every input of <paramref name="compute"/> besides the versions (workspace, filters, window...).</param>
    /// <param name="compute">Its exceptions are not remembered.</param>
    public static async Task<T> GetAsync<T>(IMemoryCache cache, DbConnection connection, long workspaceId, string[] versions, object key,
        Func<Task<T>> compute, MemoryCacheEntryOptions? options = null)
        where T : class =>
        await GetAsync(cache, await DataVersions.ReadAsync(connection, null, workspaceId, versions), key, compute, options);

    /// <summary>As above, reading the versions on a connection of its own that is closed before computing.</summary>
    public static async Task<T> GetAsync<T>(IMemoryCache cache, Database database, long workspaceId, string[] versions, object key,
        Func<Task<T>> compute, MemoryCacheEntryOptions? options = null, CancellationToken cancellationToken = default)
        where T : class
    {
        long[] values;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            values = await DataVersions.ReadAsync(connection, null, workspaceId, versions);
        }

        return await GetAsync(cache, values, key, compute, options);
    }

    /// <summary>As above, with the versions already read (or a version kept elsewhere than <see cref="DataVersions"/>).</summary>
    internal static async Task<T> GetAsync<T>(IMemoryCache cache, long[] values, object key, Func<Task<T>> compute, MemoryCacheEntryOptions? options = null)
        where T : class
    {
        var versions = string.Join(',', values);
        var entry = (typeof(T), key);
        if (cache.TryGetValue(entry, out Remembered<T>? remembered) && remembered is not null && remembered.Versions == versions)
        {
            return remembered.Result;
        }

        var result = await compute();
        cache.Set(entry, new Remembered<T>(versions, result), options ?? Sliding);
        return result;
    }

    private sealed record Remembered<T>(string Versions, T Result);
}
