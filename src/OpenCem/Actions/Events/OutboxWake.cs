using OpenCem.Hosting;

namespace OpenCem.Actions.Events;

/// <summary>
/// Wakes the outbox readers of this process as soon as a write that appended events commits, so a detractor's case
/// is opened within moments instead of at the next poll. Never blocks the writer: many wakes before a reader looks are one.
/// </summary>
public sealed class OutboxWake
{
    private readonly WakeSignal _signal = new();

    public void Wake() => _signal.Set();

    /// <summary>Returns when woken or after <paramref name="interval"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken) => _signal.WaitAsync(interval, time, cancellationToken);
}
