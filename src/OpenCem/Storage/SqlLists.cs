using System.Data.Common;

namespace OpenCem.Storage;

/// <summary>A column matched against a list parameter, in each database's way.</summary>
public static class SqlLists
{
    /// <summary>
    /// <c>column = ANY(@parameter)</c> on PostgreSQL (one array parameter), <c>column IN @parameter</c> elsewhere
    /// (Dapper expands the list). Dapper hands Npgsql an array as one value, which <c>IN</c> cannot take.
    /// </summary>
    public static string In(DbConnection connection, string column, string parameter) =>
        connection is Npgsql.NpgsqlConnection ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";
}
