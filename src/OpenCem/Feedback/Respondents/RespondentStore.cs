using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using OpenCem.Actions.Events;
using OpenCem.Analytics.Metrics;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;

namespace OpenCem.Feedback.Respondents;

/// <summary>An invitation as the respondent page needs it, with its response (if any) from the same query.</summary>
public sealed class InvitationState
{
    public long Id { get; set; }

    public long SurveyId { get; set; }

    public long? CustomerId { get; set; }

    public string Channel { get; set; } = "";

    public string? Language { get; set; }

    public string Status { get; set; } = "";

    public long CreatedAt { get; set; }

    public long? SentAt { get; set; }

    public string? ResponseStatus { get; set; }

    public string? Answers { get; set; }
}

/// <summary>
/// The respondent page's reads and writes: one indexed query for an invitation and its response; page saves as
/// one <c>partial</c> response per invitation (the unique (workspace, invitation) index makes it an upsert); and
/// completion, which in one transaction completes the response and the invitation and folds the response into the
/// rollups, so the summary never disagrees with the responses.
/// </summary>
public sealed class RespondentStore(Database database, OutboxWake? wake = null)
{
    /// <summary>The statuses in which an invitation still takes answers.</summary>
    private const string Answerable = "('created', 'pending', 'sent', 'opened', 'started', 'failed')";

    /// <summary>The identity lock (see <see cref="ResponseWriter"/>): taken shared, so no profile merge moves customer_id under us.</summary>
    private const int IdentityLock = 727275;

    private const string Upsert =
        """
        INSERT INTO survey_responses (workspace_id, survey_id, invitation_id, customer_id, interaction_id, touchpoint_id, channel, language, source,
            status, answers, nps, csat, ces, overall, comment, submitted_at, created_at, updated_at)
        VALUES (@ws, @survey, @invitation, @CustomerId, @InteractionId, @TouchpointId, @Channel, @language, 'web',
            @status, @answers, @Nps, @Csat, @Ces, @Overall, @Comment, @now, @now, @now)
        ON CONFLICT (workspace_id, invitation_id) DO UPDATE SET customer_id = excluded.customer_id, language = excluded.language,
            status = excluded.status, answers = excluded.answers, nps = excluded.nps, csat = excluded.csat, ces = excluded.ces,
            overall = excluded.overall, comment = excluded.comment, submitted_at = excluded.submitted_at, updated_at = excluded.updated_at
        WHERE survey_responses.status = 'partial'
        """;

    public async Task<InvitationState?> FindAsync(long workspaceId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<InvitationState>(
            """
            SELECT i.id AS Id, i.survey_id AS SurveyId, i.customer_id AS CustomerId, i.channel AS Channel, i.language AS Language, i.status AS Status,
                i.created_at AS CreatedAt, i.sent_at AS SentAt, r.status AS ResponseStatus, r.answers AS Answers
            FROM survey_invitations i LEFT JOIN survey_responses r ON r.workspace_id = i.workspace_id AND r.invitation_id = i.id
            WHERE i.workspace_id = @workspaceId AND i.id = @id
            """,
            new { workspaceId, id });
    }

    /// <summary>The respondent opened the link: a created, pending or sent invitation becomes opened.</summary>
    public async Task MarkOpenedAsync(long workspaceId, long id, long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE survey_invitations SET status = 'opened', opened_at = @now WHERE workspace_id = @workspaceId AND id = @id AND status IN ('created', 'pending', 'sent')",
            new { workspaceId, id, now });
    }

    /// <summary>Saves the answers so far as the invitation's partial response; false when it no longer takes answers.</summary>
    public Task<bool> SaveAsync(StoredSurvey survey, long invitationId, string language, Answers answers, long now, CancellationToken cancellationToken) =>
        WriteAsync(survey, invitationId, language, answers, complete: false, now, cancellationToken);

    /// <summary>Completes the invitation's response and the invitation, and counts it; false when it was completed already.</summary>
    public Task<bool> CompleteAsync(StoredSurvey survey, long invitationId, string language, Answers answers, long now, CancellationToken cancellationToken) =>
        WriteAsync(survey, invitationId, language, answers, complete: true, now, cancellationToken);

    /// <summary>
    /// A first answer through a survey's open link: a personal invitation (channel <c>open</c>, nobody's, not counted as
    /// invited) with its partial or completed response; returns the invitation's id. Through an employee's personal
    /// link (<paramref name="employeeLink"/>) the link is used up in the same transaction, and nothing ties the two:
    /// null when the link was used already.
    /// </summary>
    public async Task<long?> StartOpenAsync(
        StoredSurvey survey, string language, Answers answers, bool complete, long now, CancellationToken cancellationToken, long? employeeLink = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (employeeLink is { } link && await connection.ExecuteAsync(
            "UPDATE employee_links SET used = 1 WHERE workspace_id = @ws AND survey_id = @survey AND id = @link AND used = 0",
            new { ws = survey.WorkspaceId, survey = survey.Id, link }, transaction) != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }

        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO survey_invitations (workspace_id, survey_id, customer_id, channel, address, language, interaction_id, touchpoint_id, status,
                suppressed_reason, nonce, created_at, send_at, reminders, opened_at, completed_at)
            VALUES (@ws, @survey, NULL, 'open', NULL, @language, NULL, NULL, @status, NULL, @nonce, @now, NULL, 0, @now, @completedAt)
            RETURNING id
            """,
            new
            {
                ws = survey.WorkspaceId,
                survey = survey.Id,
                language,
                status = complete ? InvitationStatus.Completed : InvitationStatus.Started,
                nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
                now,
                completedAt = complete ? now : (long?)null,
            },
            transaction);
        await StoreResponseAsync(connection, transaction, survey, id, new Invited { Channel = "open" }, language, answers, complete, now);
        await transaction.CommitAsync(cancellationToken);
        wake?.Wake();
        return id;
    }

    private async Task<bool> WriteAsync(StoredSurvey survey, long invitationId, string language, Answers answers, bool complete, long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.Kind == DatabaseKind.Postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock_shared(@lock, @ws::int)", new { @lock = IdentityLock, ws = survey.WorkspaceId }, transaction);
        }

        // The invitation row decides: once completed (by a concurrent submit too) it takes nothing more.
        var invited = await connection.QuerySingleOrDefaultAsync<Invited>(
            $"""
            UPDATE survey_invitations SET status = @status, opened_at = coalesce(opened_at, @now), completed_at = @completedAt
            WHERE workspace_id = @ws AND id = @invitationId AND status IN {Answerable}
            RETURNING customer_id AS CustomerId, interaction_id AS InteractionId, touchpoint_id AS TouchpointId, channel AS Channel
            """,
            new
            {
                ws = survey.WorkspaceId,
                invitationId,
                status = complete ? InvitationStatus.Completed : InvitationStatus.Started,
                now,
                completedAt = complete ? now : (long?)null,
            },
            transaction);
        if (invited is null || !await StoreResponseAsync(connection, transaction, survey, invitationId, invited, language, answers, complete, now))
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        wake?.Wake();
        return true;
    }

    private static async Task<bool> StoreResponseAsync(
        DbConnection connection, DbTransaction transaction, StoredSurvey survey, long invitationId, Invited invited, string language, Answers answers, bool complete, long now)
    {
        var answersJson = answers.ToJson(survey.Definition);
        var scores = complete ? ResponseScores.Of(survey.Definition, answers) : default;
        var stored = await connection.ExecuteAsync(Upsert, new
        {
            ws = survey.WorkspaceId,
            survey = survey.Id,
            invitation = invitationId,
            invited.CustomerId,
            invited.InteractionId,
            invited.TouchpointId,
            invited.Channel,
            language,
            status = complete ? ResponseStatus.Completed : ResponseStatus.Partial,
            answers = answersJson,
            scores.Nps,
            scores.Csat,
            scores.Ces,
            scores.Overall,
            scores.Comment,
            now,
        }, transaction);
        if (stored != 1)
        {
            return false;
        }

        if (complete)
        {
            var item = new ResponseItem
            {
                WorkspaceId = survey.WorkspaceId,
                SurveyId = survey.Id,
                Respondent = Respondent.Anonymous,
                InvitationId = invitationId,
                CustomerId = invited.CustomerId,
                InteractionId = invited.InteractionId,
                TouchpointId = invited.TouchpointId,
                Channel = invited.Channel,
                Language = language,
                Source = "web",
                AnswersJson = answersJson,
                Scores = scores,
                SubmittedAt = now,
            };
            await SurveyRollup.AddAsync(connection, transaction, SurveyRollup.Deltas([item]));
            await MetricRollup.AddAsync(connection, transaction, [item]);
            List<(long, long, string, long)> counts = [(survey.WorkspaceId, survey.Id, SurveyStats.Completed, 1)];
            if (invited.CustomerId is not null)
            {
                counts.Add((survey.WorkspaceId, survey.Id, SurveyStats.CompletedInvited, 1));
            }

            await SurveyRollup.CountAsync(connection, transaction, counts);
            item.Id = await connection.ExecuteScalarAsync<long>(
                "SELECT id FROM survey_responses WHERE workspace_id = @ws AND invitation_id = @invitationId", new { ws = survey.WorkspaceId, invitationId }, transaction);
            if (!AnonymousResponses.Applies(survey.Definition))
            {
                // An employee's answer never leaves as an event: rules and webhooks would hand it on one by one.
                await EventOutbox.AppendAsync(connection, transaction, ResponseEvents.Submitted(item), now);
            }
        }

        return true;
    }

    /// <summary>What the response takes over from its invitation.</summary>
    private sealed class Invited
    {
        public long? CustomerId { get; set; }

        public long? InteractionId { get; set; }

        public long? TouchpointId { get; set; }

        public string Channel { get; set; } = "";
    }
}
