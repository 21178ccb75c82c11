using OpenCem.Storage;
using OpenCem.Tests.Cli;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Transfer;

public sealed class TransferCliTests
{
    [Fact]
    public async Task BackupRestoreMigrate_ReportVerifiedCounts_AndRefuseBadTargetsWithExitOne()
    {
        var sourceTarget = await TestDatabases.CreateAsync(DatabaseKind.Sqlite);
        await using (var source = new Database(sourceTarget))
        {
            await SchemaMigrator.MigrateAsync(source);
            await new WorkspaceStore(source).EnsureDefaultAsync();
        }

        var db = sourceTarget.Display;
        var file = Path.Combine(Path.GetTempPath(), $"opencem-cli-backup-{Guid.NewGuid():N}.db");
        try
        {
            var backup = await CliProcess.RunAsync("backup", "--db", db, "--out", file);
            Assert.True(backup.ExitCode == 0, backup.Error);
            Assert.Contains("passed its integrity check", backup.Output);
            Assert.Contains("every count verified", backup.Output);

            var again = await CliProcess.RunAsync("backup", "--db", db, "--out", file);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("never overwrites", again.Error);

            var restoredDb = (await TestDatabases.CreateAsync(DatabaseKind.Postgres)).ConnectionString;
            var restore = await CliProcess.RunAsync("restore", "--from", file, "--db", restoredDb);
            Assert.True(restore.ExitCode == 0, restore.Error);
            Assert.Matches(@"workspaces\s+1\s+1\s+ok", restore.Output);

            var intoFull = await CliProcess.RunAsync("migrate", "--from", db, "--to", restoredDb);
            Assert.Equal(1, intoFull.ExitCode);
            Assert.Contains("not empty", intoFull.Error);

            var missing = await CliProcess.RunAsync("restore", "--from", file + ".missing", "--db", restoredDb);
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("no backup file", missing.Error);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
