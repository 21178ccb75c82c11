using System.Data.Common;
using Dapper;
using OpenCem.Actions.Events;
using OpenCem.Storage;

namespace OpenCem.Actions.Webhooks;

/// <summary>
/// Turns outbox events into deliveries: reads the events after the <c>webhooks</c> cursor, up to the first gap that may
/// still fill (<see cref="OutboxGaps"/>), and inserts one pending delivery per target webhook in the transaction that
/// advances the cursor, so each webhook gets each event exactly once (the unique key makes a replay harmless as well).
/// </summary>
public sealed class WebhookFanOut(Database database, WebhookOptions options, TimeProvider time)
{
    public const string Reader = "webhooks";
    private const int BatchSize = 1000;
    private static readonly TimeSpan PostgresSettle = TimeSpan.FromMinutes(5);
    private readonly OutboxGaps _gaps = new();
    private readonly SemaphoreSlim _pass = new(1, 1);
    private long _read;

    private TimeSpan Settle => options.Settle ?? (database.Kind == DatabaseKind.Postgres ? PostgresSettle : TimeSpan.Zero);

    /// <summary>Reads the outbox as far as it can; returns how many deliveries were created.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            // Nothing new since this process last advanced the cursor: no write transaction (on SQLite it would queue behind ingestion's writer).
            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                if (await EventOutbox.MaxIdAsync(connection, cancellationToken) <= Volatile.Read(ref _read))
                {
                    return 0;
                }
            }

            var created = 0;
            while (await BatchAsync(cancellationToken) is (var deliveries, var more))
            {
                created += deliveries;
                if (!more)
                {
                    break;
                }
            }

            return created;
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <returns>Deliveries created and whether a full batch was read (more may follow); null when another process holds the cursor.</returns>
    private async Task<(int Created, bool More)?> BatchAsync(CancellationToken cancellationToken)
    {
        await using var turn = await database.TakeWriteTurnAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (await OutboxCursor.LeaseAsync(connection, transaction, database.Kind, Reader, now.ToUnixTimeMilliseconds()) is not { } position)
        {
            return null;
        }

        var events = await EventOutbox.ReadAsync(connection, position, long.MaxValue, BatchSize, cancellationToken, transaction);
        var transactions = database.Kind == DatabaseKind.Postgres && events.Count > 0 ? await TransactionsAsync(connection, transaction) : ((long, long)?)null;
        var upTo = _gaps.Advance(position, events.Select(e => e.Id).ToList(), now, Settle, transactions);
        if (upTo == position)
        {
            if (events.Count == 0)
            {
                // Another process read up to here.
                Volatile.Write(ref _read, position);
            }

            return (0, false);
        }

        var webhooks = await WebhookStore.EnabledAsync(connection, transaction);
        var deliveries = events.TakeWhile(e => e.Id <= upTo)
            .SelectMany(e => WebhookTargets.For(e, webhooks).Select(w => new PendingDelivery(e, w, now.ToUnixTimeMilliseconds())))
            .ToList();
        var created = 0;
        foreach (var delivery in deliveries)
        {
            created += await InsertAsync(connection, transaction, delivery);
        }

        await OutboxCursor.SaveAsync(connection, transaction, Reader, upTo, now.ToUnixTimeMilliseconds());
        await transaction.CommitAsync(cancellationToken);
        Volatile.Write(ref _read, upTo);
        return (created, events.Count == BatchSize && upTo == events[^1].Id);
    }

    /// <summary>PostgreSQL's oldest running transaction id and the next one to be handed out (see <see cref="OutboxGaps"/>).</summary>
    private static async Task<(long Oldest, long Next)> TransactionsAsync(DbConnection connection, DbTransaction transaction)
    {
        var row = await connection.QuerySingleAsync<TransactionIds>(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS Oldest, pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS Next",
            transaction: transaction);
        return (row.Oldest, row.Next);
    }

    private static Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, PendingDelivery delivery) =>
        connection.ExecuteAsync(
            """
            INSERT INTO webhook_deliveries (workspace_id, webhook_id, event_id, event_type, message_id, status, attempts, next_attempt_at, created_at)
            VALUES (@WorkspaceId, @WebhookId, @EventId, @EventType, @MessageId, @Status, 0, @Now, @Now)
            ON CONFLICT (webhook_id, event_id) DO NOTHING
            """,
            delivery, transaction);

    private sealed class TransactionIds
    {
        public long Oldest { get; set; }

        public long Next { get; set; }
    }

    private sealed class PendingDelivery(StoredEvent @event, WebhookRow webhook, long now)
    {
        public long WorkspaceId => webhook.WorkspaceId;

        public long WebhookId => webhook.Id;

        public long EventId => @event.Id;

        public string EventType => @event.Type;

        public string MessageId { get; } = WebhookSignature.NewMessageId();

        public string Status => DeliveryStatus.Pending;

        public long Now => now;
    }
}
