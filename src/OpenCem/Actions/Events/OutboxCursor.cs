using System.Data.Common;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Actions.Events;

/// <summary>
/// A reader's position in the outbox, kept in the same transaction as the effects of the events it has read, so a
/// crash before commit rereads them and a commit never loses them: each event is acted on exactly once per reader.
/// On PostgreSQL the row is the lease: a second server process skips a batch another one holds.
/// </summary>
public static class OutboxCursor
{
    /// <summary>
    /// Locks the reader's cursor for the transaction and returns its position (0 for a new reader), or null on
    /// PostgreSQL when another process holds it.
    /// </summary>
    public static async Task<long?> LeaseAsync(DbConnection connection, DbTransaction transaction, DatabaseKind kind, string reader, long now)
    {
        await connection.ExecuteAsync(
            "INSERT INTO outbox_cursors (reader, position, updated_at) VALUES (@reader, 0, @now) ON CONFLICT (reader) DO NOTHING",
            new { reader, now }, transaction);
        if (kind == DatabaseKind.Sqlite)
        {
            // The insert above made this a write transaction: SQLite's single writer is the lease.
            return await connection.ExecuteScalarAsync<long>("SELECT position FROM outbox_cursors WHERE reader = @reader", new { reader }, transaction);
        }

        return await connection.ExecuteScalarAsync<long?>(
            "SELECT position FROM outbox_cursors WHERE reader = @reader FOR UPDATE SKIP LOCKED", new { reader }, transaction);
    }

    public static Task SaveAsync(DbConnection connection, DbTransaction transaction, string reader, long position, long now) =>
        connection.ExecuteAsync(
            "UPDATE outbox_cursors SET position = @position, updated_at = @now WHERE reader = @reader",
            new { reader, position, now }, transaction);
}
