using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace OpenCem.Analytics.Metrics;

/// <summary>
/// Adds folded rows to the rollup tables (insert, or add to the row with the same key). SQLite reuses one prepared
/// statement per table; PostgreSQL sends each table's rows as one statement over arrays.
/// </summary>
internal static class MetricRollupWriter
{
    private const string Columns = "workspace_id, survey_id, question, period, touchpoint_id, channel, segment_id, score, n, total, total_squares";

    public static async Task WriteAsync(DbConnection connection, DbTransaction transaction, MetricRollupRows rows)
    {
        for (var i = 0; i < MetricCube.All.Count; i++)
        {
            var table = MetricCube.All[i].Table;
            var pending = rows.Tables[i];
            if (pending.Count == 0)
            {
                continue;
            }

            if (connection is NpgsqlConnection postgres)
            {
                await WritePostgresAsync(postgres, (NpgsqlTransaction)transaction, table, pending);
            }
            else
            {
                await WriteSqliteAsync(connection, transaction, table, pending);
            }
        }
    }

    private static string Upsert(string table) =>
        $"ON CONFLICT (workspace_id, survey_id, question, period, touchpoint_id, channel, segment_id, score) DO UPDATE SET " +
        $"n = {table}.n + excluded.n, total = {table}.total + excluded.total, total_squares = {table}.total_squares + excluded.total_squares";

    private static async Task WriteSqliteAsync(DbConnection connection, DbTransaction transaction, string table, Dictionary<MetricRowKey, MetricRowValue> rows)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table} ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) {Upsert(table)}";
        var parameters = Enumerable.Range(1, 11).Select(i =>
        {
            var p = command.CreateParameter();
            p.ParameterName = "$" + i;
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        await command.PrepareAsync();
        foreach (var (key, value) in rows)
        {
            parameters[0].Value = key.WorkspaceId;
            parameters[1].Value = key.SurveyId;
            parameters[2].Value = key.Question;
            parameters[3].Value = key.Period;
            parameters[4].Value = key.TouchpointId;
            parameters[5].Value = key.Channel;
            parameters[6].Value = key.SegmentId;
            parameters[7].Value = key.Score;
            parameters[8].Value = value.N;
            parameters[9].Value = value.Total;
            parameters[10].Value = value.TotalSquares;
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task WritePostgresAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, Dictionary<MetricRowKey, MetricRowValue> rows)
    {
        foreach (var chunk in rows.Chunk(50_000))
        {
            await using var command = new NpgsqlCommand(
                $"""
                INSERT INTO {table} ({Columns})
                SELECT * FROM unnest(@ws::bigint[], @survey::bigint[], @question::text[], @period::bigint[], @touchpoint::bigint[], @channel::text[],
                    @segment::bigint[], @score::bigint[], @n::bigint[], @total::float8[], @squares::float8[])
                {Upsert(table)}
                """,
                connection, transaction);
            command.Parameters.AddWithValue("ws", chunk.Select(r => r.Key.WorkspaceId).ToArray());
            command.Parameters.AddWithValue("survey", chunk.Select(r => r.Key.SurveyId).ToArray());
            command.Parameters.Add(new NpgsqlParameter("question", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(r => r.Key.Question).ToArray() });
            command.Parameters.AddWithValue("period", chunk.Select(r => r.Key.Period).ToArray());
            command.Parameters.AddWithValue("touchpoint", chunk.Select(r => r.Key.TouchpointId).ToArray());
            command.Parameters.Add(new NpgsqlParameter("channel", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(r => r.Key.Channel).ToArray() });
            command.Parameters.AddWithValue("segment", chunk.Select(r => r.Key.SegmentId).ToArray());
            command.Parameters.AddWithValue("score", chunk.Select(r => r.Key.Score).ToArray());
            command.Parameters.AddWithValue("n", chunk.Select(r => r.Value.N).ToArray());
            command.Parameters.AddWithValue("total", chunk.Select(r => r.Value.Total).ToArray());
            command.Parameters.AddWithValue("squares", chunk.Select(r => r.Value.TotalSquares).ToArray());
            await command.ExecuteNonQueryAsync();
        }
    }
}
