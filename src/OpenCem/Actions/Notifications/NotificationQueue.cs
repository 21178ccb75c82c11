using System.Data.Common;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Actions.Notifications;

/// <summary>A notification e-mail waiting to be sent, as the sender claims it.</summary>
public sealed class QueuedNotification
{
    public long Id { get; set; }

    public string Recipient { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Body { get; set; } = "";

    public long Attempts { get; set; }
}

/// <summary>
/// The <c>notifications</c> table: rows queued in a rule's transaction, claimed by one sender at a time
/// (<c>SKIP LOCKED</c> on PostgreSQL), sent, and retried with growing pauses until <see cref="MaxAttempts"/>.
/// A claim left behind by a crashed sender is taken again after <see cref="ClaimTimeout"/> (at least once).
/// </summary>
public static class NotificationQueue
{
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const int MaxAttempts = 5;
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(10);

    public static Task<long> EnqueueAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, long? ruleId, string recipient, string subject, string body, long now) =>
        connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO notifications (workspace_id, rule_id, recipient, subject, body, status, attempts, next_attempt_at, created_at)
            VALUES (@workspaceId, @ruleId, @recipient, @subject, @body, 'queued', 0, @now, @now)
            RETURNING id
            """,
            new { workspaceId, ruleId, recipient, subject, body, now }, transaction);

    public static async Task<IReadOnlyList<QueuedNotification>> ClaimAsync(Database database, int limit, long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stale = now - (long)ClaimTimeout.TotalMilliseconds;
        var due = (await connection.QueryAsync<QueuedNotification>(
            $"""
            SELECT id AS Id, recipient AS Recipient, subject AS Subject, body AS Body, attempts AS Attempts FROM notifications
            WHERE (status = 'queued' AND next_attempt_at <= @now) OR (status = 'sending' AND next_attempt_at <= @stale)
            ORDER BY id LIMIT @limit{(database.Kind == DatabaseKind.Postgres ? " FOR UPDATE SKIP LOCKED" : "")}
            """,
            new { now, stale, limit }, transaction)).ToList();
        foreach (var notification in due)
        {
            await connection.ExecuteAsync(
                "UPDATE notifications SET status = 'sending', next_attempt_at = @now WHERE id = @Id", new { notification.Id, now }, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        return due;
    }

    public static async Task CompleteAsync(Database database, QueuedNotification notification, string? error, long now, CancellationToken cancellationToken)
    {
        var attempts = notification.Attempts + 1;
        var status = error is null ? Sent : attempts >= MaxAttempts ? Failed : Queued;
        // One, two, four, eight minutes between attempts.
        var next = now + (60_000L << (int)Math.Min(attempts - 1, 10));
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE notifications SET status = @status, attempts = @attempts, error = @error, next_attempt_at = @next,
                   sent_at = CASE WHEN @status = 'sent' THEN @now ELSE sent_at END
            WHERE id = @Id
            """,
            new { status, attempts, error, next, now, notification.Id });
    }
}
