using Dapper;
using OpenCem.Storage;

namespace OpenCem.Actions.Webhooks;

/// <summary>
/// The deliveries table: leased by the sending process (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, so two servers
/// never hold one delivery; a lease runs out, so a dead process's deliveries are sent again), completed with the outcome
/// of each attempt, listed and redelivered by the API.
/// </summary>
public sealed class WebhookDeliveries(Database database, WebhookOptions options, TimeProvider time)
{
    private const string Columns =
        """
        id AS Id, webhook_id AS WebhookId, event_id AS EventId, event_type AS EventType, message_id AS MessageId, status AS Status, attempts AS Attempts,
        next_attempt_at AS NextAttemptAt, last_status_code AS LastStatusCode, last_error AS LastError, last_duration_ms AS LastDurationMs,
        created_at AS CreatedAt, delivered_at AS DeliveredAt
        """;

    private const string Due =
        "((status IN ('pending', 'failed') AND next_attempt_at <= @now) OR (status = 'delivering' AND lease_until < @now))";

    private static readonly Random Jitter = Random.Shared;

    /// <summary>The webhooks that have deliveries due now.</summary>
    public async Task<IReadOnlyList<long>> DueWebhooksAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            $"SELECT DISTINCT webhook_id FROM webhook_deliveries WHERE {Due}", new { now = Now() }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Leases up to <paramref name="limit"/> due deliveries of one webhook to <paramref name="owner"/>, oldest first.</summary>
    public async Task<IReadOnlyList<LeasedDelivery>> LeaseAsync(long webhookId, int limit, string owner, CancellationToken cancellationToken)
    {
        var now = Now();
        var until = now + (long)(options.Timeout + options.LeaseMargin).TotalMilliseconds;
        var skipLocked = database.Kind == DatabaseKind.Postgres ? "FOR UPDATE SKIP LOCKED" : "";
        await using var turn = await database.TakeWriteTurnAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = (await connection.QueryAsync<long>(
            $"""
            UPDATE webhook_deliveries SET status = 'delivering', lease_owner = @owner, lease_until = @until
            WHERE id IN (SELECT id FROM webhook_deliveries WHERE webhook_id = @webhookId AND {Due} ORDER BY next_attempt_at, id LIMIT @limit {skipLocked})
            RETURNING id
            """,
            new { webhookId, now, until, owner, limit }, transaction)).ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var leased = (await connection.QueryAsync<LeasedDelivery>(
            $"""
            SELECT d.id AS Id, d.webhook_id AS WebhookId, d.message_id AS MessageId, d.attempts AS Attempts, w.url AS Url, w.secret AS Secret, w.previous_secret AS PreviousSecret, w.previous_secret_until AS PreviousSecretUntil,
                   e.type AS EventType, e.payload AS Payload, e.occurred_at AS OccurredAt
            FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN events e ON e.id = d.event_id
            WHERE {SqlLists.In(connection, "d.id", "ids")} ORDER BY d.next_attempt_at, d.id
            """,
            new { ids }, transaction)).ToList();
        await transaction.CommitAsync(cancellationToken);
        return leased;
    }

    /// <summary>
    /// Records an attempt: delivered, or failed with the next try on the schedule, or dead after the last. Nothing when the
    /// lease was lost (it ran out and another process took the delivery, or the webhook was deleted).
    /// </summary>
    public async Task CompleteAsync(LeasedDelivery delivery, string owner, long startedAt, AttemptOutcome outcome)
    {
        var now = Now();
        var attempt = (int)delivery.Attempts + 1;
        var wait = outcome.Delivered ? null : RetrySchedule.NextWait(options.RetrySchedule, options.Jitter, attempt, Jitter.NextDouble());
        var status = outcome.Delivered ? DeliveryStatus.Delivered : wait is null ? DeliveryStatus.Dead : DeliveryStatus.Failed;
        await using var turn = await database.TakeWriteTurnAsync();
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var updated = await connection.ExecuteAsync(
            """
            UPDATE webhook_deliveries SET status = @status, attempts = @attempt, next_attempt_at = @next, lease_owner = NULL, lease_until = NULL,
                   last_status_code = @StatusCode, last_error = @Error, last_duration_ms = @DurationMs, delivered_at = @deliveredAt
            WHERE id = @Id AND lease_owner = @owner AND status = 'delivering'
            """,
            new
            {
                status,
                attempt,
                next = wait is { } w ? now + (long)w.TotalMilliseconds : now,
                outcome.StatusCode,
                outcome.Error,
                outcome.DurationMs,
                deliveredAt = outcome.Delivered ? now : (long?)null,
                delivery.Id,
                owner,
            },
            transaction);
        if (updated > 0)
        {
            WebhookTelemetry.Record(status, outcome);
            await connection.ExecuteAsync(
                """
                INSERT INTO webhook_attempts (delivery_id, attempt, started_at, status_code, error, duration_ms)
                VALUES (@Id, @attempt, @startedAt, @StatusCode, @Error, @DurationMs) ON CONFLICT DO NOTHING
                """,
                new { delivery.Id, attempt, startedAt, outcome.StatusCode, outcome.Error, outcome.DurationMs }, transaction);
        }

        await transaction.CommitAsync();
    }

    /// <summary>Gives a lease back without counting an attempt (the process is stopping): the next process sends it at once.</summary>
    public async Task ReleaseAsync(long id, string owner)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = @now, lease_owner = NULL, lease_until = NULL WHERE id = @id AND lease_owner = @owner AND status = 'delivering'",
            new { id, owner, now = Now() });
    }

    /// <summary>A webhook's deliveries, newest first, optionally of one status, after the cursor (a delivery id).</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> ListAsync(
        long workspaceId, long webhookId, string? status, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM webhook_deliveries WHERE workspace_id = @workspaceId AND webhook_id = @webhookId
            {(status is null ? "" : "AND status = @status")} {(before is null ? "" : "AND id < @before")}
            ORDER BY id DESC LIMIT @limit
            """,
            new { workspaceId, webhookId, status, before, limit }, cancellationToken: cancellationToken))).Select(r => r.ToDelivery()).ToList();
    }

    public async Task<WebhookDelivery?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition(
            $"SELECT {Columns} FROM webhook_deliveries WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id }, cancellationToken: cancellationToken)))?.ToDelivery();
    }

    /// <summary>Makes the delivery due now (dead ones too); false when an attempt is in flight.</summary>
    public async Task<bool> RedeliverAsync(long workspaceId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = @now, delivered_at = NULL
            WHERE workspace_id = @workspaceId AND id = @id AND status <> 'delivering'
            """,
            new { workspaceId, id, now = Now() }, cancellationToken: cancellationToken)) > 0;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
