using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OpenCem.Hosting;

namespace OpenCem.Value.Churn;

/// <summary>
/// Trains queued churn models in the background, one at a time, never on a request thread: a request queues a
/// version (<see cref="QueueAsync"/>) and may await its end asynchronously (<see cref="WaitAsync"/>). Versions queued
/// before a restart are picked up at start.
/// </summary>
public sealed partial class ChurnWorker(ChurnModelStore models, ChurnJob job, ILogger<ChurnWorker> logger) : PassWorker
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _waiting = new();

    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    public async Task<long> QueueAsync(long workspaceId, ChurnLabel label, IReadOnlyList<string> exclude, CancellationToken cancellationToken)
    {
        var id = await models.CreateAsync(workspaceId, label.Text, exclude, cancellationToken);
        _waiting.TryAdd(id, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _wake.Release();
        return id;
    }

    /// <summary>Completes when the version is finished (ready, invalid or failed); its row then tells which.</summary>
    public async Task<ChurnModelRow?> WaitAsync(long workspaceId, long id, CancellationToken cancellationToken)
    {
        var done = _waiting.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        while (true)
        {
            var row = await models.GetAsync(workspaceId, id, cancellationToken: cancellationToken);
            if (row is null || ChurnModelStatus.IsFinished(row.Status))
            {
                _waiting.TryRemove(id, out _);
                return row;
            }

            // The row is re-read after the signal, and at least every few seconds in case another process trains it.
            await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)).WaitAsync(cancellationToken);
        }
    }

    /// <summary>Trains every queued version (the CLI and tests call this directly); returns how many it handled.</summary>
    public Task<int> RunOnceAsync(CancellationToken cancellationToken = default) => ExclusiveAsync(() => PassAsync(cancellationToken), cancellationToken);

    private async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var handled = 0;
        foreach (var row in await models.QueuedAsync(cancellationToken))
        {
            try
            {
                await job.RunAsync(row, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogTrainingFailed(exception, row.Id);
            }
            finally
            {
                if (_waiting.TryGetValue(row.Id, out var done))
                {
                    done.TrySetResult();
                }
            }

            handled++;
        }

        return handled;
    }

    protected override Task ScheduledPassAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    protected override async Task WaitForNextPassAsync(CancellationToken cancellationToken) => await _wake.WaitAsync(Interval, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Churn model {ModelId} failed to train")]
    private partial void LogTrainingFailed(Exception exception, long modelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A churn training pass failed; retrying at the next interval")]
    private partial void LogPassFailed(Exception exception);

    protected override void PassFailed(Exception exception) => LogPassFailed(exception);
}
