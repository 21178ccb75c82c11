using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace OpenCem.Feedback.Responses;

/// <summary>
/// Inserts many completed responses at the speed of the database, in the caller's transaction: on SQLite one
/// prepared statement reused for every row (its fastest bulk path), a repeated responseId skipped by the unique
/// index; on PostgreSQL the responseIds already stored are asked for in one statement, and the rest go in by
/// binary COPY. Rollups are the caller's business.
/// </summary>
internal static class ResponseBulkInsert
{
    private const string Columns =
        "workspace_id, survey_id, customer_id, interaction_id, touchpoint_id, channel, language, source, external_id, status, " +
        "answers, nps, csat, ces, overall, comment, submitted_at, created_at, updated_at";

    /// <summary>Inserts the items; <c>stored[i]</c> tells whether item i is new (false: its responseId was stored before, or earlier in the list).</summary>
    public static async Task<bool[]> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ResponseItem> items, long now, CancellationToken cancellationToken)
    {
        var stored = new bool[items.Count];
        if (items.Count == 0)
        {
            return stored;
        }

        if (connection is NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, (NpgsqlTransaction)transaction, items, now, stored, cancellationToken);
        }
        else
        {
            await InsertSqliteAsync((SqliteConnection)connection, (SqliteTransaction)transaction, items, now, stored, cancellationToken);
        }

        return stored;
    }

    private static async Task InsertSqliteAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<ResponseItem> items, long now, bool[] stored, CancellationToken cancellationToken)
    {
        const int Count = 19;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO survey_responses ({Columns}) VALUES ({string.Join(", ", Enumerable.Range(0, Count).Select(i => "$p" + i))}) ON CONFLICT DO NOTHING";
        var p = Enumerable.Range(0, Count).Select(i => command.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        p[9].Value = ResponseStatus.Completed;
        p[17].Value = now;
        p[18].Value = now;
        command.Prepare();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            p[0].Value = item.WorkspaceId;
            p[1].Value = item.SurveyId;
            p[2].Value = Nullable(item.CustomerId);
            p[3].Value = Nullable(item.InteractionId);
            p[4].Value = Nullable(item.TouchpointId);
            p[5].Value = (object?)item.Channel ?? DBNull.Value;
            p[6].Value = (object?)item.Language ?? DBNull.Value;
            p[7].Value = item.Source;
            p[8].Value = (object?)item.ExternalId ?? DBNull.Value;
            p[10].Value = item.AnswersJson;
            p[11].Value = Nullable(item.Scores.Nps);
            p[12].Value = Nullable(item.Scores.Csat);
            p[13].Value = Nullable(item.Scores.Ces);
            p[14].Value = item.Scores.Overall is { } overall ? overall : DBNull.Value;
            p[15].Value = (object?)item.Scores.Comment ?? DBNull.Value;
            p[16].Value = item.SubmittedAt;
            stored[i] = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ResponseItem> items, long now, bool[] stored, CancellationToken cancellationToken)
    {
        var existing = new HashSet<(long, long, string)>();
        foreach (var survey in items.Where(i => i.ExternalId is not null).GroupBy(i => (i.WorkspaceId, i.SurveyId)))
        {
            await using var query = new NpgsqlCommand(
                "SELECT external_id FROM survey_responses WHERE workspace_id = @ws AND survey_id = @survey AND external_id = ANY(@ids)", connection, transaction);
            query.Parameters.AddWithValue("ws", survey.Key.WorkspaceId);
            query.Parameters.AddWithValue("survey", survey.Key.SurveyId);
            query.Parameters.AddWithValue("ids", survey.Select(i => i.ExternalId!).Distinct().ToArray());
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add((survey.Key.WorkspaceId, survey.Key.SurveyId, reader.GetString(0)));
            }
        }

        await using var copy = await connection.BeginBinaryImportAsync($"COPY survey_responses ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.ExternalId is { } external && !existing.Add((item.WorkspaceId, item.SurveyId, external)))
            {
                continue;
            }

            stored[i] = true;
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(item.WorkspaceId, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(item.SurveyId, NpgsqlDbType.Bigint, cancellationToken);
            await WriteAsync(copy, item.CustomerId, NpgsqlDbType.Bigint, cancellationToken);
            await WriteAsync(copy, item.InteractionId, NpgsqlDbType.Bigint, cancellationToken);
            await WriteAsync(copy, item.TouchpointId, NpgsqlDbType.Bigint, cancellationToken);
            await WriteAsync(copy, item.Channel, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(copy, item.Language, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(item.Source, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(copy, item.ExternalId, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(ResponseStatus.Completed, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(item.AnswersJson, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(copy, item.Scores.Nps, NpgsqlDbType.Integer, cancellationToken);
            await WriteAsync(copy, item.Scores.Csat, NpgsqlDbType.Integer, cancellationToken);
            await WriteAsync(copy, item.Scores.Ces, NpgsqlDbType.Integer, cancellationToken);
            await WriteAsync(copy, item.Scores.Overall, NpgsqlDbType.Double, cancellationToken);
            await WriteAsync(copy, item.Scores.Comment, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(item.SubmittedAt, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(now, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(now, NpgsqlDbType.Bigint, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private static object Nullable<T>(T? value)
        where T : struct => value is { } v ? v : DBNull.Value;

    private static Task WriteAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct => value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task WriteAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);
}
