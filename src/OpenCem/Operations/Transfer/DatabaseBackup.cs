using Dapper;
using Microsoft.Data.Sqlite;
using OpenCem.Storage;

namespace OpenCem.Operations.Transfer;

/// <summary>
/// Backups are SQLite files with OpenCem's schema, whichever database they come from: one file that any OpenCem can
/// open, check and restore into SQLite or PostgreSQL. Both are consistent while the server runs (one read snapshot).
/// </summary>
public static class DatabaseBackup
{
    public static async Task<IReadOnlyList<TableCount>> BackupAsync(Database source, string file, IProgress<CopyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var path = Path.GetFullPath(file);
        if (File.Exists(path))
        {
            throw new TransferException($"{path} already exists; a backup never overwrites a file.");
        }

        if (!Directory.Exists(Path.GetDirectoryName(path)))
        {
            throw new TransferException($"The folder of {path} does not exist.");
        }

        if (source.Kind == DatabaseKind.Postgres)
        {
            await using var backup = new Database(DatabaseTarget.Parse(path));
            return await new DatabaseCopy(source, backup).RunAsync(progress, cancellationToken);
        }

        await SchemaMigrator.MigrateAsync(source, cancellationToken);
        await using (var connection = await source.OpenAsync(cancellationToken))
        {
            // VACUUM INTO writes a compact copy from one read transaction: consistent, and the writer is never blocked.
            await connection.ExecuteAsync(new CommandDefinition("VACUUM INTO @path", new { path }, commandTimeout: 0, cancellationToken: cancellationToken));
        }

        return await VerifyAsync(path, cancellationToken);
    }

    public static async Task<IReadOnlyList<TableCount>> RestoreAsync(string file, Database target, IProgress<CopyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var path = Path.GetFullPath(file);
        await EnsureBackupAsync(path, cancellationToken);
        await using var backup = new Database(DatabaseTarget.Parse(path));
        try
        {
            return await new DatabaseCopy(backup, target).RunAsync(progress, cancellationToken);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>Checks a backup file page by page and counts its rows: what <c>opencem backup</c> reports.</summary>
    public static async Task<IReadOnlyList<TableCount>> VerifyAsync(string file, CancellationToken cancellationToken = default)
    {
        var path = Path.GetFullPath(file);
        await EnsureBackupAsync(path, cancellationToken);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var check = (await connection.QueryAsync<string>("PRAGMA integrity_check")).ToList();
        if (check is not ["ok"])
        {
            throw new TransferException($"{path} is damaged: {string.Join("; ", check.Take(3))}");
        }

        var counts = new List<TableCount>();
        foreach (var table in CopyOrder.Of(await TableCatalogue.ReadAsync(connection, null, DatabaseKind.Sqlite)))
        {
            var rows = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {DatabaseCopy.Quote(table.Name)}");
            counts.Add(new TableCount(table.Name, rows, rows));
        }

        return counts;
    }

    private static async Task EnsureBackupAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new TransferException($"There is no backup file {path}.");
        }

        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            var version = await connection.ExecuteScalarAsync<long?>("SELECT MAX(version) FROM schema_migrations");
            var newest = Schema.Migrations[^1].Version;
            if (version > newest)
            {
                throw new TransferException($"{path} was made by a newer OpenCem (schema {version}, this one knows {newest}); restore it with that version.");
            }
        }
        catch (SqliteException exception)
        {
            throw new TransferException($"{path} is not an OpenCem backup ({exception.Message}).");
        }
    }
}
