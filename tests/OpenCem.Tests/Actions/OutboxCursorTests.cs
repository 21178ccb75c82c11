using OpenCem.Actions.Events;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Actions;

public sealed class OutboxCursorTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Lease_SavedPosition_IsReadBack_AndRolledBackPositionIsNot(DatabaseKind kind)
    {
        await using var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        await using var connection = await database.OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.Equal(0, await OutboxCursor.LeaseAsync(connection, transaction, kind, "rules", 1));
            await OutboxCursor.SaveAsync(connection, transaction, "rules", 41, 2);
            await transaction.CommitAsync();
        }

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.Equal(41, await OutboxCursor.LeaseAsync(connection, transaction, kind, "rules", 3));
            await OutboxCursor.SaveAsync(connection, transaction, "rules", 99, 4);
            await transaction.RollbackAsync();
        }

        await using var check = await connection.BeginTransactionAsync();
        Assert.Equal(41, await OutboxCursor.LeaseAsync(connection, check, kind, "rules", 5));
    }

    [Fact]
    public async Task Lease_HeldByAnotherPostgresProcess_IsSkipped()
    {
        await using var database = new Database(await TestDatabases.CreateAsync(DatabaseKind.Postgres));
        await SchemaMigrator.MigrateAsync(database);
        await using var first = await database.OpenAsync();
        await using var second = await database.OpenAsync();
        await using (var setup = await first.BeginTransactionAsync())
        {
            await OutboxCursor.LeaseAsync(first, setup, DatabaseKind.Postgres, "hooks", 1);
            await setup.CommitAsync();
        }

        await using var holding = await first.BeginTransactionAsync();
        Assert.Equal(0, await OutboxCursor.LeaseAsync(first, holding, DatabaseKind.Postgres, "hooks", 2));
        await using var waiting = await second.BeginTransactionAsync();
        Assert.Null(await OutboxCursor.LeaseAsync(second, waiting, DatabaseKind.Postgres, "hooks", 3));
    }
}
