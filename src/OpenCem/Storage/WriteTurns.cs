namespace OpenCem.Storage;

/// <summary>Who goes first when several writers of this process wait for SQLite's one write lock.</summary>
public enum WritePriority
{
    /// <summary>Short transactions someone waits for: a response, a rule firing, a webhook's delivery.</summary>
    Prompt,

    /// <summary>Group commits of tracking calls: long, back to back, and nobody waits for one in particular.</summary>
    Bulk,
}

/// <summary>
/// The order in which this process's writers take SQLite's one write lock. Left to SQLite, a writer that finds the lock
/// taken polls for it (Microsoft.Data.Sqlite sleeps 150 ms between tries), and under a continuous stream of ingestion
/// commits a rule's or a response's short transaction could poll for seconds. Here a waiter is woken the moment the
/// holder is done, and the bulk writer lets every prompt writer go first, so a prompt one waits at most for the
/// transaction that is running. PostgreSQL locks rows, not the database: it needs no turns.
/// </summary>
public sealed class WriteTurns
{
    private readonly object _sync = new();
    private readonly Queue<TaskCompletionSource> _prompt = new();
    private readonly Queue<TaskCompletionSource> _bulk = new();
    private bool _held;

    /// <summary>Writers waiting for their turn right now.</summary>
    public int Waiting
    {
        get
        {
            lock (_sync)
            {
                return _prompt.Count + _bulk.Count;
            }
        }
    }

    /// <summary>Completes when it is the caller's turn; dispose the turn when the transaction has ended.</summary>
    public async ValueTask<WriteTurn> TakeAsync(WritePriority priority, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_sync)
        {
            if (!_held)
            {
                _held = true;
                return new WriteTurn(this);
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (priority == WritePriority.Prompt ? _prompt : _bulk).Enqueue(waiter);
        }

        try
        {
            await waiter.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The turn may have been handed over in the same instant: then pass it on rather than lose it.
            if (!waiter.TrySetCanceled(cancellationToken) && waiter.Task.IsCompletedSuccessfully)
            {
                Release();
            }

            throw;
        }

        return new WriteTurn(this);
    }

    internal void Release()
    {
        lock (_sync)
        {
            while (_prompt.TryDequeue(out var next) || _bulk.TryDequeue(out next))
            {
                // A waiter that gave up (cancelled) is skipped; the turn stays held and goes to the next one.
                if (next.TrySetResult())
                {
                    return;
                }
            }

            _held = false;
        }
    }
}

/// <summary>A writer's turn at SQLite's write lock; a no-op on PostgreSQL.</summary>
public readonly struct WriteTurn(WriteTurns? turns) : IDisposable, IAsyncDisposable
{
    public void Dispose() => turns?.Release();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
