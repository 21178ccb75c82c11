using System.Data.Common;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Operations.Transfer;

/// <summary>Reads the tables, columns and foreign keys of a database from its own catalogue.</summary>
public static class TableCatalogue
{
    /// <summary>The bookkeeping table of <see cref="SchemaMigrator"/>: each database keeps its own.</summary>
    public const string MigrationsTable = "schema_migrations";

    /// <remarks>
    /// PostgreSQL: the partitions of a partitioned table (opencem partition) are read through their parent, and a column
    /// numbered by a sequence default counts as an identity, as the one it replaced did.
    /// </remarks>
    public static async Task<IReadOnlyList<StoredTable>> ReadAsync(DbConnection connection, DbTransaction? transaction, DatabaseKind kind)
    {
        var tables = new List<StoredTable>();
        if (kind == DatabaseKind.Sqlite)
        {
            var names = await connection.QueryAsync<string>(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> @skip ORDER BY name",
                new { skip = MigrationsTable }, transaction);
            foreach (var name in names)
            {
                var columns = (await connection.QueryAsync<SqliteColumnRow>("SELECT name AS Name, type AS Type, pk AS Pk FROM pragma_table_info(@name) ORDER BY cid", new { name }, transaction)).ToList();
                var singleKey = columns.Count(c => c.Pk > 0) == 1;
                var references = await connection.QueryAsync<string>("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(@name)", new { name }, transaction);
                tables.Add(new StoredTable(name,
                    [.. columns.Select(c => new StoredColumn(c.Name, TypeOf(c.Type, name, c.Name), singleKey && c.Pk > 0 && c.Type.Equals("INTEGER", StringComparison.OrdinalIgnoreCase)))],
                    [.. references]));
            }

            return tables;
        }

        var rows = await connection.QueryAsync<PostgresColumnRow>(
            """
            SELECT c.table_name AS TableName, c.column_name AS ColumnName, c.data_type AS DataType,
                   c.is_identity = 'YES' OR COALESCE(c.column_default, '') LIKE 'nextval(%' AS IsIdentity
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            JOIN pg_class r ON r.relname = c.table_name AND r.relnamespace = current_schema()::regnamespace
            WHERE c.table_schema = current_schema() AND c.table_name <> @skip AND NOT r.relispartition
            ORDER BY c.table_name, c.ordinal_position
            """, new { skip = MigrationsTable }, transaction);
        var foreignKeys = (await connection.QueryAsync<(string Table, string Referenced)>(
            """
            SELECT DISTINCT child.relname, parent.relname
            FROM pg_constraint k
            JOIN pg_class child ON child.oid = k.conrelid
            JOIN pg_class parent ON parent.oid = k.confrelid
            WHERE k.contype = 'f' AND child.relnamespace = current_schema()::regnamespace
            """, transaction: transaction)).ToLookup(k => k.Table, k => k.Referenced, StringComparer.Ordinal);
        foreach (var table in rows.GroupBy(r => r.TableName, StringComparer.Ordinal))
        {
            tables.Add(new StoredTable(table.Key,
                [.. table.Select(c => new StoredColumn(c.ColumnName, TypeOf(c.DataType, table.Key, c.ColumnName), c.IsIdentity))],
                [.. foreignKeys[table.Key]]));
        }

        return tables;
    }

    private static StoredColumnType TypeOf(string declared, string table, string column) => declared.ToUpperInvariant() switch
    {
        "BIGINT" => StoredColumnType.BigInt,
        "INTEGER" => StoredColumnType.Integer,
        "DOUBLE PRECISION" => StoredColumnType.Double,
        "TEXT" => StoredColumnType.Text,
        _ => throw new TransferException($"{table}.{column} has the type {declared}, which is not in OpenCem's schema; was the database changed by hand?"),
    };

    private sealed class SqliteColumnRow
    {
        public string Name { get; set; } = "";

        public string Type { get; set; } = "";

        public long Pk { get; set; }
    }

    private sealed class PostgresColumnRow
    {
        public string TableName { get; set; } = "";

        public string ColumnName { get; set; } = "";

        public string DataType { get; set; } = "";

        public bool IsIdentity { get; set; }
    }
}
