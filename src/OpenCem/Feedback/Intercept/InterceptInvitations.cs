using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;

namespace OpenCem.Feedback.Intercept;

/// <summary>
/// The decision for one visitor in the sample: the invitation made for them (when the intercept may be shown), or
/// why not. <paramref name="Reason"/> names the customer's circumstances and is for OpenCem's users only.
/// </summary>
public sealed record InterceptOffer(long? InvitationId, long? CustomerId, string? Reason, string Language);

/// <summary>An intercept invitation as its answer needs it.</summary>
public sealed record InterceptInvitation(long Id, long SurveyId, long? CustomerId, string Status, string? Language, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);

/// <summary>
/// Intercepts as invitations (channel <c>intercept</c>), under the workspace's contact rules: a shown intercept is
/// an invitation row, so it counts towards the customer's contact frequency like an e-mail, and a suppression is a
/// row with its reason, listed with the survey's invitations. On top of the rules, a customer sees a survey's
/// intercept at most once per <see cref="MinimumPeriodDays"/> days (or the rules' period, when longer), and a
/// suppression is recorded once per customer, survey and period, not on every page view.
/// </summary>
public sealed class InterceptInvitations(Database database, RespondentLookup lookup, ContactRulesStore rulesStore, SurveyLinks links, TimeProvider time)
{
    public const string Channel = "intercept";
    public const int MinimumPeriodDays = 30;

    /// <summary>Decides for a visitor the sample selected; an eligible visitor gets a new invitation.</summary>
    public async Task<InterceptOffer> OfferAsync(StoredSurvey survey, Respondent visitor, string? language, CancellationToken cancellationToken = default)
    {
        var workspaceId = survey.WorkspaceId;
        var rules = await rulesStore.GetAsync(workspaceId, cancellationToken);
        if (await CustomerOfAsync(survey, visitor, rules, cancellationToken) is not { } customerId)
        {
            return new InterceptOffer(null, null, "no consent to surveys on record: the visitor is no known customer", InvitationStore.Language(survey.Definition, language));
        }

        // The link key is made (if new) before the transaction: SQLite allows one writer at a time.
        await links.EnsureKeyAsync(workspaceId, cancellationToken);
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.Kind == DatabaseKind.Postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@lock, @ws::int)", new { @lock = InvitationStore.InvitationLock, ws = workspaceId }, transaction);
        }

        var (facts, preferred) = await InvitationStore.FactsAsync(connection, transaction, workspaceId, customerId, new InvitationTarget(visitor), rules, now);
        var chosen = InvitationStore.Language(survey.Definition, language ?? preferred);
        var periodDays = Math.Max(rules.PeriodDays, MinimumPeriodDays);
        var earlier = await connection.QuerySingleAsync<(long? Shown, long Rows)>(
            """
            SELECT max(CASE WHEN status <> 'suppressed' THEN created_at END), count(*) FROM survey_invitations
            WHERE workspace_id = @workspaceId AND customer_id = @customerId AND survey_id = @survey AND channel = @channel AND created_at >= @since
            """,
            new { workspaceId, customerId, survey = survey.Id, channel = Channel, since = now.AddDays(-periodDays).ToUnixTimeMilliseconds() }, transaction);
        var reason = earlier.Shown is { } shown
            ? $"the intercept of this survey was already shown to the customer on {DateTimeOffset.FromUnixTimeMilliseconds(shown).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (at most once in {periodDays} days)"
            : ContactPolicy.SuppressionReason(rules, facts, Channel, survey.Definition.Audience, now);
        if (reason is not null && earlier.Rows > 0)
        {
            return new InterceptOffer(null, customerId, reason, chosen);
        }

        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO survey_invitations (workspace_id, survey_id, customer_id, channel, language, status, suppressed_reason, nonce, created_at, reminders)
            VALUES (@workspaceId, @survey, @customerId, @channel, @chosen, @status, @reason, @nonce, @now, 0)
            RETURNING id
            """,
            new
            {
                workspaceId,
                survey = survey.Id,
                customerId,
                channel = Channel,
                chosen,
                status = reason is null ? InvitationStatus.Created : InvitationStatus.Suppressed,
                reason,
                nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
                now = now.ToUnixTimeMilliseconds(),
            },
            transaction);
        await SurveyRollup.CountAsync(connection, transaction, [(workspaceId, survey.Id, reason is null ? SurveyStats.Invited : SurveyStats.Suppressed, 1L)]);
        await transaction.CommitAsync(cancellationToken);
        return new InterceptOffer(reason is null ? id : null, customerId, reason, chosen);
    }

    /// <summary>The intercept invitation with this id, or null when there is none (or it is of another channel).</summary>
    public async Task<InterceptInvitation?> FindAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(long SurveyId, long? CustomerId, string Status, string? Language, long CreatedAt, long? CompletedAt)?>(
            """
            SELECT survey_id, customer_id, status, language, created_at, completed_at FROM survey_invitations
            WHERE workspace_id = @workspaceId AND id = @id AND channel = @channel
            """,
            new { workspaceId, id, channel = Channel });
        return row is { } r
            ? new InterceptInvitation(id, r.SurveyId, r.CustomerId, r.Status, r.Language, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
                r.CompletedAt is { } completed ? DateTimeOffset.FromUnixTimeMilliseconds(completed) : null)
            : null;
    }

    /// <summary>
    /// The visitor's profile. A visitor nobody knows is shown the intercept only where the rules do not require
    /// consent (there is none on record for a stranger); they then get a profile of the <c>surveys</c> source, so
    /// that the contact rules count what they were shown, and identity resolution joins it to the customer once
    /// the same id turns up elsewhere.
    /// </summary>
    private async Task<long?> CustomerOfAsync(StoredSurvey survey, Respondent visitor, ContactRules rules, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if ((await RespondentLookup.FindAsync(connection, null, survey.WorkspaceId, [visitor])).TryGetValue(visitor, out var known))
        {
            return known;
        }

        if (rules.Consent == ConsentRule.Required && survey.Definition.Audience == SurveyAudience.Customers)
        {
            return null;
        }

        await lookup.CreateProfilesAsync(survey.WorkspaceId, [visitor], cancellationToken);
        return (await RespondentLookup.FindAsync(connection, null, survey.WorkspaceId, [visitor])).TryGetValue(visitor, out var created) ? created : null;
    }
}
