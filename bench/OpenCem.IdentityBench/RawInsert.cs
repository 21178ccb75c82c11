using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.IdentityBench;

/// <summary>The rows of one table, as read back from the imported database.</summary>
internal sealed record TableRows(string Table, string[] Columns, NpgsqlDbType[] PostgresTypes, List<object?[]> Rows);

internal sealed record TableTime(string Table, int Rows, double Seconds);

internal sealed record RawLimitResult(string Method, int Rows, double Seconds, IReadOnlyList<TableTime> Tables, CpuUse Cpu);

/// <summary>
/// The physical limit: the final rows of the import (profiles, source records, their identifier rows, tracking
/// identities, redirects) inserted into a fresh, migrated database of the same kind, same tables and indexes, with no
/// resolution at all, in one transaction, each table in the order of its key. SQLite: one prepared single-row INSERT
/// per row (as <c>BulkRecordWriter</c> does); PostgreSQL: binary COPY per table (as <c>BulkRecordWriter</c> does).
/// Only the inserting and the commit are timed.
/// </summary>
internal static class RawInsert
{
    private static readonly (string Table, string Order)[] Tables =
    [
        ("customers", "id"),
        ("source_records", "id"),
        ("record_identifiers", "workspace_id, kind, value, record_id"),
        ("customer_identities", "workspace_id, kind, value"),
        ("customer_redirects", "workspace_id, old_customer_id"),
        ("identity_splits", "workspace_id, record_a, record_b"),
    ];

    public static async Task<List<TableRows>> ReadAsync(Database database, long workspaceId)
    {
        var result = new List<TableRows>();
        await using var connection = await database.OpenAsync();
        foreach (var (table, order) in Tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table} WHERE workspace_id = {workspaceId} ORDER BY {order}";
            await using var reader = await command.ExecuteReaderAsync();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            var types = Enumerable.Range(0, reader.FieldCount).Select(i => PostgresType(reader.GetDataTypeName(i))).ToArray();
            var rows = new List<object?[]>();
            while (await reader.ReadAsync())
            {
                var row = new object?[columns.Length];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            result.Add(new TableRows(table, columns, types, rows));
        }

        return result;
    }

    private static NpgsqlDbType PostgresType(string name) => name.ToLowerInvariant() switch
    {
        "bigint" or "int8" or "integer" => NpgsqlDbType.Bigint,
        "int4" => NpgsqlDbType.Integer,
        "double precision" or "float8" or "real" => NpgsqlDbType.Double,
        "boolean" or "bool" => NpgsqlDbType.Boolean,
        _ => NpgsqlDbType.Text,
    };

    public static async Task<RawLimitResult> RunAsync(DatabaseTarget target, IReadOnlyList<TableRows> tables, long workspaceId)
    {
        await using var database = new Database(target);
        await SchemaMigrator.MigrateAsync(database);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        if (workspace.Id != workspaceId)
        {
            throw new InvalidOperationException($"The fresh database's default workspace is {workspace.Id}, the imported one's {workspaceId}.");
        }

        await using var connection = await database.OpenAsync();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var times = new List<TableTime>();
        var cpu = CpuSample.Take();
        var started = Stopwatch.GetTimestamp();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var table in tables.Where(t => t.Rows.Count > 0))
            {
                var tableStart = Stopwatch.GetTimestamp();
                if (database.Kind == DatabaseKind.Postgres)
                {
                    await CopyAsync((NpgsqlConnection)connection, table);
                }
                else
                {
                    Insert((SqliteConnection)connection, (SqliteTransaction)transaction, table);
                }

                times.Add(new TableTime(table.Table, table.Rows.Count, Stopwatch.GetElapsedTime(tableStart).TotalSeconds));
            }

            var commitStart = Stopwatch.GetTimestamp();
            await transaction.CommitAsync();
            times.Add(new TableTime("(commit)", 0, Stopwatch.GetElapsedTime(commitStart).TotalSeconds));
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new RawLimitResult(
            database.Kind == DatabaseKind.Postgres ? "binary COPY per table, one transaction" : "prepared single-row INSERTs, one transaction",
            tables.Sum(t => t.Rows.Count), seconds, times, CpuSample.Take().Since(cpu));
    }

    /// <summary>
    /// PostgreSQL with both cores: the biggest table on one connection and the others on a second, at the same time,
    /// each in its own transaction. One backend is one core, so this is the floor a parallel writer could reach.
    /// </summary>
    public static async Task<RawLimitResult> RunParallelAsync(DatabaseTarget target, IReadOnlyList<TableRows> tables, long workspaceId)
    {
        await using var database = new Database(target);
        await SchemaMigrator.MigrateAsync(database);
        await new WorkspaceStore(database).EnsureDefaultAsync();
        // Two lanes of about equal bytes to send: the heaviest table alone if it is half or more, else greedily.
        var lanes = new[] { new List<TableRows>(), new List<TableRows>() };
        var load = new long[2];
        foreach (var table in tables.Where(t => t.Rows.Count > 0).OrderByDescending(Bytes))
        {
            var lane = load[0] <= load[1] ? 0 : 1;
            lanes[lane].Add(table);
            load[lane] += Bytes(table);
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var times = new System.Collections.Concurrent.ConcurrentBag<TableTime>();
        var cpu = CpuSample.Take();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(lanes.Select(lane => Task.Run(async () =>
        {
            await using var connection = (NpgsqlConnection)await database.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var table in lane)
            {
                var tableStart = Stopwatch.GetTimestamp();
                await CopyAsync(connection, table);
                times.Add(new TableTime(table.Table, table.Rows.Count, Stopwatch.GetElapsedTime(tableStart).TotalSeconds));
            }

            await transaction.CommitAsync();
        })));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new RawLimitResult(
            $"binary COPY on two connections at once ({string.Join(" | ", lanes.Select(l => string.Join(" + ", l.Select(t => t.Table))))}), a transaction each", tables.Sum(t => t.Rows.Count), seconds,
            times.OrderBy(t => t.Table, StringComparer.Ordinal).ToList(), CpuSample.Take().Since(cpu));
    }

    /// <summary>About how many bytes a table's rows take on the wire: text length, 8 for anything else.</summary>
    private static long Bytes(TableRows table) =>
        table.Rows.Sum(row => row.Sum(value => value is string text ? text.Length + 4L : 8L));

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, TableRows table)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table.Table} ({string.Join(", ", table.Columns)}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => "$p" + i))})";
        var parameters = table.Columns.Select((_, i) => command.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        command.Prepare();
        foreach (var row in table.Rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = row[i] ?? DBNull.Value;
            }

            command.ExecuteNonQuery();
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, TableRows table)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {table.Table} ({string.Join(", ", table.Columns)}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in table.Rows)
        {
            await copy.StartRowAsync();
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is { } value)
                {
                    await copy.WriteAsync(value, table.PostgresTypes[i]);
                }
                else
                {
                    await copy.WriteNullAsync();
                }
            }
        }

        await copy.CompleteAsync();
    }
}
