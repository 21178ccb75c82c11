using System.Data.Common;
using Dapper;
using Npgsql;

namespace OpenCem.Value.Churn;

/// <summary>One scored customer, as stored.</summary>
public readonly record struct ChurnScore(long CustomerId, double Risk, string Reasons, string Lifecycle, string TenureBand, string PoorTouchpoints);

/// <summary>
/// Stores a chunk of scores in one transaction: the churn columns of <c>customer_values</c> only (the CLV columns are
/// another writer's), and the segment facts and poor experiences in <c>churn_customers</c>. PostgreSQL takes the chunk
/// as arrays (one statement per table); SQLite reuses one prepared statement per row.
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

    public static async Task WriteAsync(DbConnection connection, long ws, long modelId, long now, IReadOnlyList<ChurnScore> scores, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (connection is NpgsqlConnection)
        {
            var args = new
            {
                ws,
                modelId,
                now,
                ids = scores.Select(s => s.CustomerId).ToArray(),
                risks = scores.Select(s => s.Risk).ToArray(),
                reasons = scores.Select(s => s.Reasons).ToArray(),
                stages = scores.Select(s => s.Lifecycle).ToArray(),
                bands = scores.Select(s => s.TenureBand).ToArray(),
                poor = scores.Select(s => s.PoorTouchpoints).ToArray(),
            };
            await connection.ExecuteAsync(
                $"""
                INSERT INTO customer_values (workspace_id, customer_id, churn_risk, churn_reasons, churn_model_id, updated_at)
                SELECT @ws, t.c, t.r, t.j, @modelId, @now FROM unnest(@ids, @risks, @reasons) AS t(c, r, j)
                {ValuesUpsert}
                """, args, transaction);
            await connection.ExecuteAsync(
                $"""
                INSERT INTO churn_customers (workspace_id, customer_id, model_id, lifecycle, tenure_band, poor_touchpoints)
                SELECT @ws, t.c, @modelId, t.s, t.b, t.p FROM unnest(@ids, @stages, @bands, @poor) AS t(c, s, b, p)
                {CustomersUpsert}
                """, args, transaction);
        }
        else
        {
            await using var values = connection.CreateCommand();
            values.Transaction = transaction;
            values.CommandText = $"""
                INSERT INTO customer_values (workspace_id, customer_id, churn_risk, churn_reasons, churn_model_id, updated_at)
                VALUES ($ws, $customer, $risk, $reasons, $model, $now) {ValuesUpsert}
                """;
            await using var facts = connection.CreateCommand();
            facts.Transaction = transaction;
            facts.CommandText = $"""
                INSERT INTO churn_customers (workspace_id, customer_id, model_id, lifecycle, tenure_band, poor_touchpoints)
                VALUES ($ws, $customer, $model, $stage, $band, $poor) {CustomersUpsert}
                """;
            var v = Parameters(values, "$ws", "$customer", "$risk", "$reasons", "$model", "$now");
            var f = Parameters(facts, "$ws", "$customer", "$model", "$stage", "$band", "$poor");
            (v[0].Value, v[4].Value, v[5].Value, f[0].Value, f[2].Value) = (ws, modelId, now, ws, modelId);
            foreach (var s in scores)
            {
                (v[1].Value, v[2].Value, v[3].Value) = (s.CustomerId, s.Risk, s.Reasons);
                (f[1].Value, f[3].Value, f[4].Value, f[5].Value) = (s.CustomerId, s.Lifecycle, s.TenureBand, s.PoorTouchpoints);
                await values.ExecuteNonQueryAsync(cancellationToken);
                await facts.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static DbParameter[] Parameters(DbCommand command, params string[] names) => names.Select(name =>
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }).ToArray();
}
