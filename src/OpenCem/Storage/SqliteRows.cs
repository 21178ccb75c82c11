using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OpenCem.Storage;

/// <summary>
/// SQLite: one statement run for many rows, prepared once with its parameters bound once and only their values set per
/// row. Dapper's list execution builds a new set of parameter objects for every row, which costs more than the insert.
/// </summary>
internal static class SqliteRows
{
    public static async Task ExecuteAsync<T>(
        DbConnection connection, DbTransaction transaction, string sql, IEnumerable<T> rows, IReadOnlyList<(string Name, Func<T, object?> Value)> parameters)
    {
        await using var command = ((SqliteConnection)connection).CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        var bound = parameters.Select(p => command.Parameters.Add(new SqliteParameter(p.Name, null))).ToArray();
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                bound[i].Value = parameters[i].Value(row) ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync();
        }
    }
}
