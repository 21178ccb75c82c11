using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using OpenCem.Storage;

namespace OpenCem.Value.Lifetime;

/// <summary>
/// Writes every customer's CLV, P(alive), expected purchases and fit id into <c>customer_values</c>, setting only
/// those columns (the churn model writes its own columns of the same rows). PostgreSQL: binary COPY into a temporary
/// table, then one upsert; SQLite: upserts of 100 rows each in one transaction.
/// </summary>
public static class CustomerValueWriter
{
    private const string Upsert = """
        ON CONFLICT (workspace_id, customer_id) DO UPDATE SET clv = excluded.clv, p_alive = excluded.p_alive,
            expected_purchases = excluded.expected_purchases, clv_fit_id = excluded.clv_fit_id, updated_at = excluded.updated_at
        """;

    /// <summary>SQLite: rows per upsert statement (the provider's cost per statement outweighed SQLite's per row).</summary>
    private const int RowsPerStatement = 100;

    public static async Task WriteAsync(DbConnection connection, long workspaceId, long fitId, IReadOnlyList<CustomerValue> values, long now, CancellationToken cancellationToken)
    {
        if (connection is NpgsqlConnection postgres)
        {
            await WritePostgresAsync(postgres, workspaceId, fitId, values, now, cancellationToken);
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        DbCommand? command = null;
        try
        {
            for (var start = 0; start < values.Count; start += RowsPerStatement)
            {
                var n = Math.Min(RowsPerStatement, values.Count - start);
                if (command is null || command.Parameters.Count != 3 + (4 * n))
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync();
                    }

                    command = Batch(connection, transaction, n);
                    (command.Parameters[0].Value, command.Parameters[1].Value, command.Parameters[2].Value) = (workspaceId, fitId, now);
                }

                for (var i = 0; i < n; i++)
                {
                    var value = values[start + i];
                    var at = 3 + (4 * i);
                    (command.Parameters[at].Value, command.Parameters[at + 1].Value, command.Parameters[at + 2].Value, command.Parameters[at + 3].Value) =
                        (value.CustomerId, value.Clv, value.ProbabilityAlive, value.ExpectedPurchases);
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }

        await Equity.EquityTotalsStore.RefreshAsync(connection, transaction, workspaceId, now);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>An upsert of <paramref name="rows"/> rows: $w, $f, $n, then $c, $v, $p, $e per row.</summary>
    private static DbCommand Batch(DbConnection connection, DbTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO customer_values (workspace_id, customer_id, clv, p_alive, expected_purchases, clv_fit_id, updated_at)
            VALUES {string.Join(", ", Enumerable.Range(0, rows).Select(i => $"($w, $c{i}, $v{i}, $p{i}, $e{i}, $f, $n)"))}
            {Upsert}
            """;
        string[] names = ["$w", "$f", "$n", .. Enumerable.Range(0, rows).SelectMany(i => new[] { $"$c{i}", $"$v{i}", $"$p{i}", $"$e{i}" })];
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static async Task WritePostgresAsync(NpgsqlConnection connection, long workspaceId, long fitId, IReadOnlyList<CustomerValue> values, long now, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresLoadTable.LoadAsync(connection, transaction, "clv_values_load",
            "customer_id BIGINT, clv DOUBLE PRECISION, p_alive DOUBLE PRECISION, expected_purchases DOUBLE PRECISION", values,
            async (import, value, ct) =>
            {
                await import.WriteAsync(value.CustomerId, NpgsqlDbType.Bigint, ct);
                await import.WriteAsync(value.Clv, NpgsqlDbType.Double, ct);
                await import.WriteAsync(value.ProbabilityAlive, NpgsqlDbType.Double, ct);
                await import.WriteAsync(value.ExpectedPurchases, NpgsqlDbType.Double, ct);
            }, cancellationToken);

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
