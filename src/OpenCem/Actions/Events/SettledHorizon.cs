using System.Data.Common;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Actions.Events;

/// <summary>
/// The largest id of a table (<c>events</c>, <c>interactions</c>) below which every row is committed or will never
/// appear. SQLite commits in id order: the maximum is settled at once. PostgreSQL hands out ids at insert, so a
/// transaction still running may hold a smaller id: each observation keeps the snapshot's <c>xmax</c>, and once the
/// oldest running transaction (<c>xmin</c>) is past it, every transaction that could hold a smaller id has ended — usually
/// within milliseconds, not after a fixed settle time. The minimum age covers the instant between taking an id and
/// the transaction's first write (when it gets its transaction id).
/// </summary>
public sealed class SettledHorizon(string table, TimeSpan minimumAge)
{
    private const int MaxPending = 1000;
    private readonly Queue<Observation> _pending = new();
    private long _settled;

    /// <summary>Observes outside any transaction of the caller (its own transaction id would hold <c>xmin</c> back).</summary>
    public async Task<long> ObserveAsync(DbConnection connection, DatabaseKind kind, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            _settled = Math.Max(_settled, await connection.ExecuteScalarAsync<long>(
                new CommandDefinition($"SELECT COALESCE(MAX(id), 0) FROM {table}", cancellationToken: cancellationToken)));
            return _settled;
        }

        var seen = await connection.QuerySingleAsync<Observation>(new CommandDefinition(
            $"""
            SELECT COALESCE(MAX(id), 0) AS MaxId, pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS Xmin,
                   pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS Xmax
            FROM {table}
            """, cancellationToken: cancellationToken));
        seen.At = now;
        if (_pending.Count < MaxPending && seen.MaxId > _settled && (_pending.Count == 0 || _pending.Last().MaxId < seen.MaxId))
        {
            _pending.Enqueue(seen);
        }

        while (_pending.TryPeek(out var oldest) && oldest.Xmax <= seen.Xmin && now - oldest.At >= minimumAge)
        {
            _settled = Math.Max(_settled, oldest.MaxId);
            _pending.Dequeue();
        }

        return _settled;
    }

    /// <summary>Whether rows are waiting to settle (the reader should look again soon).</summary>
    public bool Pending => _pending.Count > 0;

    private sealed class Observation
    {
        public long MaxId { get; set; }

        public long Xmin { get; set; }

        public long Xmax { get; set; }

        public DateTimeOffset At { get; set; }
    }
}
