using System.Data.Common;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using OpenCem.Storage;

namespace OpenCem.Value.Churn;

/// <summary>One scored customer, as stored.</summary>
public readonly record struct ChurnScore(long CustomerId, double Risk, string Reasons, string Lifecycle, string TenureBand, string PoorTouchpoints);

/// <summary>
/// Stores a chunk of scores in one transaction: the churn columns of <c>customer_values</c> only (the CLV columns are
/// another writer's), and the segment facts and poor experiences in <c>churn_customers</c>. PostgreSQL: binary COPY
/// into a temporary table, then one upsert per table; SQLite: statements of a few rows each.
/// </summary>
public static class ChurnScoreWriter
{
    private const string ValuesUpsert = """
        ON CONFLICT (workspace_id, customer_id) DO UPDATE SET churn_risk = excluded.churn_risk, churn_reasons = excluded.churn_reasons,
            churn_model_id = excluded.churn_model_id, updated_at = excluded.updated_at
        """;

    private const string CustomersUpsert = """
        ON CONFLICT (workspace_id, customer_id) DO UPDATE SET model_id = excluded.model_id, lifecycle = excluded.lifecycle,
            tenure_band = excluded.tenure_band, poor_touchpoints = excluded.poor_touchpoints
        """;

    /// <summary>
    /// SQLite: rows per statement. The provider finds each parameter by name in a list SQLite searches from the start,
    /// so a statement's binding costs the square of its parameters: 100 rows (700 parameters) spent more in that
    /// search than in SQLite's own work; a few rows still spread the provider's cost per statement.
    /// </summary>
    private const int RowsPerStatement = 16;

    public static async Task WriteAsync(DbConnection connection, long ws, long modelId, long now, IReadOnlyList<ChurnScore> scores, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (connection is NpgsqlConnection postgres)
        {
            await WritePostgresAsync(postgres, (NpgsqlTransaction)transaction, ws, modelId, now, scores, cancellationToken);
        }
        else
        {
            await WriteSqliteAsync(connection, transaction, ws, modelId, now, scores, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task WritePostgresAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long ws, long modelId, long now, IReadOnlyList<ChurnScore> scores, CancellationToken cancellationToken)
    {
        await PostgresLoadTable.LoadAsync(connection, transaction, "churn_scores_load", "c BIGINT, r DOUBLE PRECISION, j TEXT, s TEXT, b TEXT, p TEXT", scores,
            async (import, s, ct) =>
            {
                await import.WriteAsync(s.CustomerId, NpgsqlDbType.Bigint, ct);
                await import.WriteAsync(s.Risk, NpgsqlDbType.Double, ct);
                await import.WriteAsync(s.Reasons, NpgsqlDbType.Text, ct);
                await import.WriteAsync(s.Lifecycle, NpgsqlDbType.Text, ct);
                await import.WriteAsync(s.TenureBand, NpgsqlDbType.Text, ct);
                await import.WriteAsync(s.PoorTouchpoints, NpgsqlDbType.Text, ct);
            }, cancellationToken);

        await using var upsert = new NpgsqlCommand(
            $"""
            INSERT INTO customer_values (workspace_id, customer_id, churn_risk, churn_reasons, churn_model_id, updated_at)
            SELECT @ws, c, r, j, @model, @now FROM churn_scores_load
            {ValuesUpsert};
            INSERT INTO churn_customers (workspace_id, customer_id, model_id, lifecycle, tenure_band, poor_touchpoints)
            SELECT @ws, c, @model, s, b, p FROM churn_scores_load
            {CustomersUpsert}
            """, connection, transaction);
        upsert.Parameters.AddWithValue("ws", ws);
        upsert.Parameters.AddWithValue("model", modelId);
        upsert.Parameters.AddWithValue("now", now);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task WriteSqliteAsync(DbConnection connection, DbTransaction transaction, long ws, long modelId, long now, IReadOnlyList<ChurnScore> scores, CancellationToken cancellationToken)
    {
        DbCommand? values = null;
        DbCommand? facts = null;
        try
        {
            for (var start = 0; start < scores.Count; start += RowsPerStatement)
            {
                var n = Math.Min(RowsPerStatement, scores.Count - start);
                if (values is null || values.Parameters.Count != 3 + (3 * n))
                {
                    (values, facts) = (await Dispose(values), await Dispose(facts));
                    values = Batch(connection, transaction, n, "customer_values (workspace_id, customer_id, churn_risk, churn_reasons, churn_model_id, updated_at)",
                        i => $"($ws, $c{i}, $r{i}, $j{i}, $model, $now)", ValuesUpsert, ["$ws", "$model", "$now"], ["$c", "$r", "$j"]);
                    facts = Batch(connection, transaction, n, "churn_customers (workspace_id, customer_id, model_id, lifecycle, tenure_band, poor_touchpoints)",
                        i => $"($ws, $c{i}, $model, $s{i}, $b{i}, $p{i})", CustomersUpsert, ["$ws", "$model"], ["$c", "$s", "$b", "$p"]);
                    (values.Parameters[0].Value, values.Parameters[1].Value, values.Parameters[2].Value) = (ws, modelId, now);
                    (facts.Parameters[0].Value, facts.Parameters[1].Value) = (ws, modelId);
                }

                for (var i = 0; i < n; i++)
                {
                    var s = scores[start + i];
                    (values.Parameters[3 + (3 * i)].Value, values.Parameters[4 + (3 * i)].Value, values.Parameters[5 + (3 * i)].Value) = (s.CustomerId, s.Risk, s.Reasons);
                    (facts!.Parameters[2 + (4 * i)].Value, facts.Parameters[3 + (4 * i)].Value, facts.Parameters[4 + (4 * i)].Value, facts.Parameters[5 + (4 * i)].Value) =
                        (s.CustomerId, s.Lifecycle, s.TenureBand, s.PoorTouchpoints);
                }

                await values.ExecuteNonQueryAsync(cancellationToken);
                await facts!.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            await Dispose(values);
            await Dispose(facts);
        }
    }

    private static DbCommand Batch(DbConnection connection, DbTransaction transaction, int rows, string into, Func<int, string> row, string upsert, string[] shared, string[] perRow)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {into} VALUES {string.Join(", ", Enumerable.Range(0, rows).Select(row))} {upsert}";
        Parameters(command, [.. shared, .. Enumerable.Range(0, rows).SelectMany(i => perRow.Select(name => name + i.ToString(CultureInfo.InvariantCulture)))]);
        return command;
    }

    private static async Task<DbCommand?> Dispose(DbCommand? command)
    {
        if (command is not null)
        {
            await command.DisposeAsync();
        }

        return null;
    }

    private static DbParameter[] Parameters(DbCommand command, params string[] names) => names.Select(name =>
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }).ToArray();
}
