using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OpenCem.Hosting;

namespace OpenCem.Value.Fits;

/// <summary>
/// Runs queued CLV fits in the background, one at a time, so no fit is ever computed on a request thread: woken when
/// a fit is queued, and polling every half minute for fits queued elsewhere (another server on the same PostgreSQL)
/// or left running by a process that died.
/// </summary>
public sealed partial class ClvFitWorker(ClvFitStore store, ClvFitRunner runner, TimeProvider time, ILogger<ClvFitWorker> logger) : PassWorker
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(30);
    private readonly WakeSignal _wake = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _finished = new();

    /// <summary>Queues a fit and wakes the worker.</summary>
    public async Task<long> QueueAsync(long workspaceId, ClvFitRequest request, CancellationToken cancellationToken)
    {
        var id = await store.QueueAsync(workspaceId, request, cancellationToken);
        _wake.Set();
        return id;
    }

    /// <summary>Waits (asynchronously) until the fit is done or failed, here or by another server; returns it.</summary>
    public async Task<ClvFitView?> WaitAsync(long workspaceId, long id, CancellationToken cancellationToken)
    {
        var finished = _finished.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            while (true)
            {
                var fit = await store.GetAsync(workspaceId, id, cancellationToken);
                if (fit is null || fit.Status is ClvFitStatus.Done or ClvFitStatus.Failed)
                {
                    return fit;
                }

                await Task.WhenAny(finished.Task, Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            _finished.TryRemove(id, out _);
        }
    }

    /// <summary>Runs every queued fit now (the CLI and tests; the host's loop does the same).</summary>
    public Task<int> RunQueuedAsync(CancellationToken cancellationToken = default) => ExclusiveAsync(() => PassAsync(cancellationToken), cancellationToken);

    private async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var ran = 0;
        foreach (var (id, workspaceId) in await store.QueuedAsync(Stale, cancellationToken))
        {
            if (!await store.ClaimAsync(id, cancellationToken))
            {
                continue;
            }

            try
            {
                await runner.RunAsync(workspaceId, id, cancellationToken);
                ran++;
            }
            finally
            {
                if (_finished.TryGetValue(id, out var finished))
                {
                    finished.TrySetResult();
                }
            }
        }

        return ran;
    }

    protected override async Task ScheduledPassAsync(CancellationToken cancellationToken)
    {
        if (await RunQueuedAsync(cancellationToken) is > 0 and var ran)
        {
            LogRan(ran);
        }
    }

    protected override Task WaitForNextPassAsync(CancellationToken cancellationToken) => _wake.WaitAsync(PollInterval, time, cancellationToken);

    protected override void PassFailed(Exception exception) => LogPassFailed(exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "CLV: {Ran} fits run")]
    private partial void LogRan(int ran);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A CLV fit failed; it is stored as failed with the reason")]
    private partial void LogPassFailed(Exception exception);
}
