using Dapper;
using OpenCem.Actions.Notifications;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;

namespace OpenCem.Feedback.Advocates;

/// <summary>One invited or skipped customer, and why they were skipped.</summary>
public sealed record AdvocateInvitationResult(long CustomerId, string Status, string? Reason, long? InvitationId);

/// <summary>
/// Invites advocates to the referral or review programme by e-mail (queued for the notification sender), under the
/// workspace's contact rules: the same consent, open-case and frequency decision survey invitations get
/// (<see cref="ContactPolicy"/>), counting survey invitations and earlier programme invitations together, so nobody
/// is asked more often than the rules allow. Someone who is not (or no longer) an advocate is skipped too.
/// </summary>
public sealed class AdvocateInvitations(Database database, AdvocateQuery advocates, ContactRulesStore rulesStore, TimeProvider time)
{
    public const string Invited = "invited";
    public const string Skipped = "skipped";
    public static readonly IReadOnlyList<string> Programmes = ["referral", "review"];

    public async Task<IReadOnlyList<AdvocateInvitationResult>> InviteAsync(
        long workspaceId, IReadOnlyList<long> customerIds, string programme, CancellationToken cancellationToken = default)
    {
        var rules = await rulesStore.GetAsync(workspaceId, cancellationToken);
        var facts = await advocates.FactsAsync(workspaceId, null, customerIds, cancellationToken);
        var now = time.GetUtcNow();
        var at = now.ToUnixTimeMilliseconds();
        var results = new List<AdvocateInvitationResult>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.Kind == DatabaseKind.Postgres)
        {
            // The lock survey invitations take: one contact decision per workspace at a time.
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@lock, @ws::int)", new { @lock = InvitationStore.InvitationLock, ws = workspaceId }, transaction);
        }

        foreach (var customerId in customerIds.Distinct())
        {
            string? reason = facts.TryGetValue(customerId, out var f) && AdvocateScore.Of(f) is not null ? null : "not an advocate: no recommendation on record scores enough (or the latest NPS is a detractor's)";
            var (contact, language) = await InvitationStore.FactsAsync(
                connection, transaction, workspaceId, customerId, new InvitationTarget(new Respondent(customerId, [])), rules, now);
            if (reason is null && contact.Known)
            {
                // Programme invitations count against the same frequency rule as survey invitations.
                var since = rules.PeriodDays > 0 ? now.AddDays(-rules.PeriodDays).ToUnixTimeMilliseconds() : long.MaxValue;
                var earlier = await connection.QuerySingleAsync<(long Count, long? Last)>(
                    "SELECT count(*), max(created_at) FROM advocate_invitations WHERE workspace_id = @workspaceId AND customer_id = @customerId AND status = 'invited' AND created_at >= @since",
                    new { workspaceId, customerId, since }, transaction);
                var last = new[] { contact.LastInvitedAt?.ToUnixTimeMilliseconds(), earlier.Last }.Max();
                contact = contact with
                {
                    InvitationsInPeriod = contact.InvitationsInPeriod + (int)earlier.Count,
                    LastInvitedAt = last is { } l ? DateTimeOffset.FromUnixTimeMilliseconds(l) : null,
                };
            }

            reason ??= ContactPolicy.SuppressionReason(rules, contact, "email", SurveyAudience.Customers, now);
            long? notification = null;
            if (reason is null)
            {
                var (subject, body) = AdvocateMail.Compose(language, programme);
                notification = await NotificationQueue.EnqueueAsync(connection, transaction, workspaceId, null, contact.Address!, subject, body, at);
            }

            var id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO advocate_invitations (workspace_id, customer_id, programme, status, reason, notification_id, created_at)
                VALUES (@workspaceId, @customerId, @programme, @status, @reason, @notification, @at) RETURNING id
                """,
                new { workspaceId, customerId, programme, status = reason is null ? Invited : Skipped, reason, notification, at }, transaction);
            results.Add(new AdvocateInvitationResult(customerId, reason is null ? Invited : Skipped, reason, reason is null ? id : null));
        }

        await transaction.CommitAsync(cancellationToken);
        return results;
    }
}

/// <summary>The programme invitation's text in the customer's language.</summary>
public static class AdvocateMail
{
    public static (string Subject, string Body) Compose(string? language, string programme)
    {
        var german = language is not null && language.StartsWith("de", StringComparison.OrdinalIgnoreCase);
        return (programme, german) switch
        {
            ("review", true) => ("Erzählen Sie anderen von uns?", "Guten Tag,\n\nSie haben uns weiterempfohlen – danke! Würden Sie Ihre Erfahrung in einer kurzen öffentlichen Bewertung teilen?\n"),
            ("review", false) => ("Would you tell others about us?", "Hello,\n\nyou have recommended us - thank you! Would you share your experience in a short public review?\n"),
            (_, true) => ("Unser Empfehlungsprogramm", "Guten Tag,\n\nSie haben uns weiterempfohlen – danke! In unserem Empfehlungsprogramm erhalten Sie und Ihre Freunde für jede Empfehlung einen Bonus.\n"),
            _ => ("Our referral programme", "Hello,\n\nyou have recommended us - thank you! In our referral programme you and your friends get a bonus for every recommendation.\n"),
        };
    }
}
