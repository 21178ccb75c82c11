using Dapper;
using OpenCem.Actions.Cases;
using OpenCem.Actions.Events;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Actions;

public sealed class CaseOpenerTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Open_SameSourceTwice_OneCaseAndOneOpenedEvent(DatabaseKind kind)
    {
        await using var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        var opening = new CaseOpening(workspace.Id, "Detractor follow-up", Priority: CasePriorities.High, RuleId: 7, SourceKey: "rule:7:event:42");

        await using var connection = await database.OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var first = await CaseOpener.OpenAsync(connection, transaction, opening, 1_000);
            var again = await CaseOpener.OpenAsync(connection, transaction, opening, 2_000);
            Assert.True(first.Opened);
            Assert.False(again.Opened);
            Assert.Equal(first.Id, again.Id);
            await transaction.CommitAsync();
        }

        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM cases"));
        var events = await EventOutbox.ReadAsync(connection, 0, long.MaxValue, 10);
        var opened = Assert.Single(events);
        Assert.Equal(EventTypes.CaseOpened, opened.Type);
        Assert.Contains("\"priority\":\"high\"", opened.Payload);
        Assert.Equal(opened.Id, await EventOutbox.MaxIdAsync(connection));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Open_WithoutSourceKey_OpensEachTime(DatabaseKind kind)
    {
        await using var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        await using var connection = await database.OpenAsync();
        var first = await CaseOpener.OpenAsync(connection, null, new CaseOpening(workspace.Id, "Call back"), 1_000);
        var second = await CaseOpener.OpenAsync(connection, null, new CaseOpening(workspace.Id, "Call back"), 1_000);
        Assert.NotEqual(first.Id, second.Id);
        Assert.True(second.Opened);
    }
}
