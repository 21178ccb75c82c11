using System.Text.Json;
using Dapper;
using OpenCem.Customers;
using OpenCem.Customers.Storage;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;
using OpenCem.Interactions;
using OpenCem.Storage;

namespace OpenCem.Demo;

/// <summary>
/// Stores what the demo customers said, after their interactions and profiles: the surveys (through the survey
/// store), the past invitations of the transactional surveys (counted in <c>survey_stats</c>), the responses
/// (validated against their survey and stored through the <see cref="ResponseWriter"/>, so the rollups fill as they
/// do in production) and the signals. Interactions are found by the message ids the generator gave their events.
/// </summary>
internal sealed class DemoFeedbackLoader(Database database, TimeProvider time)
{
    private const int BatchSize = 5_000;

    public async Task<(long Responses, long Signals)> LoadAsync(
        long workspaceId, DemoOptions options, IReadOnlyList<DemoCustomerFeedback> customers, TouchpointResolver touchpoints, CancellationToken cancellationToken)
    {
        var surveys = await CreateSurveysAsync(workspaceId, cancellationToken);
        var invitations = customers.SelectMany(c => c.Invitations).OrderBy(i => i.CreatedAt).ThenBy(i => i.Nonce, StringComparer.Ordinal).ToList();
        var responses = customers.SelectMany(c => c.Responses).Concat(DemoCompany.EmployeeResponses(options))
            .OrderBy(r => r.SubmittedAt).ThenBy(r => r.ExternalId, StringComparer.Ordinal).ToList();
        var signals = customers.SelectMany(c => c.Signals).OrderBy(s => s.OccurredAt).ThenBy(s => s.ExternalId, StringComparer.Ordinal).ToList();

        var respondents = customers.ToDictionary(c => c.UserId, c => new Respondent(null, [new Identifier(IdentifierKinds.UserId, c.UserId)]), StringComparer.Ordinal);
        var interactions = await InteractionIdsAsync(
            workspaceId, invitations.Select(i => i.InteractionMessageId).Concat(responses.Select(r => r.InteractionMessageId).OfType<string>()), cancellationToken);
        Dictionary<Respondent, long> profiles;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            profiles = await RespondentLookup.FindAsync(connection, null, workspaceId, respondents.Values);
        }

        long? ProfileOf(string? userId) => userId is not null && profiles.TryGetValue(respondents[userId], out var id) ? id : null;

        var invitationIds = await InsertInvitationsAsync(workspaceId, invitations, surveys, touchpoints, interactions, ProfileOf, cancellationToken);
        var writer = new ResponseWriter(database, new RespondentLookup(new IdentityService(database, time)), time) { AppendsEvents = false };
        foreach (var batch in responses.Chunk(BatchSize))
        {
            var items = batch.Select(r => Item(workspaceId, r, surveys[r.Survey], r.UserId is null ? Respondent.Anonymous : respondents[r.UserId], touchpoints,
                interactions, invitationIds)).ToList();
            await writer.WriteAsync(items, cancellationToken);
        }

        await InsertSignalsAsync(workspaceId, signals, touchpoints, ProfileOf, cancellationToken);
        return (responses.Count, signals.Count);
    }

    private async Task<Dictionary<string, StoredSurvey>> CreateSurveysAsync(long workspaceId, CancellationToken cancellationToken)
    {
        var store = new SurveyStore(database, time);
        var surveys = new Dictionary<string, StoredSurvey>(StringComparer.Ordinal);
        foreach (var survey in DemoSurveys.All)
        {
            var definition = SurveyDefinitionParser.Parse(survey.Definition);
            if (survey.Settings.Validate(definition) is { Count: > 0 } problems)
            {
                throw new InvalidOperationException($"Demo survey {survey.Key}: {string.Join("; ", problems.Select(p => $"{p.Key} {string.Join(" ", p.Value)}"))}");
            }

            var id = await store.CreateAsync(workspaceId, survey.Name, definition, survey.Definition, survey.Settings, cancellationToken);
            surveys[survey.Key] = (await store.GetAsync(workspaceId, id, cancellationToken))!;
        }

        return surveys;
    }

    /// <summary>A generated response, checked as the API checks a submitted one; a demo response that does not fit is a bug.</summary>
    private static ResponseItem Item(
        long workspaceId, DemoResponse response, StoredSurvey survey, Respondent respondent, TouchpointResolver touchpoints,
        Dictionary<string, long> interactions, Dictionary<string, long> invitations)
    {
        var errors = new Dictionary<string, string[]>();
        using var json = JsonDocument.Parse(response.AnswersJson);
        var answers = SurveyLogic.Read(survey.Definition, json.RootElement, errors);
        SurveyLogic.Complete(survey.Definition, answers, errors, language: response.Language);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"Demo response {response.ExternalId} does not fit survey {response.Survey}: {string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(" ", e.Value)}"))}");
        }

        var touchpoint = response.Touchpoint is null ? null : touchpoints.Find(response.Touchpoint);
        return new ResponseItem
        {
            WorkspaceId = workspaceId,
            SurveyId = survey.Id,
            Respondent = respondent,
            InvitationId = response.InvitationNonce is null ? null : invitations[response.InvitationNonce],
            InteractionId = response.InteractionMessageId is null ? null : interactions[response.InteractionMessageId],
            TouchpointId = touchpoint?.Id,
            Channel = touchpoint?.Channel,
            Language = response.Language,
            Source = "web",
            ExternalId = AnonymousResponses.Applies(survey.Definition) ? AnonymousResponses.ExternalId(response.ExternalId) : response.ExternalId,
            Anonymous = AnonymousResponses.Applies(survey.Definition),
            AnswersJson = answers.ToJson(survey.Definition),
            Scores = ResponseScores.Of(survey.Definition, answers),
            SubmittedAt = response.SubmittedAt.ToUnixTimeMilliseconds(),
        };
    }

    /// <summary>
    /// The stored ids of the interactions with these message ids. Demo events carry no client timestamp, so each is
    /// one probe of the unique index on (workspace, client timestamp 0, message id).
    /// </summary>
    private async Task<Dictionary<string, long>> InteractionIdsAsync(long workspaceId, IEnumerable<string> messageIds, CancellationToken cancellationToken)
    {
        var wanted = messageIds.Distinct(StringComparer.Ordinal).ToList();
        var found = new Dictionary<string, long>(wanted.Count, StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Kind == DatabaseKind.Postgres)
        {
            foreach (var chunk in wanted.Chunk(10_000))
            {
                foreach (var (messageId, id) in await connection.QueryAsync<(string, long)>(
                    "SELECT k.m, i.id FROM unnest(@chunk::text[]) AS k(m) JOIN interactions i ON i.workspace_id = @workspaceId AND i.client_ts = 0 AND i.message_id = k.m",
                    new { workspaceId, chunk }))
                {
                    found[messageId] = id;
                }
            }
        }
        else
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id FROM interactions WHERE workspace_id = $ws AND client_ts = 0 AND message_id = $m";
            var ws = command.CreateParameter();
            ws.ParameterName = "$ws";
            ws.Value = workspaceId;
            var m = command.CreateParameter();
            m.ParameterName = "$m";
            command.Parameters.Add(ws);
            command.Parameters.Add(m);
            await command.PrepareAsync(cancellationToken);
            foreach (var messageId in wanted)
            {
                m.Value = messageId;
                if (await command.ExecuteScalarAsync(cancellationToken) is long id)
                {
                    found[messageId] = id;
                }
            }
        }

        if (found.Count != wanted.Count)
        {
            throw new InvalidOperationException($"{wanted.Count - found.Count} demo interactions that feedback refers to were not stored, e.g. {wanted.First(w => !found.ContainsKey(w))}.");
        }

        return found;
    }

    /// <summary>Inserts the invitations and counts them (invited, completed) in survey_stats; returns their ids by nonce.</summary>
    private async Task<Dictionary<string, long>> InsertInvitationsAsync(
        long workspaceId, List<DemoInvitation> invitations, Dictionary<string, StoredSurvey> surveys, TouchpointResolver touchpoints,
        Dictionary<string, long> interactions, Func<string?, long?> profileOf, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var db = new IdentityRepository(connection, transaction, database.Kind);
        var ids = await BulkRecordWriter.ReserveIdsAsync(db, "survey_invitations", invitations.Count, cancellationToken);
        var rows = invitations.Select((invitation, i) => (Id: ids[i], Invitation: invitation)).ToList();
        string[] columns =
        [
            "id", "workspace_id", "survey_id", "customer_id", "channel", "address", "language", "interaction_id", "touchpoint_id", "status",
            "suppressed_reason", "nonce", "created_at", "send_at", "sent_at", "reminders", "reminded_at", "opened_at", "completed_at", "error",
        ];
        await BulkRecordWriter.InsertRowsAsync(db, "survey_invitations", columns, rows, (row, v) =>
        {
            var i = row.Invitation;
            (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]) = (row.Id, workspaceId, surveys[i.Survey].Id, Null(profileOf(i.UserId)), "email",
                i.Address, i.Language, interactions[i.InteractionMessageId], Null(touchpoints.Find(i.Touchpoint)?.Id), i.Status);
            (v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18], v[19]) = (DBNull.Value, i.Nonce, Ms(i.CreatedAt), Ms(i.SentAt),
                Ms(i.SentAt), i.Reminders, Null(Ms(i.RemindedAt)), Null(Ms(i.OpenedAt)), Null(Ms(i.CompletedAt)), DBNull.Value);
        }, cancellationToken);
        await SurveyRollup.CountAsync(connection, transaction, invitations.SelectMany(i => new[]
        {
            (workspaceId, surveys[i.Survey].Id, SurveyStats.Invited, 1L),
            (workspaceId, surveys[i.Survey].Id, SurveyStats.CompletedInvited, i.CompletedAt is null ? 0L : 1L),
        }));
        await transaction.CommitAsync(cancellationToken);
        return rows.ToDictionary(r => r.Invitation.Nonce, r => r.Id, StringComparer.Ordinal);
    }

    private async Task InsertSignalsAsync(
        long workspaceId, List<DemoSignal> signals, TouchpointResolver touchpoints, Func<string?, long?> profileOf, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string[] columns =
        [
            "workspace_id", "source", "external_id", "customer_id", "text", "title", "rating", "rating_max", "url", "language", "touchpoint_id",
            "properties", "occurred_at", "received_at",
        ];
        await BulkRecordWriter.InsertRowsAsync(new IdentityRepository(connection, transaction, database.Kind), "signals", columns, signals, (s, v) =>
        {
            (v[0], v[1], v[2], v[3], v[4], v[5], v[6]) = (workspaceId, s.Source, s.ExternalId, Null(profileOf(s.UserId)), s.Text, Null(s.Title), Null(s.Rating));
            (v[7], v[8], v[9], v[10], v[11], v[12], v[13]) = (Null(s.RatingMax), Null(s.Url), s.Language, Null(touchpoints.Find(s.Touchpoint ?? "")?.Id),
                Null(s.PropertiesJson), s.OccurredAt.ToUnixTimeMilliseconds(), now);
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static long? Ms(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    private static object Null<T>(T? value)
        where T : struct => value is { } v ? v : DBNull.Value;

    private static object Null(string? value) => value is null ? DBNull.Value : value;
}
