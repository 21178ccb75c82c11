using System.Data.Common;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Operations.Partitions;

/// <summary>What partitioning the interactions table did.</summary>
public sealed record PartitioningResult(bool AlreadyPartitioned, string? History, long HistoryRows, long RowsMoved, IReadOnlyList<string> Created);

/// <summary>
/// Turns PostgreSQL's interactions table into monthly range partitions on <c>client_ts</c>, and keeps the months ahead
/// ready. The existing table is kept whole as the first partition (everything before the current month), so nothing
/// is rewritten: converting costs one index build without blocking writers, then, under a short exclusive lock, one scan
/// of the table that checks its range. New months are created ahead of time by <see cref="PartitionWorker"/>.
/// </summary>
public sealed class InteractionPartitioning(Database database, TimeProvider time)
{
    /// <summary>The history table's index that the partitioned table's primary key (id, client_ts) attaches to.</summary>
    private const string HistoryKeyIndex = "interactions_id_client_ts";

    public async Task<bool> IsPartitionedAsync(CancellationToken cancellationToken = default)
    {
        if (database.Kind != DatabaseKind.Postgres)
        {
            return false;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return await IsPartitionedAsync(connection, null);
    }

    /// <summary>Partitions the table (once; a second call reports it was done and only adds missing months).</summary>
    public async Task<PartitioningResult> ConvertAsync(int monthsAhead, Action<string>? step = null, CancellationToken cancellationToken = default)
    {
        if (database.Kind != DatabaseKind.Postgres)
        {
            throw new InvalidOperationException("Partitioning is for PostgreSQL; SQLite keeps interactions in one table.");
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        if (await IsPartitionedAsync(connection, null))
        {
            return new PartitioningResult(true, null, 0, 0, await EnsureAheadAsync(monthsAhead, cancellationToken));
        }

        step?.Invoke("Building the index for the partitioned primary key (writers keep going)");
        // One statement each: CONCURRENTLY refuses to run inside a transaction, and a batch of statements is one. A build
        // a previous attempt left unfinished (an invalid index) is dropped first.
        await connection.ExecuteAsync(new CommandDefinition($"DROP INDEX IF EXISTS {HistoryKeyIndex}", cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            $"CREATE UNIQUE INDEX CONCURRENTLY {HistoryKeyIndex} ON interactions (id, client_ts)", commandTimeout: 0, cancellationToken: cancellationToken));

        var first = MonthlyPartitions.MonthStart(time.GetUtcNow());
        var history = MonthlyPartitions.History(first);
        var months = MonthlyPartitions.Wanted(first, monthsAhead);
        step?.Invoke($"Swapping in the partitioned table ({history} keeps everything before {first:yyyy-MM})");
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Waits for running ingestion transactions; new ones wait behind the lock (their clients retry on a timeout).
        await Execute(connection, transaction, "SET LOCAL lock_timeout = '30s'; LOCK TABLE interactions IN ACCESS EXCLUSIVE MODE", cancellationToken);
        var indexes = (await connection.QueryAsync<(string Name, string Definition, bool Primary)>(
            """
            SELECT c.relname, pg_get_indexdef(i.indexrelid), i.indisprimary
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = 'interactions'::regclass ORDER BY c.relname
            """, transaction: transaction)).ToList();
        // Rules and other readers keep cursors on interaction ids: new ids continue after every id ever handed out.
        var next = await connection.ExecuteScalarAsync<long>(
            "SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM interactions), COALESCE(pg_sequence_last_value(pg_get_serial_sequence('interactions', 'id')::regclass), 0)) + 1",
            transaction: transaction);

        await Execute(connection, transaction, $"ALTER TABLE interactions RENAME TO {history}", cancellationToken);
        foreach (var index in indexes.Where(i => i.Name != HistoryKeyIndex))
        {
            await Execute(connection, transaction, $"ALTER INDEX {index.Name} RENAME TO {HistoryIndexName(index.Name, history)}", cancellationToken);
        }

        // The partition's key becomes the (id, client_ts) index built above; identity columns cannot be partitioned before
        // PostgreSQL 17, so a sequence as the default numbers the rows instead.
        foreach (var primary in indexes.Where(i => i.Primary))
        {
            await Execute(connection, transaction, $"ALTER TABLE {history} DROP CONSTRAINT {HistoryIndexName(primary.Name, history)}", cancellationToken);
        }

        await Execute(connection, transaction,
            $"ALTER TABLE {history} ADD CONSTRAINT {HistoryIndexName("interactions_pkey", history)} PRIMARY KEY USING INDEX {HistoryKeyIndex}", cancellationToken);

        await Execute(connection, transaction, $"""
            ALTER TABLE {history} ALTER COLUMN id DROP IDENTITY;
            CREATE SEQUENCE interactions_id_seq AS BIGINT START WITH {next};
            CREATE TABLE interactions (LIKE {history} INCLUDING DEFAULTS) PARTITION BY RANGE (client_ts);
            ALTER TABLE interactions ALTER COLUMN id SET DEFAULT nextval('interactions_id_seq');
            ALTER SEQUENCE interactions_id_seq OWNED BY interactions.id;
            ALTER TABLE interactions ADD CONSTRAINT interactions_pkey PRIMARY KEY (id, client_ts);
            ALTER TABLE interactions ADD FOREIGN KEY (workspace_id) REFERENCES workspaces (id);
            """, cancellationToken);
        foreach (var index in indexes.Where(i => !i.Primary && i.Name != HistoryKeyIndex))
        {
            // The definitions were read before the rename: they name the new table and the original index names.
            await Execute(connection, transaction, index.Definition, cancellationToken);
        }

        var created = new List<string>();
        foreach (var month in months)
        {
            await Execute(connection, transaction, $"CREATE TABLE {month.Table} PARTITION OF interactions FOR VALUES FROM ({month.From}) TO ({month.To})", cancellationToken);
            created.Add(month.Table);
        }

        await Execute(connection, transaction, $"CREATE TABLE {MonthlyPartitions.Default} PARTITION OF interactions DEFAULT", cancellationToken);
        created.Add(MonthlyPartitions.Default);

        // Events whose client clock is in the current month or later move to their month; the history ends before it.
        var boundary = first.ToUnixTimeMilliseconds();
        var moved = await connection.ExecuteAsync(
            $"INSERT INTO interactions SELECT * FROM {history} WHERE client_ts >= @boundary", new { boundary }, transaction, commandTimeout: 0);
        await connection.ExecuteAsync($"DELETE FROM {history} WHERE client_ts >= @boundary", new { boundary }, transaction, commandTimeout: 0);
        step?.Invoke($"Attaching {history} (one scan of its rows)");
        await Execute(connection, transaction, $"ALTER TABLE interactions ATTACH PARTITION {history} FOR VALUES FROM (MINVALUE) TO ({boundary})", cancellationToken);
        var historyRows = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {history}", transaction: transaction, commandTimeout: 0);
        await transaction.CommitAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("ANALYZE interactions", commandTimeout: 0, cancellationToken: cancellationToken));
        return new PartitioningResult(false, history, historyRows, moved, created);
    }

    /// <summary>
    /// Creates the wanted months that are missing; rows that waited in the default partition for their month move into
    /// it. Returns the partitions created (none when the table is not partitioned).
    /// </summary>
    public async Task<IReadOnlyList<string>> EnsureAheadAsync(int monthsAhead, CancellationToken cancellationToken = default)
    {
        if (database.Kind != DatabaseKind.Postgres)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        if (!await IsPartitionedAsync(connection, null))
        {
            return [];
        }

        var existing = (await connection.QueryAsync<string>(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'interactions'::regclass")).ToHashSet(StringComparer.Ordinal);
        var created = new List<string>();
        foreach (var month in MonthlyPartitions.Wanted(time.GetUtcNow(), monthsAhead).Where(m => !existing.Contains(m.Table)))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var range = new { from = month.From, to = month.To };
            await connection.ExecuteAsync($"""
                CREATE TEMP TABLE interactions_waiting ON COMMIT DROP AS SELECT * FROM {MonthlyPartitions.Default} WHERE client_ts >= @from AND client_ts < @to;
                DELETE FROM {MonthlyPartitions.Default} WHERE client_ts >= @from AND client_ts < @to;
                """, range, transaction);
            await Execute(connection, transaction, $"CREATE TABLE {month.Table} PARTITION OF interactions FOR VALUES FROM ({month.From}) TO ({month.To})", cancellationToken);
            await connection.ExecuteAsync("INSERT INTO interactions SELECT * FROM interactions_waiting", transaction: transaction);
            await transaction.CommitAsync(cancellationToken);
            created.Add(month.Table);
        }

        return created;
    }

    /// <summary>The table's partitions with their rows (estimated from the planner's statistics), oldest first.</summary>
    public async Task<IReadOnlyList<(string Table, string Range, long EstimatedRows)>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<(string, string, long)>(
            """
            SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), GREATEST(c.reltuples, 0)::bigint
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'interactions'::regclass ORDER BY c.relname
            """)];
    }

    private static Task<bool> IsPartitionedAsync(DbConnection connection, DbTransaction? transaction) =>
        connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = 'interactions' AND c.relnamespace = current_schema()::regnamespace)",
            transaction: transaction);

    private static string HistoryIndexName(string index, string history) =>
        index.Contains("interactions", StringComparison.Ordinal) ? index.Replace("interactions", history, StringComparison.Ordinal) : $"{history}_{index}";

    private static Task Execute(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken));
}
