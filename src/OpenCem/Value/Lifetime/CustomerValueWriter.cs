using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace OpenCem.Value.Lifetime;

/// <summary>
/// Writes every customer's CLV, P(alive), expected purchases and fit id into <c>customer_values</c>, setting only
/// those columns (the churn model writes its own columns of the same rows). PostgreSQL: binary COPY into a temporary
/// table, then one upsert; SQLite: a prepared upsert per row in one transaction.
/// </summary>
public static class CustomerValueWriter
{
    private const string Upsert = """
        ON CONFLICT (workspace_id, customer_id) DO UPDATE SET clv = excluded.clv, p_alive = excluded.p_alive,
            expected_purchases = excluded.expected_purchases, clv_fit_id = excluded.clv_fit_id, updated_at = excluded.updated_at
        """;

    public static async Task WriteAsync(DbConnection connection, long workspaceId, long fitId, IReadOnlyList<CustomerValue> values, long now, CancellationToken cancellationToken)
    {
        if (connection is NpgsqlConnection postgres)
        {
            await WritePostgresAsync(postgres, workspaceId, fitId, values, now, cancellationToken);
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO customer_values (workspace_id, customer_id, clv, p_alive, expected_purchases, clv_fit_id, updated_at)
            VALUES ($w, $c, $v, $p, $e, $f, $n)
            {Upsert}
            """;
        var parameters = new[] { "$w", "$c", "$v", "$p", "$e", "$f", "$n" }.Select(name =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        parameters[0].Value = workspaceId;
        parameters[5].Value = fitId;
        parameters[6].Value = now;
        await command.PrepareAsync(cancellationToken);
        foreach (var value in values)
        {
            parameters[1].Value = value.CustomerId;
            parameters[2].Value = value.Clv;
            parameters[3].Value = value.ProbabilityAlive;
            parameters[4].Value = value.ExpectedPurchases;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await Equity.EquityTotalsStore.RefreshAsync(connection, transaction, workspaceId, now);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task WritePostgresAsync(NpgsqlConnection connection, long workspaceId, long fitId, IReadOnlyList<CustomerValue> values, long now, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(
            "CREATE TEMPORARY TABLE clv_values_load (customer_id BIGINT, clv DOUBLE PRECISION, p_alive DOUBLE PRECISION, expected_purchases DOUBLE PRECISION) ON COMMIT DROP",
            connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var import = await connection.BeginBinaryImportAsync("COPY clv_values_load (customer_id, clv, p_alive, expected_purchases) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var value in values)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(value.CustomerId, NpgsqlDbType.Bigint, cancellationToken);
                await import.WriteAsync(value.Clv, NpgsqlDbType.Double, cancellationToken);
                await import.WriteAsync(value.ProbabilityAlive, NpgsqlDbType.Double, cancellationToken);
                await import.WriteAsync(value.ExpectedPurchases, NpgsqlDbType.Double, cancellationToken);
            }

            await import.CompleteAsync(cancellationToken);
        }

        await using (var upsert = new NpgsqlCommand(
            $"""
            INSERT INTO customer_values (workspace_id, customer_id, clv, p_alive, expected_purchases, clv_fit_id, updated_at)
            SELECT @w, customer_id, clv, p_alive, expected_purchases, @f, @n FROM clv_values_load
            {Upsert}
            """, connection, transaction))
        {
            upsert.Parameters.AddWithValue("w", workspaceId);
            upsert.Parameters.AddWithValue("f", fitId);
            upsert.Parameters.AddWithValue("n", now);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await Equity.EquityTotalsStore.RefreshAsync(connection, transaction, workspaceId, now);
        await transaction.CommitAsync(cancellationToken);
    }
}
