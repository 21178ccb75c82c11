using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Cli;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Text;

/// <summary><c>opencem text reanalyze</c> as a user runs it: analyses what is not current, says so, and is idempotent.</summary>
public sealed class ReanalyzeCliTests
{
    [Fact]
    public async Task Reanalyze_AnalysesWhatIsNotCurrent_ThenNothingTheSecondTime()
    {
        var target = await TestDatabases.CreateAsync(DatabaseKind.Sqlite);
        await using (var database = new Database(target))
        {
            await SchemaMigrator.MigrateAsync(database);
            var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
            await using var connection = await database.OpenAsync();
            await connection.ExecuteAsync(
                """
                INSERT INTO survey_responses (workspace_id, survey_id, source, status, answers, nps, comment, submitted_at, created_at, updated_at)
                VALUES (@ws, 1, 'import', 'completed', '{}', @nps, @comment, 0, 0, 0)
                """,
                Enumerable.Range(0, 50).Select(i => new { ws = workspace.Id, nps = i % 11, comment = i % 2 == 0 ? "I waited for the technician" : "The bill was wrong" }));
            await connection.ExecuteAsync(
                "INSERT INTO signals (workspace_id, source, text, occurred_at, received_at) VALUES (@ws, 'review', 'Great network', 0, 0)", new { ws = workspace.Id });
        }

        var db = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
        var (exit, output, error) = await CliProcess.RunAsync("text", "reanalyze", "--db", db);
        Assert.True(exit == 0, output + error);
        Assert.Contains("Responses: 50 read, 50 analysed", output, StringComparison.Ordinal);
        Assert.Contains("Signals: 1 read, 1 analysed", output, StringComparison.Ordinal);
        Assert.Contains("theme rollup rebuilt", output, StringComparison.Ordinal);

        (exit, output, error) = await CliProcess.RunAsync("text", "reanalyze", "--db", db, "--kind", "responses");
        Assert.True(exit == 0, output + error);
        Assert.Contains("Responses: 0 read, 0 analysed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Signals:", output, StringComparison.Ordinal);

        (exit, _, error) = await CliProcess.RunAsync("text", "reanalyze", "--db", db, "--kind", "emails");
        Assert.NotEqual(0, exit);
        Assert.Contains("emails", error, StringComparison.Ordinal);

        await using var check = new Database(target);
        await using var read = await check.OpenAsync();
        Assert.Equal(51, await read.ExecuteScalarAsync<long>("SELECT sum(items) FROM text_theme_daily WHERE theme_key = ''"));
        Assert.Equal(25, await read.ExecuteScalarAsync<long>("SELECT sum(items) FROM text_theme_daily WHERE theme_key = 'waiting-time'"));
    }
}
