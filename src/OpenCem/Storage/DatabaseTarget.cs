using Microsoft.Data.Sqlite;
using Npgsql;

namespace OpenCem.Storage;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Which database a server or command works on, from the one string users pass as <c>--db</c> or <c>OPENCEM_DB</c>:
/// a SQLite file path, or a PostgreSQL connection string (<c>Host=...</c> or a <c>postgres://</c> URL).
/// </summary>
public sealed record DatabaseTarget(DatabaseKind Kind, string ConnectionString)
{
    public const string DefaultSqlitePath = "./opencem.db";

    public static DatabaseTarget Parse(string? value)
    {
        var text = string.IsNullOrWhiteSpace(value) ? DefaultSqlitePath : value.Trim();
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseKind.Postgres, FromUrl(new Uri(text)));
        }

        if (text.Contains("Host=", StringComparison.OrdinalIgnoreCase) || text.Contains("Server=", StringComparison.OrdinalIgnoreCase))
        {
            // Validates the syntax now, so a typo fails with a clear message instead of at first query.
            var builder = new NpgsqlConnectionStringBuilder(text);
            return new(DatabaseKind.Postgres, builder.ConnectionString);
        }

        var path = text.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase)
            ? new SqliteConnectionStringBuilder(text).DataSource
            : text;
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(Path.GetDirectoryName(full)))
        {
            throw new ArgumentException($"The folder of the SQLite database {full} does not exist.");
        }

        var sqlite = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new(DatabaseKind.Sqlite, sqlite.ConnectionString);
    }

    /// <summary>A description safe to print: no password.</summary>
    public string Display => Kind == DatabaseKind.Sqlite
        ? new SqliteConnectionStringBuilder(ConnectionString).DataSource
        : new NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }.ConnectionString;

    private static string FromUrl(Uri url)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.IsDefaultPort || url.Port <= 0 ? 5432 : url.Port,
            Database = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')),
        };
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            var parts = url.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length > 1)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
        }

        return builder.ConnectionString;
    }
}
