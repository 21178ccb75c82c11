namespace OpenCem.Actions.Webhooks;

/// <summary>
/// How far a reader may advance through the outbox, pure. PostgreSQL hands out event ids at insert, one after the other
/// (an identity without a cache), and a transaction may commit after one holding a larger id; a gap in the visible ids is
/// therefore an insert not yet committed, or one rolled back. The reader stops before a gap until it has been open for
/// the settle time, then takes it for a rollback and passes it. Without gaps (the usual case) events are read as soon as
/// they are visible, which a fixed commit horizon (<c>CommitHorizon</c>) would delay by the whole settle time.
/// </summary>
public sealed class OutboxGaps
{
    private readonly Dictionary<long, DateTimeOffset> _opened = [];

    /// <summary>
    /// The position up to which <paramref name="ids"/> (ascending, all after <paramref name="position"/>) may be acted
    /// on: the end of the run without gaps, or past gaps open for at least <paramref name="settle"/>.
    /// </summary>
    public long Advance(long position, IReadOnlyList<long> ids, DateTimeOffset now, TimeSpan settle)
    {
        foreach (var id in ids)
        {
            if (id != position + 1 && settle > TimeSpan.Zero)
            {
                var opened = _opened.TryGetValue(position + 1, out var at) ? at : _opened[position + 1] = now;
                if (now - opened < settle)
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
