using System.Collections.Concurrent;

namespace OpenCem.Interactions;

/// <summary>
/// The touchpoint catalogue of each workspace, held in memory for ingestion. Changes made through this
/// process apply at once; changes made by another process within <see cref="Lifetime"/>.
/// </summary>
public sealed class CatalogueCache(CatalogueStore store, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<long, (TouchpointResolver Resolver, DateTimeOffset Loaded)> _resolvers = new();

    public TouchpointResolver Get(long workspaceId) =>
        _resolvers.TryGetValue(workspaceId, out var entry) ? entry.Resolver : TouchpointResolver.Empty;

    public async Task RefreshAsync(IEnumerable<long> workspaceIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var workspaceId in workspaceIds)
        {
            if (_resolvers.TryGetValue(workspaceId, out var entry) && now - entry.Loaded < Lifetime)
            {
                continue;
            }

            var touchpoints = await store.ListTouchpointsAsync(workspaceId, cancellationToken);
            _resolvers[workspaceId] = (new TouchpointResolver(touchpoints), now);
        }
    }

    public void Invalidate(long workspaceId) => _resolvers.TryRemove(workspaceId, out _);
}
