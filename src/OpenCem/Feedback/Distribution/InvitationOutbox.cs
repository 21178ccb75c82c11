using System.Data.Common;
using Dapper;
using OpenCem.Feedback.Invitations;
using OpenCem.Storage;

namespace OpenCem.Feedback.Distribution;

/// <summary>An e-mail invitation a dispatcher has claimed: everything needed to compose its mail and record the outcome.</summary>
public sealed class ClaimedInvitation
{
    public long Id { get; set; }

    public long WorkspaceId { get; set; }

    public long SurveyId { get; set; }

    public long? CustomerId { get; set; }

    public string? Address { get; set; }

    public string? Language { get; set; }

    /// <summary>Tries of the current mail, this one included.</summary>
    public int Attempts { get; set; }

    public int Reminders { get; set; }

    public long? SentAt { get; set; }

    public long? RemindedAt { get; set; }
}

/// <summary>What to write back for one claimed invitation.</summary>
public enum OutboxChange
{
    /// <summary>The invitation was accepted by the SMTP server; <c>At</c> is when to remind (or null).</summary>
    Sent,

    /// <summary>Back to pending, to be tried again at <c>At</c>.</summary>
    Retry,

    /// <summary>Given up: status failed with the error.</summary>
    Failed,

    /// <summary>Not tried (shutdown): back to pending at <c>At</c>, the try not counted.</summary>
    Release,

    /// <summary>Not sent because the survey was closed or deleted: status expired with the reason.</summary>
    Withdraw,

    /// <summary>A reminder was accepted; <c>At</c> is when to remind again (or null).</summary>
    Reminded,

    /// <summary>The reminder is due at <c>At</c> (a retry after an error, or later settings); the try is counted only with an error.</summary>
    RescheduleReminder,

    /// <summary>No more reminders for this invitation (limit reached, survey closed, or given up with the error).</summary>
    StopReminders,
}

/// <summary>One change to record; <paramref name="At"/> is a time in UTC milliseconds.</summary>
public sealed record OutboxUpdate(long Id, OutboxChange Change, long? At = null, string? Error = null);

/// <summary>
/// The e-mail invitations waiting to be sent, as a queue in the <c>survey_invitations</c> table. Claiming is atomic,
/// so several server processes on one database never send the same mail: on PostgreSQL the candidate rows are
/// locked with <c>FOR UPDATE SKIP LOCKED</c> (a second dispatcher takes the next rows instead of waiting), on SQLite
/// the single <c>UPDATE ... RETURNING</c> runs under the one write lock. A claim is a lease: a claimed invitation
/// that is not recorded within <see cref="Lease"/> (the process died mid-batch) becomes due again — at-least-once
/// delivery, so such a crash can send a mail twice but never loses one.
/// </summary>
public sealed class InvitationOutbox(Database database)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private const string Returning = """
        RETURNING id AS Id, workspace_id AS WorkspaceId, survey_id AS SurveyId, customer_id AS CustomerId, address AS Address,
            language AS Language, attempts AS Attempts, reminders AS Reminders, sent_at AS SentAt, reminded_at AS RemindedAt
        """;

    /// <summary>Claims up to <paramref name="limit"/> e-mail invitations that are due (pending, or a lapsed claim).</summary>
    public Task<IReadOnlyList<ClaimedInvitation>> ClaimInvitationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        ClaimAsync(
            $"""
            UPDATE survey_invitations SET status = '{InvitationStatus.Sending}', send_at = @lease, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM survey_invitations
                WHERE status IN ('{InvitationStatus.Pending}', '{InvitationStatus.Sending}') AND send_at <= @now AND channel = 'email'
                ORDER BY send_at LIMIT @limit {SkipLocked})
            {Returning}
            """,
            now, limit, cancellationToken);

    /// <summary>Claims up to <paramref name="limit"/> invitations whose reminder is due; their status stays as it is.</summary>
    public Task<IReadOnlyList<ClaimedInvitation>> ClaimRemindersAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        ClaimAsync(
            $"""
            UPDATE survey_invitations SET remind_at = @lease, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM survey_invitations
                WHERE status IN ('{InvitationStatus.Sent}', '{InvitationStatus.Opened}', '{InvitationStatus.Started}') AND remind_at <= @now AND channel = 'email'
                ORDER BY remind_at LIMIT @limit {SkipLocked})
            {Returning}
            """,
            now, limit, cancellationToken);

    /// <summary>Records the outcomes of a batch in one transaction.</summary>
    public async Task RecordAsync(IReadOnlyList<OutboxUpdate> updates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var update in updates)
        {
            await RecordAsync(connection, transaction, update, now.ToUnixTimeMilliseconds());
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private string SkipLocked => database.Kind == DatabaseKind.Postgres ? "FOR UPDATE SKIP LOCKED" : "";

    private async Task<IReadOnlyList<ClaimedInvitation>> ClaimAsync(string sql, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = (await connection.QueryAsync<ClaimedInvitation>(
            new CommandDefinition(
                sql,
                new { now = now.ToUnixTimeMilliseconds(), lease = (now + Lease).ToUnixTimeMilliseconds(), limit },
                transaction,
                cancellationToken: cancellationToken))).ToList();
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private static Task RecordAsync(DbConnection connection, DbTransaction transaction, OutboxUpdate update, long now)
    {
        // Only a row still claimed ('sending') is moved on; if the respondent opened the link meanwhile (the API hands
        // out e-mail invitations' links too), their progress is kept and only the sending facts are written.
        var sql = update.Change switch
        {
            OutboxChange.Sent => $"""
                UPDATE survey_invitations SET status = CASE WHEN status = '{InvitationStatus.Sending}' THEN '{InvitationStatus.Sent}' ELSE status END,
                    sent_at = @now, attempts = 0, error = NULL, remind_at = @At
                WHERE id = @Id
                """,
            OutboxChange.Retry => $"UPDATE survey_invitations SET status = '{InvitationStatus.Pending}', send_at = @At, error = @Error WHERE id = @Id AND status = '{InvitationStatus.Sending}'",
            OutboxChange.Failed => $"UPDATE survey_invitations SET status = '{InvitationStatus.Failed}', error = @Error WHERE id = @Id AND status = '{InvitationStatus.Sending}'",
            OutboxChange.Release => $"UPDATE survey_invitations SET status = '{InvitationStatus.Pending}', send_at = @At, attempts = attempts - 1 WHERE id = @Id AND status = '{InvitationStatus.Sending}'",
            OutboxChange.Withdraw => $"UPDATE survey_invitations SET status = '{InvitationStatus.Expired}', error = @Error WHERE id = @Id AND status = '{InvitationStatus.Sending}'",
            OutboxChange.Reminded => "UPDATE survey_invitations SET reminders = reminders + 1, reminded_at = @now, attempts = 0, error = NULL, remind_at = @At WHERE id = @Id",
            OutboxChange.RescheduleReminder => """
                UPDATE survey_invitations SET remind_at = @At, error = COALESCE(@Error, error),
                    attempts = CASE WHEN @Error IS NULL THEN attempts - 1 ELSE attempts END
                WHERE id = @Id
                """,
            OutboxChange.StopReminders => "UPDATE survey_invitations SET remind_at = NULL, attempts = 0, error = COALESCE(@Error, error) WHERE id = @Id",
        };
        return connection.ExecuteAsync(sql, new { update.Id, update.At, update.Error, now }, transaction);
    }
}
