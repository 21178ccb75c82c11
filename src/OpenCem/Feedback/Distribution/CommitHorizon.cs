namespace OpenCem.Feedback.Distribution;

/// <summary>
/// The largest interaction id below which every row is surely committed, pure. PostgreSQL hands out identity values
/// when a row is inserted, not when it commits, so with several writing processes a row with a smaller id can become
/// visible after one with a larger id. An id seen as the maximum at some moment was handed out by then; once the
/// settle time has passed, every transaction that held a smaller id has ended, so nothing below it can still appear.
/// With a settle time of zero (SQLite: one writer, commits in id order) the horizon is the maximum seen now.
/// </summary>
public sealed class CommitHorizon
{
    private readonly Queue<(DateTimeOffset At, long MaxId)> _seen = new();
    private long _settled;

    /// <summary>Notes the maximum id visible at <paramref name="now"/> and returns the id up to which rows are settled.</summary>
    public long Observe(DateTimeOffset now, long maxId, TimeSpan settle)
    {
        if (settle <= TimeSpan.Zero)
        {
            _seen.Clear();
            _settled = Math.Max(_settled, maxId);
            return _settled;
        }

        _seen.Enqueue((now, maxId));
        while (_seen.TryPeek(out var oldest) && now - oldest.At >= settle)
        {
            _settled = Math.Max(_settled, oldest.MaxId);
            _seen.Dequeue();
        }

        return _settled;
    }

    /// <summary>Forgets what was seen (nothing is scanned for a while).</summary>
    public void Reset()
    {
        _seen.Clear();
        _settled = 0;
    }
}
