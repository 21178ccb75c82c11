using Dapper;

namespace OpenCem.Storage;

/// <summary>Brings a database to the newest schema at start-up; each migration runs in its own transaction.</summary>
public static class SchemaMigrator
{
    public static async Task<int> MigrateAsync(Database database, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");

        if (database.Kind == DatabaseKind.Postgres)
        {
            // Serialises concurrent start-ups of several servers on one database.
            await connection.ExecuteAsync("SELECT pg_advisory_lock(727274)");
        }

        try
        {
            var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations")).ToHashSet();
            var count = 0;
            foreach (var (version, name, sql) in Schema.Migrations)
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(Schema.Render(sql, database.Kind), transaction: transaction);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                    new { version, name, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                    transaction);
                await transaction.CommitAsync(cancellationToken);
                count++;
            }

            return count;
        }
        finally
        {
            if (database.Kind == DatabaseKind.Postgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(727274)");
            }
        }
    }
}
