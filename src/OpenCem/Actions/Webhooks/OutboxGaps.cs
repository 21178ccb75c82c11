namespace OpenCem.Actions.Webhooks;

/// <summary>
/// How far a reader may advance through the outbox, pure. PostgreSQL hands out event ids at insert, one after the other
/// (an identity without a cache), and a transaction may commit after one holding a larger id; a gap in the visible ids
/// is an insert not yet committed, or one rolled back. The reader stops before a gap until it cannot fill any more:
/// every transaction that was running when the gap was first seen has ended (the oldest running transaction id, xmin,
/// has reached the next transaction id, xmax, noted then; the id in the gap was handed out before a larger visible one,
/// so its transaction was running or over by then), or, without that knowledge, the settle time has passed. Without
/// gaps (the usual case) events are read as soon as they are visible, which a fixed commit horizon would delay by the
/// whole settle time.
/// </summary>
public sealed class OutboxGaps
{
    /// <summary>
    /// A gap younger than this is not passed on transaction ids alone: a transaction gets its id when it first writes a
    /// row, a moment after the insert has drawn the event id.
    /// </summary>
    public static readonly TimeSpan MinimumAge = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<long, (DateTimeOffset At, long? NextTransaction)> _opened = [];

    /// <summary>
    /// The position up to which <paramref name="ids"/> (ascending, all after <paramref name="position"/>) may be acted on:
    /// the end of the run without gaps, or past gaps that can no longer fill.
    /// </summary>
    /// <param name="transactions">PostgreSQL's oldest running and next transaction ids now (xmin, xmax), or null.</param>
    public long Advance(long position, IReadOnlyList<long> ids, DateTimeOffset now, TimeSpan settle, (long Oldest, long Next)? transactions = null)
    {
        foreach (var id in ids)
        {
            if (id != position + 1 && settle > TimeSpan.Zero)
            {
                if (!_opened.TryGetValue(position + 1, out var opened))
                {
                    opened = _opened[position + 1] = (now, transactions?.Next);
                }

                var age = now - opened.At;
                var ended = opened.NextTransaction is { } next && transactions is { } current && current.Oldest >= next && age >= MinimumAge;
                if (!ended && age < settle)
                {
                    break;
                }
            }

            position = id;
        }

        foreach (var passed in _opened.Keys.Where(k => k <= position).ToList())
        {
            _opened.Remove(passed);
        }

        return position;
    }
}
