using System.Threading.Channels;

namespace OpenCem.Actions.Events;

/// <summary>
/// Wakes the outbox readers of this process as soon as a write that appended events commits, so a detractor's case
/// is opened within moments instead of at the next poll. Never blocks the writer: many wakes before a reader looks are one.
/// </summary>
public sealed class OutboxWake
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _signal.Writer.TryWrite(true);

    /// <summary>Returns when woken or after <paramref name="interval"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(interval, time, stop.Token);
        var woken = _signal.Reader.WaitToReadAsync(stop.Token).AsTask();
        await Task.WhenAny(delay, woken);
        await stop.CancelAsync();
        _signal.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
