using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace OpenCem.Analytics.Metrics;

/// <summary>
/// After a move took answers out of rollup cells: deletes the cells left with none (a rebuild never writes an empty
/// cell) and reports a cell left below zero, which means the rollups did not hold what was taken out.
/// </summary>
internal static class MetricRollupPruning
{
    private const string Key = "workspace_id = $1 AND survey_id = $2 AND question = $3 AND period = $4 AND touchpoint_id = $5 AND channel = $6 AND segment_id = $7 AND score = $8";
    private const string DimensionalKey = "workspace_id = $1 AND survey_id = $2 AND question = $3 AND period = $4 AND dimension = $5 AND value = $6 AND score = $7";

    /// <returns>Null, or which cell fell below zero.</returns>
    public static async Task<string?> PruneAsync(DbConnection connection, DbTransaction transaction, MetricRollupRows delta)
    {
        for (var i = 0; i < MetricCube.All.Count; i++)
        {
            var cube = MetricCube.All[i];
            var shrunk = delta.Tables[i].Where(r => r.Value.N < 0).Select(r => r.Key).ToList();
            if (shrunk.Count == 0)
            {
                continue;
            }

            var negative = connection is NpgsqlConnection postgres
                ? await PrunePostgresAsync(postgres, (NpgsqlTransaction)transaction, cube, shrunk)
                : await PruneSqliteAsync(connection, transaction, cube, shrunk);
            if (negative > 0)
            {
                return $"{negative} cells of {cube.Table} would hold fewer than no answers.";
            }
        }

        return null;
    }

    private static async Task<long> PruneSqliteAsync(DbConnection connection, DbTransaction transaction, MetricCube cube, List<MetricRowKey> keys)
    {
        var where = cube.Dimensional ? DimensionalKey : Key;
        await using var check = Command(connection, transaction, $"SELECT n FROM {cube.Table} WHERE {where}", cube);
        await using var delete = Command(connection, transaction, $"DELETE FROM {cube.Table} WHERE {where} AND n = 0", cube);
        long negative = 0;
        foreach (var key in keys)
        {
            Bind(check, cube, key);
            var n = await check.ExecuteScalarAsync();
            if (n is null || Convert.ToInt64(n, System.Globalization.CultureInfo.InvariantCulture) < 0)
            {
                negative++;
                continue;
            }

            Bind(delete, cube, key);
            await delete.ExecuteNonQueryAsync();
        }

        return negative;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, MetricCube cube)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 1; i <= (cube.Dimensional ? 7 : 8); i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "$" + i;
            command.Parameters.Add(p);
        }

        return command;
    }

    private static void Bind(DbCommand command, MetricCube cube, MetricRowKey key)
    {
        var p = command.Parameters;
        p[0].Value = key.WorkspaceId;
        p[1].Value = key.SurveyId;
        p[2].Value = key.Question;
        p[3].Value = key.Period;
        if (cube.Dimensional)
        {
            p[4].Value = key.Dimension;
            p[5].Value = key.Value;
            p[6].Value = key.Score;
        }
        else
        {
            p[4].Value = key.TouchpointId;
            p[5].Value = key.Channel;
            p[6].Value = key.SegmentId;
            p[7].Value = key.Score;
        }
    }

    private static async Task<long> PrunePostgresAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MetricCube cube, List<MetricRowKey> keys)
    {
        var (columns, types, join) = cube.Dimensional
            ? ("ws, survey, question, period, dimension, value, score", "@ws::bigint[], @survey::bigint[], @question::text[], @period::bigint[], @dimension::text[], @value::text[], @score::bigint[]",
               "t.workspace_id = k.ws AND t.survey_id = k.survey AND t.question = k.question AND t.period = k.period AND t.dimension = k.dimension AND t.value = k.value AND t.score = k.score")
            : ("ws, survey, question, period, touchpoint, channel, segment, score", "@ws::bigint[], @survey::bigint[], @question::text[], @period::bigint[], @touchpoint::bigint[], @channel::text[], @segment::bigint[], @score::bigint[]",
               "t.workspace_id = k.ws AND t.survey_id = k.survey AND t.question = k.question AND t.period = k.period AND t.touchpoint_id = k.touchpoint AND t.channel = k.channel AND t.segment_id = k.segment AND t.score = k.score");
        long negative = 0;
        foreach (var chunk in keys.Chunk(50_000))
        {
            await using var command = new NpgsqlCommand(
                $"""
                WITH k ({columns}) AS (SELECT * FROM unnest({types})),
                     found AS (SELECT t.n FROM {cube.Table} t JOIN k ON {join}),
                     pruned AS (DELETE FROM {cube.Table} t USING k WHERE {join} AND t.n = 0 RETURNING 1)
                SELECT (SELECT count(*) FROM k) - (SELECT count(*) FROM found WHERE n >= 0) + 0 * (SELECT count(*) FROM pruned)
                """,
                connection, transaction);
            command.Parameters.AddWithValue("ws", chunk.Select(k => k.WorkspaceId).ToArray());
            command.Parameters.AddWithValue("survey", chunk.Select(k => k.SurveyId).ToArray());
            command.Parameters.Add(new NpgsqlParameter("question", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(k => k.Question).ToArray() });
            command.Parameters.AddWithValue("period", chunk.Select(k => k.Period).ToArray());
            if (cube.Dimensional)
            {
                command.Parameters.Add(new NpgsqlParameter("dimension", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(k => k.Dimension).ToArray() });
                command.Parameters.Add(new NpgsqlParameter("value", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(k => k.Value).ToArray() });
            }
            else
            {
                command.Parameters.AddWithValue("touchpoint", chunk.Select(k => k.TouchpointId).ToArray());
                command.Parameters.Add(new NpgsqlParameter("channel", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(k => k.Channel).ToArray() });
                command.Parameters.AddWithValue("segment", chunk.Select(k => k.SegmentId).ToArray());
            }

            command.Parameters.AddWithValue("score", chunk.Select(k => k.Score).ToArray());
            negative += Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return negative;
    }
}
