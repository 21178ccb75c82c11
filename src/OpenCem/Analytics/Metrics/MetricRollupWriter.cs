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
    private const string DimensionalColumns = "workspace_id, survey_id, question, period, dimension, value, score, n, total, total_squares";

    public static async Task WriteAsync(DbConnection connection, DbTransaction transaction, MetricRollupRows rows)
    {
        for (var i = 0; i < MetricCube.All.Count; i++)
        {
            var cube = MetricCube.All[i];
            var pending = rows.Tables[i];
            if (pending.Count == 0)
            {
                continue;
            }

            if (connection is NpgsqlConnection postgres)
            {
                await WritePostgresAsync(postgres, (NpgsqlTransaction)transaction, cube, pending);
            }
            else
            {
                await WriteSqliteAsync(connection, transaction, cube, pending);
            }
        }
    }

    private static string Upsert(MetricCube cube) =>
        (cube.Dimensional
            ? "ON CONFLICT (workspace_id, survey_id, question, dimension, period, value, score) DO UPDATE SET "
            : "ON CONFLICT (workspace_id, survey_id, question, period, touchpoint_id, channel, segment_id, score) DO UPDATE SET ") +
        $"n = {cube.Table}.n + excluded.n, total = {cube.Table}.total + excluded.total, total_squares = {cube.Table}.total_squares + excluded.total_squares";

    private static async Task WriteSqliteAsync(DbConnection connection, DbTransaction transaction, MetricCube cube, Dictionary<MetricRowKey, MetricRowValue> rows)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = cube.Dimensional
            ? $"INSERT INTO {cube.Table} ({DimensionalColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) {Upsert(cube)}"
            : $"INSERT INTO {cube.Table} ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) {Upsert(cube)}";
        var parameters = Enumerable.Range(1, cube.Dimensional ? 10 : 11).Select(i =>
        {
            var p = command.CreateParameter();
            p.ParameterName = "$" + i;
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        await command.PrepareAsync();
        foreach (var (key, value) in rows)
        {
            var i = 0;
            parameters[i++].Value = key.WorkspaceId;
            parameters[i++].Value = key.SurveyId;
            parameters[i++].Value = key.Question;
            parameters[i++].Value = key.Period;
            if (cube.Dimensional)
            {
                parameters[i++].Value = key.Dimension;
                parameters[i++].Value = key.Value;
            }
            else
            {
                parameters[i++].Value = key.TouchpointId;
                parameters[i++].Value = key.Channel;
                parameters[i++].Value = key.SegmentId;
            }

            parameters[i++].Value = key.Score;
            parameters[i++].Value = value.N;
            parameters[i++].Value = value.Total;
            parameters[i].Value = value.TotalSquares;
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task WritePostgresAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MetricCube cube, Dictionary<MetricRowKey, MetricRowValue> rows)
    {
        foreach (var chunk in rows.Chunk(50_000))
        {
            await using var command = new NpgsqlCommand(
                cube.Dimensional
                    ? $"""
                        INSERT INTO {cube.Table} ({DimensionalColumns})
                        SELECT * FROM unnest(@ws::bigint[], @survey::bigint[], @question::text[], @period::bigint[], @dimension::text[], @value::text[],
                            @score::bigint[], @n::bigint[], @total::float8[], @squares::float8[])
                        {Upsert(cube)}
                        """
                    : $"""
                        INSERT INTO {cube.Table} ({Columns})
                        SELECT * FROM unnest(@ws::bigint[], @survey::bigint[], @question::text[], @period::bigint[], @touchpoint::bigint[], @channel::text[],
                            @segment::bigint[], @score::bigint[], @n::bigint[], @total::float8[], @squares::float8[])
                        {Upsert(cube)}
                        """,
                connection, transaction);
            command.Parameters.AddWithValue("ws", chunk.Select(r => r.Key.WorkspaceId).ToArray());
            command.Parameters.AddWithValue("survey", chunk.Select(r => r.Key.SurveyId).ToArray());
            command.Parameters.Add(new NpgsqlParameter("question", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(r => r.Key.Question).ToArray() });
            command.Parameters.AddWithValue("period", chunk.Select(r => r.Key.Period).ToArray());
            if (cube.Dimensional)
            {
                command.Parameters.Add(new NpgsqlParameter("dimension", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(r => r.Key.Dimension).ToArray() });
                command.Parameters.Add(new NpgsqlParameter("value", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(r => r.Key.Value).ToArray() });
            }
            else
            {
                command.Parameters.AddWithValue("touchpoint", chunk.Select(r => r.Key.TouchpointId).ToArray());
                command.Parameters.Add(new NpgsqlParameter("channel", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(r => r.Key.Channel).ToArray() });
                command.Parameters.AddWithValue("segment", chunk.Select(r => r.Key.SegmentId).ToArray());
            }

            command.Parameters.AddWithValue("score", chunk.Select(r => r.Key.Score).ToArray());
            command.Parameters.AddWithValue("n", chunk.Select(r => r.Value.N).ToArray());
            command.Parameters.AddWithValue("total", chunk.Select(r => r.Value.Total).ToArray());
            command.Parameters.AddWithValue("squares", chunk.Select(r => r.Value.TotalSquares).ToArray());
            await command.ExecuteNonQueryAsync();
        }
    }
}
