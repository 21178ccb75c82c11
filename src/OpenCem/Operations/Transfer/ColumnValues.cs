using System.Globalization;
using NpgsqlTypes;

namespace OpenCem.Operations.Transfer;

/// <summary>
/// Converts a value read from either database to what a PostgreSQL column of the one schema takes: SQLite hands back
/// every integer as a long and may hold a number in a TEXT column, PostgreSQL wants the column's exact width.
/// </summary>
public static class ColumnValues
{
    public static (object Value, NpgsqlDbType Type) ToPostgres(object value, StoredColumn column, string table)
    {
        try
        {
            return column.Type switch
            {
                StoredColumnType.BigInt => (Convert.ToInt64(value, CultureInfo.InvariantCulture), NpgsqlDbType.Bigint),
                StoredColumnType.Integer => (Convert.ToInt32(value, CultureInfo.InvariantCulture), NpgsqlDbType.Integer),
                StoredColumnType.Double => (Convert.ToDouble(value, CultureInfo.InvariantCulture), NpgsqlDbType.Double),
                _ => (value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", NpgsqlDbType.Text),
            };
        }
        catch (Exception exception) when (exception is FormatException or OverflowException or InvalidCastException)
        {
            throw new TransferException($"{table}.{column.Name} holds {Describe(value)}, which is not a {column.Type} value; the source was changed outside OpenCem.");
        }
    }

    private static string Describe(object value) => value is string text ? $"the text \"{(text.Length > 40 ? text[..40] + "…" : text)}\"" : $"a {value.GetType().Name}";
}
