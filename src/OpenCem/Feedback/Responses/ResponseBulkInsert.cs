using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace OpenCem.Feedback.Responses;

/// <summary>
/// The responseIds a series of bulk inserts into one survey has written, so that PostgreSQL's COPY, which cannot
/// skip a conflict, meets no repeat: those written earlier are known here, and the database is asked only when the
/// survey held responseIds before the series began.
/// </summary>
internal sealed class ResponseIdLedger
{
    public HashSet<string> Written { get; } = new(StringComparer.Ordinal);

    /// <summary>False when the survey had no responseId stored when the series began: nothing to ask the database.</summary>
    public bool StoredBefore { get; init; } = true;

    public static async Task<ResponseIdLedger> ForSurveyAsync(DbConnection connection, long workspaceId, long surveyId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM (SELECT 1 FROM survey_responses WHERE workspace_id = {workspaceId} AND survey_id = {surveyId} AND external_id IS NOT NULL LIMIT 1) AS s";
        return new ResponseIdLedger { StoredBefore = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0 };
    }
}

/// <summary>
/// Inserts many completed responses at the speed of the database, in the caller's transaction: on SQLite one
/// prepared statement reused for every row (its fastest bulk path), a repeated responseId skipped by the unique
/// index; on PostgreSQL the responseIds already stored are asked for in one statement (or known from a
/// <see cref="ResponseIdLedger"/>), and the rest go in by binary COPY. Rollups are the caller's business.
/// </summary>
internal static class ResponseBulkInsert
{
    private const string Columns =
        "workspace_id, survey_id, customer_id, interaction_id, touchpoint_id, channel, language, source, external_id, status, " +
        "answers, nps, csat, ces, overall, comment, submitted_at, created_at, updated_at";

    /// <summary>Inserts the items; <c>stored[i]</c> tells whether item i is new (false: its responseId was stored before, or earlier in the list).</summary>
    /// <param name="ledger">PostgreSQL: the responseIds of earlier inserts of the same series into one survey (all items are of that survey).</param>
    public static async Task<bool[]> InsertAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<ResponseItem> items, long now, CancellationToken cancellationToken, ResponseIdLedger? ledger = null)
    {
        var stored = new bool[items.Count];
        if (items.Count == 0)
        {
            return stored;
        }

        if (connection is NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, (NpgsqlTransaction)transaction, items, now, stored, ledger, cancellationToken);
        }
        else
        {
            // The transaction is the connection's own: statements on its handle run inside it.
            cancellationToken.ThrowIfCancellationRequested();
            InsertSqlite((SqliteConnection)connection, items, now, stored);
        }

        return stored;
    }

    /// <summary>
    /// One prepared statement on the connection's own SQLite handle, bound by position, and only where a value
    /// differs from the row before (SQLite keeps bindings across executions): Microsoft.Data.Sqlite looks every
    /// parameter up by name and binds all of them on every execution, which costs more than SQLite's insert itself.
    /// </summary>
    private static void InsertSqlite(SqliteConnection connection, IReadOnlyList<ResponseItem> items, long now, bool[] stored)
    {
        var handle = connection.Handle!;
        var sql = $"INSERT INTO survey_responses ({Columns}) VALUES ({string.Join(", ", Enumerable.Range(1, 19).Select(i => "?" + i))}) ON CONFLICT DO NOTHING";
        Check(raw.sqlite3_prepare_v2(handle, sql, out var statement), handle);
        using (statement)
        {
            var p = new Binder(statement);
            p.Text(10, ResponseStatus.Completed);
            p.Long(18, now);
            p.Long(19, now);
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                p.Long(1, item.WorkspaceId);
                p.Long(2, item.SurveyId);
                p.Long(3, item.CustomerId);
                p.Long(4, item.InteractionId);
                p.Long(5, item.TouchpointId);
                p.Text(6, item.Channel);
                p.Text(7, item.Language);
                p.Text(8, item.Source);
                p.Text(9, item.ExternalId);
                p.Text(11, item.AnswersJson);
                p.Long(12, item.Scores.Nps);
                p.Long(13, item.Scores.Csat);
                p.Long(14, item.Scores.Ces);
                p.Double(15, item.Scores.Overall);
                p.Text(16, item.Scores.Comment);
                p.Long(17, item.SubmittedAt);
                var result = raw.sqlite3_step(statement);
                if (result != raw.SQLITE_DONE)
                {
                    Check(result, handle);
                }

                stored[i] = raw.sqlite3_changes(handle) == 1;
                raw.sqlite3_reset(statement);
            }
        }
    }

    private static void Check(int result, sqlite3 handle)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            SqliteException.ThrowExceptionForRC(result, handle);
        }
    }

    /// <summary>
    /// Binds parameters by position when they change: numbers as they are, strings as UTF-8 through one reused
    /// buffer (SQLite copies the value), a string that is the same instance as the row before's not at all.
    /// </summary>
    private sealed class Binder(sqlite3_stmt statement)
    {
        private const int Parameters = 20;
        private readonly object?[] _last = new object?[Parameters];
        private readonly long?[] _lastLong = new long?[Parameters];
        private readonly bool[] _bound = new bool[Parameters];
        private byte[] _buffer = new byte[1024];

        public void Long(int index, long? value)
        {
            if (_bound[index] && _lastLong[index] == value)
            {
                return;
            }

            if (value is { } v)
            {
                raw.sqlite3_bind_int64(statement, index, v);
            }
            else
            {
                raw.sqlite3_bind_null(statement, index);
            }

            _lastLong[index] = value;
            _bound[index] = true;
        }

        public void Double(int index, double? value)
        {
            if (value is { } v)
            {
                raw.sqlite3_bind_double(statement, index, v);
            }
            else
            {
                raw.sqlite3_bind_null(statement, index);
            }
        }

        public void Text(int index, string? value)
        {
            if (_bound[index] && ReferenceEquals(_last[index], value))
            {
                return;
            }

            _last[index] = value;
            _bound[index] = true;
            if (value is null)
            {
                raw.sqlite3_bind_null(statement, index);
                return;
            }

            var length = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (length > _buffer.Length)
            {
                _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
            }

            var written = Encoding.UTF8.GetBytes(value, _buffer);
            raw.sqlite3_bind_text(statement, index, _buffer.AsSpan(0, written));
        }
    }

    private static async Task CopyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ResponseItem> items, long now, bool[] stored, ResponseIdLedger? ledger, CancellationToken cancellationToken)
    {
        var existing = new HashSet<(long, long, string)>();
        foreach (var survey in items.Where(i => i.ExternalId is not null).GroupBy(i => (i.WorkspaceId, i.SurveyId)))
        {
            var ids = survey.Select(i => i.ExternalId!).Where(id => ledger?.Written.Contains(id) != true).Distinct().ToArray();
            if (ledger is not null)
            {
                foreach (var id in survey.Select(i => i.ExternalId!).Where(ledger.Written.Contains))
                {
                    existing.Add((survey.Key.WorkspaceId, survey.Key.SurveyId, id));
                }
            }

            if (ids.Length == 0 || ledger?.StoredBefore == false)
            {
                continue;
            }

            await using var query = new NpgsqlCommand(
                "SELECT external_id FROM survey_responses WHERE workspace_id = @ws AND survey_id = @survey AND external_id = ANY(@ids)", connection, transaction);
            query.Parameters.AddWithValue("ws", survey.Key.WorkspaceId);
            query.Parameters.AddWithValue("survey", survey.Key.SurveyId);
            query.Parameters.AddWithValue("ids", ids);
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add((survey.Key.WorkspaceId, survey.Key.SurveyId, reader.GetString(0)));
            }
        }

        // The fields go into Npgsql's buffer synchronously (it blocks only when the buffer is sent): an await per
        // field costs more than the field, at twenty fields a row.
        await using var copy = await connection.BeginBinaryImportAsync($"COPY survey_responses ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.ExternalId is { } external && !existing.Add((item.WorkspaceId, item.SurveyId, external)))
            {
                continue;
            }

            stored[i] = true;
            if (item.ExternalId is not null)
            {
                ledger?.Written.Add(item.ExternalId);
            }

            copy.StartRow();
            copy.Write(item.WorkspaceId, NpgsqlDbType.Bigint);
            copy.Write(item.SurveyId, NpgsqlDbType.Bigint);
            Write(copy, item.CustomerId, NpgsqlDbType.Bigint);
            Write(copy, item.InteractionId, NpgsqlDbType.Bigint);
            Write(copy, item.TouchpointId, NpgsqlDbType.Bigint);
            Write(copy, item.Channel);
            Write(copy, item.Language);
            copy.Write(item.Source, NpgsqlDbType.Text);
            Write(copy, item.ExternalId);
            copy.Write(ResponseStatus.Completed, NpgsqlDbType.Text);
            copy.Write(item.AnswersJson, NpgsqlDbType.Text);
            Write(copy, item.Scores.Nps, NpgsqlDbType.Integer);
            Write(copy, item.Scores.Csat, NpgsqlDbType.Integer);
            Write(copy, item.Scores.Ces, NpgsqlDbType.Integer);
            Write(copy, item.Scores.Overall, NpgsqlDbType.Double);
            Write(copy, item.Scores.Comment);
            copy.Write(item.SubmittedAt, NpgsqlDbType.Bigint);
            copy.Write(now, NpgsqlDbType.Bigint);
            copy.Write(now, NpgsqlDbType.Bigint);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private static void Write<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            copy.Write(v, type);
        }
        else
        {
            copy.WriteNull();
        }
    }

    private static void Write(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, NpgsqlDbType.Text);
        }
    }
}
