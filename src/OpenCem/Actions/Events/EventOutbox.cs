using System.Data.Common;
using Dapper;

namespace OpenCem.Actions.Events;

/// <summary>
/// The outbox: events appended inside the transaction of the write they report, read in id order by the rule and
/// webhook workers. On PostgreSQL ids are handed out at insert, not at commit, so readers only trust ids below a
/// <see cref="Feedback.Distribution.CommitHorizon"/>.
/// </summary>
public static class EventOutbox
{
    public static async Task<long> AppendAsync(DbConnection connection, DbTransaction? transaction, OutboxEvent @event, long now)
    {
        const string Sql = """
            INSERT INTO events (workspace_id, type, customer_id, subject_id, payload, occurred_at, created_at)
            VALUES (@WorkspaceId, @Type, @CustomerId, @SubjectId, @Payload, @occurredAt, @now)
            RETURNING id
            """;
        return await connection.ExecuteScalarAsync<long>(Sql, new
        {
            @event.WorkspaceId,
            @event.Type,
            @event.CustomerId,
            @event.SubjectId,
            @event.Payload,
            occurredAt = @event.OccurredAt.ToUnixTimeMilliseconds(),
            now,
        }, transaction);
    }

    public static async Task AppendAllAsync(DbConnection connection, DbTransaction? transaction, IEnumerable<OutboxEvent> events, long now)
    {
        foreach (var @event in events)
        {
            await AppendAsync(connection, transaction, @event, now);
        }
    }

    /// <summary>
    /// Events with <paramref name="after"/> &lt; id &lt;= <paramref name="upTo"/> of all workspaces, in id order; inside
    /// <paramref name="transaction"/> when the reader holds its cursor's lease.
    /// </summary>
    public static async Task<IReadOnlyList<StoredEvent>> ReadAsync(
        DbConnection connection, long after, long upTo, int limit, CancellationToken cancellationToken = default, DbTransaction? transaction = null) =>
        (await connection.QueryAsync<StoredEvent>(new CommandDefinition(
            """
            SELECT id AS Id, workspace_id AS WorkspaceId, type AS Type, customer_id AS CustomerId, subject_id AS SubjectId,
                   payload AS Payload, occurred_at AS OccurredAt, created_at AS CreatedAt
            FROM events WHERE id > @after AND id <= @upTo ORDER BY id LIMIT @limit
            """,
            new { after, upTo, limit }, transaction, cancellationToken: cancellationToken))).ToList();

    public static Task<long> MaxIdAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(id), 0) FROM events", cancellationToken: cancellationToken));
}
