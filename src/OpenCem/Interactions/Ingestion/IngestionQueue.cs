using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenCem.Interactions.Ingestion;

/// <summary>
/// Group commit: requests hand their validated calls to one writer, which stores everything that is waiting
/// in one transaction (one fsync) and then acknowledges each request. Under load, many requests share a
/// commit; when idle, a request is committed at once.
/// </summary>
public sealed partial class IngestionQueue : BackgroundService
{
    /// <summary>Upper bound of events in one transaction, so that one commit stays short.</summary>
    public const int MaxEventsPerCommit = 4_000;

    private readonly Channel<PendingWrite> _pending = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(2_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly InteractionWriter _writer;
    private readonly CatalogueCache _catalogue;
    private readonly ILogger<IngestionQueue> _logger;

    public IngestionQueue(InteractionWriter writer, CatalogueCache catalogue, ILogger<IngestionQueue> logger)
    {
        _writer = writer;
        _catalogue = catalogue;
        _logger = logger;
    }

    /// <summary>Calls waiting for a commit right now: a queue depth for health and metrics.</summary>
    public int Depth => _pending.Reader.Count;

    /// <summary>Completes once the items are durably committed; throws if they could not be stored.</summary>
    public async Task StoreAsync(IReadOnlyList<IngestionItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }

        var pending = new PendingWrite(items);
        await _pending.Writer.WriteAsync(pending, cancellationToken);
        // Not cancelled with the request: once queued, the write happens, and the client's retry is deduplicated.
        await pending.Completion.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<PendingWrite>();
        var reader = _pending.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                group.Clear();
                var events = 0;
                while (events < MaxEventsPerCommit && reader.TryRead(out var next))
                {
                    group.Add(next);
                    events += next.Items.Count;
                }

                await CommitAsync(group);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: store what was already accepted into the queue before the process ends.
            _pending.Writer.TryComplete();
            while (reader.TryRead(out var next))
            {
                await CommitAsync([next]);
            }
        }
    }

    private async Task CommitAsync(List<PendingWrite> group)
    {
        try
        {
            await _catalogue.RefreshAsync(group.SelectMany(g => g.Items).Select(i => i.WorkspaceId).Distinct(), CancellationToken.None);
            var all = group.Count == 1 ? group[0].Items : group.SelectMany(g => g.Items).ToList();
            await _writer.WriteAsync(all, CancellationToken.None);
            foreach (var write in group)
            {
                write.Completion.TrySetResult();
            }
        }
        catch (Exception exception) when (group.Count > 1)
        {
            // One bad request must not fail its neighbours: retry each on its own.
            LogGroupFailed(exception, group.Count);
            foreach (var write in group)
            {
                await CommitAsync([write]);
            }
        }
        catch (Exception exception)
        {
            LogWriteFailed(exception);
            group[0].Completion.TrySetException(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group commit of {Requests} requests failed; retrying them one by one")]
    private partial void LogGroupFailed(Exception exception, int requests);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing a tracking request failed")]
    private partial void LogWriteFailed(Exception exception);

    private sealed class PendingWrite(IReadOnlyList<IngestionItem> items)
    {
        public IReadOnlyList<IngestionItem> Items { get; } = items;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
