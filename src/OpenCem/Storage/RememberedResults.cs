using System.Data.Common;
using Microsoft.Extensions.Caching.Memory;

namespace OpenCem.Storage;

/// <summary>
/// Results remembered under the <see cref="DataVersions"/> they were computed from: the versions are read first and
/// become part of the key, so a write that bumps one of them makes the next read compute afresh, never a stale answer.
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

    private static async Task<T> GetAsync<T>(IMemoryCache cache, long[] values, object key, Func<Task<T>> compute, MemoryCacheEntryOptions? options)
        where T : class
    {
        var versioned = (key, string.Join(',', values));
        if (cache.TryGetValue(versioned, out T? remembered) && remembered is not null)
        {
            return remembered;
        }

        var result = await compute();
        cache.Set(versioned, result, options ?? Sliding);
        return result;
    }
}
