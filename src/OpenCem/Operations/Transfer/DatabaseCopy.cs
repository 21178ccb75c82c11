using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using OpenCem.Storage;

namespace OpenCem.Operations.Transfer;

/// <summary>How far a copy is: rows copied of all rows, and the table being copied.</summary>
public sealed record CopyProgress(string Table, long RowsCopied, long RowsTotal);

/// <summary>
/// Copies every table of one OpenCem database into another, empty one, of either kind: the move from SQLite to
/// PostgreSQL, a backup of a running PostgreSQL into a SQLite file, and a restore. The source is read in one snapshot
/// (a SQLite read transaction in WAL mode, a PostgreSQL REPEATABLE READ transaction), so a copy taken while the server
/// writes is consistent; afterwards every table's rows are counted in the target and must equal the snapshot's.
/// </summary>
public sealed class DatabaseCopy(Database source, Database target)
{
    private const int SqliteRowsPerCommit = 50_000;
    private const int ProgressEvery = 10_000;

    public async Task<IReadOnlyList<TableCount>> RunAsync(IProgress<CopyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (source.Kind == target.Kind && source.Target.ConnectionString == target.Target.ConnectionString)
        {
            throw new TransferException("The source and the target are the same database.");
        }

        await SchemaMigrator.MigrateAsync(source, cancellationToken);
        await SchemaMigrator.MigrateAsync(target, cancellationToken);

        await using var reading = await source.OpenAsync(cancellationToken);
        await using var snapshot = await BeginSnapshotAsync(reading, cancellationToken);
        var tables = CopyOrder.Of(await TableCatalogue.ReadAsync(reading, snapshot, source.Kind));

        await using var writing = await target.OpenForBulkLoadAsync(cancellationToken);
        var targetTables = (await TableCatalogue.ReadAsync(writing, null, target.Kind)).ToDictionary(t => t.Name, StringComparer.Ordinal);
        EnsureSameSchema(tables, targetTables);
        foreach (var table in tables)
        {
            if (await writing.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM (SELECT 1 FROM {Quote(table.Name)} LIMIT 1) t") > 0)
            {
                throw new TransferException($"The target is not empty ({table.Name} has rows): restore or migrate only into a new, empty database.");
            }
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            counts[table.Name] = await reading.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Quote(table.Name)}", transaction: snapshot);
        }

        var total = counts.Values.Sum();
        var copied = 0L;
        await using (var writeTransaction = await writing.BeginTransactionAsync(cancellationToken))
        {
            var transaction = writeTransaction;
            foreach (var table in tables)
            {
                var columns = targetTables[table.Name].Columns;
                var select = $"SELECT {string.Join(", ", columns.Select(c => Quote(c.Name)))} FROM {Quote(table.Name)}";
                await using var command = reading.CreateCommand();
                command.CommandText = select;
                command.Transaction = snapshot;
                command.CommandTimeout = 0;
                await using var rows = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
                progress?.Report(new CopyProgress(table.Name, copied, total));
                if (writing is NpgsqlConnection postgres)
                {
                    copied = await CopyIntoPostgresAsync(postgres, table.Name, columns, rows, copied, total, progress, cancellationToken);
                }
                else
                {
                    (copied, transaction) = await CopyIntoSqliteAsync((SqliteConnection)writing, transaction, table.Name, columns, rows, copied, total, progress, cancellationToken);
                }
            }

            if (writing is NpgsqlConnection)
            {
                await RestartIdentitiesAsync(writing, transaction, tables.Select(t => targetTables[t.Name]));
            }

            await transaction.CommitAsync(cancellationToken);
            if (!ReferenceEquals(transaction, writeTransaction))
            {
                await transaction.DisposeAsync();
            }
        }

        progress?.Report(new CopyProgress("", copied, total));
        var result = new List<TableCount>(tables.Count);
        foreach (var table in tables)
        {
            result.Add(new TableCount(table.Name, counts[table.Name], await writing.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Quote(table.Name)}")));
        }

        if (result.FirstOrDefault(c => !c.Matches) is { } wrong)
        {
            throw new TransferException($"Verification failed: {wrong.Table} has {wrong.SourceRows:N0} rows in the source and {wrong.TargetRows:N0} in the target.");
        }

        if (writing is SqliteConnection)
        {
            await writing.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        return result;
    }

    private static async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (connection is SqliteConnection sqlite)
        {
            // Deferred: a read transaction that never takes the write lock, so the server keeps writing; in WAL mode its
            // first read fixes the snapshot every later read sees.
            var transaction = sqlite.BeginTransaction(deferred: true);
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations", transaction: transaction);
            return transaction;
        }

        var repeatable = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await connection.ExecuteAsync("SET TRANSACTION READ ONLY", transaction: repeatable);
        return repeatable;
    }

    private static void EnsureSameSchema(IReadOnlyList<StoredTable> sourceTables, Dictionary<string, StoredTable> targetTables)
    {
        foreach (var table in sourceTables)
        {
            if (!targetTables.TryGetValue(table.Name, out var other))
            {
                throw new TransferException($"The target has no table {table.Name}; both databases must be at the same schema version.");
            }

            var missing = other.Columns.Select(c => c.Name).Except(table.Columns.Select(c => c.Name), StringComparer.Ordinal)
                .Concat(table.Columns.Select(c => c.Name).Except(other.Columns.Select(c => c.Name), StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                throw new TransferException($"The columns of {table.Name} differ between source and target ({string.Join(", ", missing)}); both databases must be at the same schema version.");
            }
        }

        if (targetTables.Keys.Except(sourceTables.Select(t => t.Name), StringComparer.Ordinal).FirstOrDefault() is { } extra)
        {
            throw new TransferException($"The source has no table {extra}; both databases must be at the same schema version.");
        }
    }

    private static async Task<long> CopyIntoPostgresAsync(NpgsqlConnection connection, string table, IReadOnlyList<StoredColumn> columns, DbDataReader rows,
        long copied, long total, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {Quote(table)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                if (await rows.IsDBNullAsync(i, cancellationToken))
                {
                    await importer.WriteNullAsync(cancellationToken);
                    continue;
                }

                var value = ColumnValues.ToPostgres(rows.GetValue(i), columns[i], table);
                await importer.WriteAsync(value.Value, value.Type, cancellationToken);
            }

            if (++copied % ProgressEvery == 0)
            {
                progress?.Report(new CopyProgress(table, copied, total));
            }
        }

        await importer.CompleteAsync(cancellationToken);
        return copied;
    }

    private static async Task<(long Copied, DbTransaction Transaction)> CopyIntoSqliteAsync(SqliteConnection connection, DbTransaction transaction, string table,
        IReadOnlyList<StoredColumn> columns, DbDataReader rows, long copied, long total, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        var parameters = columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        insert.Transaction = (SqliteTransaction)transaction;
        insert.Prepare();
        var inChunk = 0;
        while (await rows.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = rows.IsDBNull(i) ? DBNull.Value : rows.GetValue(i);
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
            if (++copied % ProgressEvery == 0)
            {
                progress?.Report(new CopyProgress(table, copied, total));
            }

            // Commits in chunks so the WAL of a large copy stays bounded; the target was empty, so a failed copy is rerun.
            if (++inChunk == SqliteRowsPerCommit)
            {
                await transaction.CommitAsync(cancellationToken);
                await transaction.DisposeAsync();
                transaction = await connection.BeginTransactionAsync(cancellationToken);
                insert.Transaction = (SqliteTransaction)transaction;
                inChunk = 0;
            }
        }

        return (copied, transaction);
    }

    /// <summary>Identity columns were written with their values; their sequences must continue after the largest.</summary>
    private static async Task RestartIdentitiesAsync(DbConnection connection, DbTransaction transaction, IEnumerable<StoredTable> tables)
    {
        foreach (var table in tables)
        {
            foreach (var column in table.Columns.Where(c => c.Identity))
            {
                await connection.ExecuteAsync(
                    $"SELECT setval(pg_get_serial_sequence(@table, @column), COALESCE((SELECT MAX({Quote(column.Name)}) FROM {Quote(table.Name)}), 1), (SELECT COUNT(*) > 0 FROM {Quote(table.Name)}))",
                    new { table = table.Name, column = column.Name }, transaction);
            }
        }
    }

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
