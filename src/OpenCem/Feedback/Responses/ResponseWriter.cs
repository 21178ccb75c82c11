using System.Data.Common;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using OpenCem.Actions.Events;
using OpenCem.Analytics.Metrics;
using OpenCem.Storage;

namespace OpenCem.Feedback.Responses;

/// <summary>
/// Stores completed responses in batches: finds the respondents' profiles, inserts the rows (a repeated external
/// id is skipped), and folds the new ones into the rollups, all in one transaction. SQLite reuses one prepared
/// statement per row; PostgreSQL inserts the whole batch in one statement over arrays.
/// </summary>
public sealed class ResponseWriter(Database database, RespondentLookup lookup, TimeProvider time, OutboxWake? wake = null)
{
    /// <summary>
    /// Whether each new response is reported to the outbox (<c>response.submitted</c>) in its transaction, for rules and
    /// webhooks; off for the demo's two years of history, which no rule should act on.
    /// </summary>
    public bool AppendsEvents { get; init; } = true;

    private const string Columns =
        "id, workspace_id, survey_id, invitation_id, customer_id, interaction_id, touchpoint_id, channel, language, source, external_id, status, " +
        "answers, nps, csat, ces, overall, comment, submitted_at, created_at, updated_at";

    public async Task WriteAsync(IReadOnlyList<ResponseItem> items, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var turn = await database.TakeWriteTurnAsync(cancellationToken))
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            foreach (var workspace in items.GroupBy(i => i.WorkspaceId))
            {
                if (database.Kind == DatabaseKind.Postgres)
                {
                    // Shared with ingestion, exclusive for identity resolution: no profile merges under our feet.
                    await connection.ExecuteAsync("SELECT pg_advisory_xact_lock_shared(727275, @ws::int)", new { ws = workspace.Key }, transaction);
                }

                var found = await RespondentLookup.FindAsync(connection, transaction, workspace.Key, workspace.Select(i => i.Respondent));
                foreach (var item in workspace)
                {
                    item.CustomerId = found.TryGetValue(item.Respondent, out var customer) ? customer : null;
                }
            }

            var inserted = database.Kind == DatabaseKind.Sqlite
                ? await InsertSqliteAsync(connection, transaction, items, now, cancellationToken)
                : await InsertPostgresAsync(connection, transaction, items, now, cancellationToken);
            await MarkDuplicatesAsync(connection, transaction, items, inserted);
            var fresh = items.Where(i => !i.Duplicate).ToList();
            await SurveyRollup.AddAsync(connection, transaction, SurveyRollup.Deltas(fresh));
            await MetricRollup.AddAsync(connection, transaction, fresh);
            await SurveyRollup.CountAsync(connection, transaction, fresh.Select(i => (i.WorkspaceId, i.SurveyId, SurveyStats.Completed, 1L)));
            await CompleteInvitationsAsync(connection, transaction, fresh, now);
            if (AppendsEvents)
            {
                await EventOutbox.AppendAllAsync(connection, transaction, fresh.Where(i => !i.Anonymous).Select(ResponseEvents.Submitted), now);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await LinkNewRespondentsAsync(items.Where(i => !i.Duplicate && i.CustomerId is null && !i.Respondent.IsAnonymous).ToList(), cancellationToken);

        // After linking: the rules then see the new profile, and on SQLite do not wait for the write lock linking holds.
        if (AppendsEvents)
        {
            wake?.Wake();
        }
    }

    /// <summary>Respondents nobody knew get profiles; their responses then point to them.</summary>
    private async Task LinkNewRespondentsAsync(List<ResponseItem> unknown, CancellationToken cancellationToken)
    {
        foreach (var workspace in unknown.GroupBy(i => i.WorkspaceId))
        {
            await lookup.CreateProfilesAsync(workspace.Key, workspace.Select(i => i.Respondent).Distinct().ToList(), cancellationToken);
            await using var turn = await database.TakeWriteTurnAsync(cancellationToken);
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var found = await RespondentLookup.FindAsync(connection, transaction, workspace.Key, workspace.Select(i => i.Respondent));
            foreach (var item in workspace)
            {
                if (found.TryGetValue(item.Respondent, out var customer))
                {
                    item.CustomerId = customer;
                    await connection.ExecuteAsync("UPDATE survey_responses SET customer_id = @customer WHERE id = @id", new { customer, id = item.Id }, transaction);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static async Task<HashSet<long>> InsertSqliteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ResponseItem> items, long now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO survey_responses ({Columns}) VALUES (NULL, {string.Join(", ", Enumerable.Range(1, 20).Select(i => "$p" + i))}) ON CONFLICT DO NOTHING RETURNING id";
        var parameters = Enumerable.Range(1, 20).Select(i =>
        {
            var p = command.CreateParameter();
            p.ParameterName = "$p" + i;
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        await command.PrepareAsync(cancellationToken);
        var inserted = new HashSet<long>();
        foreach (var item in items)
        {
            var values = Values(item, now);
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            if (await command.ExecuteScalarAsync(cancellationToken) is long id)
            {
                item.Id = id;
                inserted.Add(id);
            }
        }

        return inserted;
    }

    private static async Task<HashSet<long>> InsertPostgresAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ResponseItem> items, long now, CancellationToken cancellationToken)
    {
        var ids = new List<long>(items.Count);
        foreach (var id in await connection.QueryAsync<long>(
            "SELECT nextval(pg_get_serial_sequence('survey_responses', 'id')) FROM generate_series(1, @count)", new { count = items.Count }, transaction))
        {
            ids.Add(id);
        }

        for (var i = 0; i < items.Count; i++)
        {
            items[i].Id = ids[i];
        }

        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO survey_responses ({Columns})
            SELECT * FROM unnest(@id::bigint[], @ws::bigint[], @survey::bigint[], @invitation::bigint[], @customer::bigint[], @interaction::bigint[],
                @touchpoint::bigint[], @channel::text[], @language::text[], @source::text[], @external::text[], @status::text[], @answers::text[],
                @nps::int[], @csat::int[], @ces::int[], @overall::float8[], @comment::text[], @submitted::bigint[], @created::bigint[], @updated::bigint[])
            ON CONFLICT DO NOTHING RETURNING id
            """,
            (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("id", ids.ToArray());
        command.Parameters.AddWithValue("ws", items.Select(i => i.WorkspaceId).ToArray());
        command.Parameters.AddWithValue("survey", items.Select(i => i.SurveyId).ToArray());
        command.Parameters.AddWithValue("invitation", items.Select(i => i.InvitationId).ToArray());
        command.Parameters.AddWithValue("customer", items.Select(i => i.CustomerId).ToArray());
        command.Parameters.AddWithValue("interaction", items.Select(i => i.InteractionId).ToArray());
        command.Parameters.AddWithValue("touchpoint", items.Select(i => i.TouchpointId).ToArray());
        command.Parameters.Add(new NpgsqlParameter("channel", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = items.Select(i => i.Channel).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("language", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = items.Select(i => i.Language).ToArray() });
        command.Parameters.AddWithValue("source", items.Select(i => i.Source).ToArray());
        command.Parameters.Add(new NpgsqlParameter("external", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = items.Select(i => i.ExternalId).ToArray() });
        command.Parameters.AddWithValue("status", items.Select(_ => ResponseStatus.Completed).ToArray());
        command.Parameters.AddWithValue("answers", items.Select(i => i.AnswersJson).ToArray());
        command.Parameters.AddWithValue("nps", items.Select(i => i.Scores.Nps).ToArray());
        command.Parameters.AddWithValue("csat", items.Select(i => i.Scores.Csat).ToArray());
        command.Parameters.AddWithValue("ces", items.Select(i => i.Scores.Ces).ToArray());
        command.Parameters.AddWithValue("overall", items.Select(i => i.Scores.Overall).ToArray());
        command.Parameters.Add(new NpgsqlParameter("comment", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = items.Select(i => i.Scores.Comment).ToArray() });
        command.Parameters.AddWithValue("submitted", items.Select(i => i.SubmittedAt).ToArray());
        command.Parameters.AddWithValue("created", items.Select(_ => now).ToArray());
        command.Parameters.AddWithValue("updated", items.Select(_ => now).ToArray());
        var inserted = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(reader.GetInt64(0));
        }

        return inserted;
    }

    /// <summary>
    /// Marks the invitations answered by new responses completed and counts them (<see cref="SurveyStats.CompletedInvited"/>),
    /// in the transaction that stores the responses: the response rate never disagrees with the responses.
    /// </summary>
    private static async Task CompleteInvitationsAsync(DbConnection connection, DbTransaction transaction, List<ResponseItem> fresh, long now)
    {
        var counts = new List<(long, long, string, long)>();
        foreach (var item in fresh.Where(i => i.InvitationId is not null))
        {
            var changed = await connection.ExecuteAsync(
                "UPDATE survey_invitations SET status = 'completed', completed_at = @now WHERE workspace_id = @WorkspaceId AND id = @InvitationId AND completed_at IS NULL",
                new { now, item.WorkspaceId, item.InvitationId }, transaction);
            if (changed == 1)
            {
                counts.Add((item.WorkspaceId, item.SurveyId, SurveyStats.CompletedInvited, 1));
            }
        }

        await SurveyRollup.CountAsync(connection, transaction, counts);
    }

    /// <summary>
    /// Items whose external id, or whose invitation, was answered before (now or in an earlier request) point to
    /// that response.
    /// </summary>
    private static async Task MarkDuplicatesAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ResponseItem> items, HashSet<long> inserted)
    {
        foreach (var item in items.Where(i => !inserted.Contains(i.Id)))
        {
            item.Duplicate = true;
            item.Id = await connection.ExecuteScalarAsync<long>(
                item.ExternalId is not null
                    ? "SELECT id FROM survey_responses WHERE workspace_id = @WorkspaceId AND survey_id = @SurveyId AND external_id = @ExternalId"
                    : "SELECT id FROM survey_responses WHERE workspace_id = @WorkspaceId AND invitation_id = @InvitationId",
                new { item.WorkspaceId, item.SurveyId, item.ExternalId, item.InvitationId }, transaction);
        }
    }

    private static object?[] Values(ResponseItem item, long now) =>
    [
        item.WorkspaceId, item.SurveyId, item.InvitationId, item.CustomerId, item.InteractionId, item.TouchpointId, item.Channel, item.Language,
        item.Source, item.ExternalId, ResponseStatus.Completed, item.AnswersJson, item.Scores.Nps, item.Scores.Csat, item.Scores.Ces,
        item.Scores.Overall, item.Scores.Comment, item.SubmittedAt, now, now,
    ];
}

/// <summary>The states of a response: started on the respondent page and saved page by page, or completed.</summary>
public static class ResponseStatus
{
    public const string Partial = "partial";
    public const string Completed = "completed";
}

/// <summary>Counter names of <c>survey_stats</c>.</summary>
public static class SurveyStats
{
    public const string Invited = "invited";
    public const string Suppressed = "suppressed";
    public const string Completed = "completed";
    public const string CompletedInvited = "completedInvited";
}
