using Npgsql;

namespace OpenCem.Storage;

/// <summary>
/// Hands PostgreSQL a set of rows to upsert from: a temporary table that lives until the transaction ends, filled by
/// binary COPY (the fastest way in), so that one INSERT … SELECT … ON CONFLICT stores them all.
/// </summary>
public static class PostgresLoadTable
{
    /// <param name="table">The temporary table's name.</param>
    /// <param name="columns">Its columns as SQL: <c>"customer_id BIGINT, risk DOUBLE PRECISION"</c>.</param>
    /// <param name="writeRow">Writes one row's values, in the columns' order (typed, so nothing is boxed).</param>
    public static async Task LoadAsync<TRow>(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string table, string columns, IEnumerable<TRow> rows,
        Func<NpgsqlBinaryImporter, TRow, CancellationToken, Task> writeRow, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand($"CREATE TEMPORARY TABLE {table} ({columns}) ON COMMIT DROP", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var names = string.Join(", ", columns.Split(',').Select(c => c.Trim().Split(' ')[0]));
        await using var import = await connection.BeginBinaryImportAsync($"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await import.StartRowAsync(cancellationToken);
            await writeRow(import, row, cancellationToken);
        }

        await import.CompleteAsync(cancellationToken);
    }
}
