using OpenCem.Hosting;

namespace OpenCem.Text.Pipeline;

/// <summary>
/// Wakes the analysis worker early when comments or signals arrive, so they are analysed within moments instead of
/// at the next poll. Waking never blocks the caller: many wakes before the worker looks are one.
/// </summary>
public sealed class TextWake
{
    private readonly WakeSignal _signal = new();

    public void Wake() => _signal.Set();

    /// <summary>Returns when woken or after <paramref name="interval"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken) => _signal.WaitAsync(interval, time, cancellationToken);
}
