using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenCem.Operations.Telemetry;

namespace OpenCem.Storage;

/// <summary>
/// Group commit: requests hand their validated items to one writer, which stores everything that is waiting in
/// one transaction (one fsync) and then acknowledges each request. Under load, many requests share a commit; when
/// idle, a request is committed at once. A failed group is retried request by request, so one bad request does
/// not fail its neighbours.
/// </summary>
public abstract partial class GroupCommitQueue<TItem> : BackgroundService
{
    private readonly ILogger logger;
    private readonly int maxItemsPerCommit;
    private readonly string queueName;

    private readonly Channel<PendingWrite> _pending = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <param name="queueName">The queue's name in metrics and traces (<c>ingestion</c>, <c>responses</c>).</param>
    protected GroupCommitQueue(ILogger logger, int maxItemsPerCommit, string queueName)
    {
        this.logger = logger;
        this.maxItemsPerCommit = maxItemsPerCommit;
        this.queueName = queueName;
        OpenCemTelemetry.Watch(this, queueName, () => Depth);
    }

    /// <summary>Requests that may wait for a commit; a further one waits for room (back-pressure on the clients).</summary>
    public const int Capacity = 2_000;

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

    public override void Dispose()
    {
        OpenCemTelemetry.Unwatch(this);
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task CommitAsync(List<PendingWrite> group)
    {
        try
        {
            var all = group.Count == 1 ? group[0].Items : group.SelectMany(g => g.Items).ToList();
            var queue = new KeyValuePair<string, object?>("queue", queueName);
            using var activity = OpenCemTelemetry.Source.StartActivity("commit " + queueName);
            activity?.SetTag("opencem.items", all.Count);
            activity?.SetTag("opencem.requests", group.Count);
            var started = Stopwatch.GetTimestamp();
            await WriteAsync(all);
            OpenCemTelemetry.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, queue);
            OpenCemTelemetry.CommittedItems.Add(all.Count, queue);
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
            OpenCemTelemetry.FailedRequests.Add(1, new KeyValuePair<string, object?>("queue", queueName));
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
