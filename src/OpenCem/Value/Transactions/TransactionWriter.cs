using System.Data.Common;
using Dapper;
using Npgsql;

namespace OpenCem.Value.Transactions;

/// <summary>
/// Inserts resolved purchases, skipping keys already stored: one <c>unnest</c> statement per batch on PostgreSQL,
/// a prepared statement per row in the caller's transaction on SQLite (its fastest bulk path).
/// </summary>
internal static class TransactionWriter
{
    private const string Columns = "workspace_id, customer_id, occurred_at, amount, source, external_key, created_at";

    /// <summary>Returns how many rows were new.</summary>
    public static async Task<long> InsertAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, string source, long now,
        IReadOnlyList<(long Customer, TransactionItem Item)> rows, CancellationToken cancellationToken)
    {
        if (connection is NpgsqlConnection)
        {
            return await connection.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO transactions ({Columns})
                SELECT @workspaceId, u.c, u.o, u.a, @source, u.k, @now FROM unnest(@customers, @times, @amounts, @keys) AS u (c, o, a, k)
                ON CONFLICT (workspace_id, external_key) DO NOTHING
                """,
                new
                {
                    workspaceId,
                    source,
                    now,
                    customers = rows.Select(r => r.Customer).ToArray(),
                    times = rows.Select(r => r.Item.OccurredAt).ToArray(),
                    amounts = rows.Select(r => r.Item.Amount).ToArray(),
                    keys = rows.Select(r => r.Item.Key).ToArray(),
                },
                transaction, cancellationToken: cancellationToken));
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO transactions ({Columns}) VALUES ($w, $c, $o, $a, $s, $k, $n) ON CONFLICT (workspace_id, external_key) DO NOTHING";
        var parameters = new[] { "$w", "$c", "$o", "$a", "$s", "$k", "$n" }.Select(name =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        parameters[0].Value = workspaceId;
        parameters[4].Value = source;
        parameters[6].Value = now;
        await command.PrepareAsync(cancellationToken);
        long stored = 0;
        foreach (var (customer, item) in rows)
        {
            parameters[1].Value = customer;
            parameters[2].Value = item.OccurredAt;
            parameters[3].Value = item.Amount;
            parameters[5].Value = item.Key;
            stored += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return stored;
    }
}
