using Microsoft.Extensions.Logging;
using OpenCem.Storage;

namespace OpenCem.Interactions.Ingestion;

/// <summary>Group commit of tracking calls: many requests share one transaction and one fsync.</summary>
public sealed class IngestionQueue(InteractionWriter writer, CatalogueCache catalogue, ILogger<IngestionQueue> logger)
    : GroupCommitQueue<IngestionItem>(logger, MaxEventsPerCommit, "ingestion")
{
    /// <summary>Upper bound of events in one transaction, so that one commit stays short.</summary>
    public const int MaxEventsPerCommit = 4_000;

    protected override async Task WriteAsync(IReadOnlyList<IngestionItem> items)
    {
        await catalogue.RefreshAsync(items.Select(i => i.WorkspaceId).Distinct(), CancellationToken.None);
        await writer.WriteAsync(items, CancellationToken.None);
    }
}
