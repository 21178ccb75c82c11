using System.Globalization;
using System.Text;
using Dapper;
using OpenCem.Operations.Transfer;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Transfer;

/// <summary>Whole-database copies: SQLite → PostgreSQL → backup file → SQLite loses nothing, and copies taken while writing are consistent.</summary>
[Collection(DemoDatabases.SmallCollection)]
public sealed class DatabaseTransferTests
{
    [Fact]
    public async Task DemoCompany_SqliteToPostgresToBackupToSqlite_EveryRowOfEveryTableIsIdentical()
    {
        var demo = await DemoDatabases.CopyAsync(DatabaseKind.Sqlite, DemoDatabases.Small);
        await using var original = new Database(demo.Target);

        await using var postgres = new Database(await TestDatabases.CreateAsync(DatabaseKind.Postgres));
        var migrated = await new DatabaseCopy(original, postgres).RunAsync();
        var backupFile = Path.Combine(Path.GetTempPath(), $"opencem-backup-{Guid.NewGuid():N}.db");
        try
        {
            var backedUp = await DatabaseBackup.BackupAsync(postgres, backupFile);
            await using var restored = new Database(await TestDatabases.CreateAsync(DatabaseKind.Sqlite));
            var restoredCounts = await DatabaseBackup.RestoreAsync(backupFile, restored);

            Assert.All(migrated.Concat(backedUp).Concat(restoredCounts), c => Assert.True(c.Matches, c.Table));
            Assert.True(migrated.Count > 80, "every table of the schema is copied");
            Assert.True(migrated.Single(c => c.Table == "interactions").SourceRows > 1000);
            Assert.True(migrated.Count(c => c.SourceRows > 0) > 40, "the demo fills most tables");
            foreach (var table in migrated.Select(c => c.Table))
            {
                Assert.Equal(await ContentAsync(original, table), await ContentAsync(restored, table));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(backupFile);
        }

        // The identity columns continue after the copied ids: new rows get new ids.
        await using var connection = await postgres.OpenAsync();
        var before = await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM customers");
        var id = await connection.ExecuteScalarAsync<long>("INSERT INTO customers (workspace_id, created_at, updated_at) VALUES (@ws, 0, 0) RETURNING id", new { ws = demo.WorkspaceId });
        Assert.True(id > before);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task TargetWithData_IsRefused_AndKeepsItsData(DatabaseKind kind)
    {
        await using var source = new Database(await TestDatabases.CreateAsync(DatabaseKind.Sqlite));
        await SchemaMigrator.MigrateAsync(source);
        await new WorkspaceStore(source).EnsureDefaultAsync();
        await using var target = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(target);
        var existing = await new WorkspaceStore(target).EnsureDefaultAsync();

        var error = await Assert.ThrowsAsync<TransferException>(() => new DatabaseCopy(source, target).RunAsync());

        Assert.Contains("not empty", error.Message);
        await using var connection = await target.OpenAsync();
        Assert.Equal(existing.Id, await connection.ExecuteScalarAsync<long>("SELECT id FROM workspaces"));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task BackupWhileTheServerWrites_IsOneConsistentSnapshot_AndRestores(DatabaseKind kind)
    {
        await using var live = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(live);
        var ws = (await new WorkspaceStore(live).EnsureDefaultAsync()).Id;
        using var stop = new CancellationTokenSource();

        // Each write adds a customer and its identity in one transaction: a consistent copy holds as many of each.
        var writer = Task.Run(async () =>
        {
            var written = 0;
            while (!stop.IsCancellationRequested || written < 200)
            {
                await using var connection = await live.OpenAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                var id = await connection.ExecuteScalarAsync<long>("INSERT INTO customers (workspace_id, created_at, updated_at) VALUES (@ws, 0, 0) RETURNING id", new { ws }, transaction);
                await connection.ExecuteAsync("INSERT INTO customer_identities (workspace_id, kind, value, customer_id, created_at) VALUES (@ws, 'email', @value, @id, 0)",
                    new { ws, value = $"c{id}@example.test", id }, transaction);
                await transaction.CommitAsync();
                written++;
            }

            return written;
        });
        while (true)
        {
            await using var connection = await live.OpenAsync();
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers") >= 100)
            {
                break;
            }

            await Task.Delay(10);
        }

        var file = Path.Combine(Path.GetTempPath(), $"opencem-backup-{Guid.NewGuid():N}.db");
        try
        {
            var counts = await DatabaseBackup.BackupAsync(live, file);
            await stop.CancelAsync();
            var written = await writer;

            var customers = counts.Single(c => c.Table == "customers").TargetRows;
            Assert.Equal(customers, counts.Single(c => c.Table == "customer_identities").TargetRows);
            Assert.InRange(customers, 100, written);

            await using var restored = new Database(await TestDatabases.CreateAsync(kind == DatabaseKind.Sqlite ? DatabaseKind.Postgres : DatabaseKind.Sqlite));
            var restoredCounts = await DatabaseBackup.RestoreAsync(file, restored);
            Assert.Equal(customers, restoredCounts.Single(c => c.Table == "customers").TargetRows);
            await using var connection = await restored.OpenAsync();
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_id = c.id)"));
        }
        finally
        {
            await stop.CancelAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Backup_NeverOverwrites_RestoreRefusesAFileThatIsNoBackup()
    {
        await using var live = new Database(await TestDatabases.CreateAsync(DatabaseKind.Sqlite));
        var file = Path.Combine(Path.GetTempPath(), $"opencem-not-a-backup-{Guid.NewGuid():N}.db");
        await File.WriteAllTextAsync(file, "precious notes");
        try
        {
            var overwrite = await Assert.ThrowsAsync<TransferException>(() => DatabaseBackup.BackupAsync(live, file));
            Assert.Contains("never overwrites", overwrite.Message);
            Assert.Equal("precious notes", await File.ReadAllTextAsync(file));

            var notBackup = await Assert.ThrowsAsync<TransferException>(() => DatabaseBackup.RestoreAsync(file, live));
            Assert.Contains("not an OpenCem backup", notBackup.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A table's rows in a fixed order, each value written invariantly: equal strings mean equal tables.</summary>
    private static async Task<string> ContentAsync(Database database, string table)
    {
        await using var connection = await database.OpenAsync();
        var columns = (await TableCatalogue.ReadAsync(connection, null, database.Kind)).Single(t => t.Name == table).Columns;
        var list = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {list} FROM \"{table}\" ORDER BY {list}";
        await using var reader = await command.ExecuteReaderAsync();
        var text = new StringBuilder();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i) is double d ? d.ToString("R", CultureInfo.InvariantCulture) : reader.GetValue(i), CultureInfo.InvariantCulture)).Append('|');
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
