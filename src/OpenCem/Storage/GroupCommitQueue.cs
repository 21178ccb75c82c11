using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenCem.Storage;

/// <summary>
/// Group commit: requests hand their validated items to one writer, which stores everything that is waiting in
/// one transaction (one fsync) and then acknowledges each request. Under load, many requests share a commit; when
/// idle, a request is committed at once. A failed group is retried request by request, so one bad request does
/// not fail its neighbours.
/// </summary>
public abstract partial class GroupCommitQueue<TItem>(ILogger logger, int maxItemsPerCommit) : BackgroundService
{
    private readonly Channel<PendingWrite> _pending = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(2_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Requests waiting for a commit right now: a queue depth for health and metrics.</summary>
    public int Depth => _pending.Reader.Count;

    /// <summary>Completes once the items are durably committed; throws if they could not be stored.</summary>
    public async Task StoreAsync(IReadOnlyList<TItem> items, CancellationToken cancellationToken)
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

    /// <summary>Stores the items of a group in one transaction.</summary>
    protected abstract Task WriteAsync(IReadOnlyList<TItem> items);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<PendingWrite>();
        var reader = _pending.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                group.Clear();
                var count = 0;
                while (count < maxItemsPerCommit && reader.TryRead(out var next))
                {
                    group.Add(next);
                    count += next.Items.Count;
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
            var all = group.Count == 1 ? group[0].Items : group.SelectMany(g => g.Items).ToList();
            await WriteAsync(all);
            foreach (var write in group)
            {
                write.Completion.TrySetResult();
            }
        }
        catch (Exception exception) when (group.Count > 1)
        {
            LogGroupFailed(logger, exception, group.Count);
            foreach (var write in group)
            {
                await CommitAsync([write]);
            }
        }
        catch (Exception exception)
        {
            LogWriteFailed(logger, exception);
            group[0].Completion.TrySetException(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group commit of {Requests} requests failed; retrying them one by one")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, int requests);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing a request failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);

    private sealed class PendingWrite(IReadOnlyList<TItem> items)
    {
        public IReadOnlyList<TItem> Items { get; } = items;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
