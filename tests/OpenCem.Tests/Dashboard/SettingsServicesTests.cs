using Dapper;
using OpenCem.Actions.Webhooks;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>What the settings pages added to the services, on both databases: team, lock and unlock; revoking a key by id; editing a webhook.</summary>
public sealed class SettingsServicesTests
{
    private static async Task<(Database Database, long WorkspaceId)> DatabaseAsync(DatabaseKind kind)
    {
        var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        return (database, (await new WorkspaceStore(database).EnsureDefaultAsync()).Id);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task UserDirectory_SetTeamLockUnlock_AreStoredAndRenewTheSecurityStamp(DatabaseKind kind)
    {
        var (database, workspaceId) = await DatabaseAsync(kind);
        await using var users = new StandaloneUsers(database);
        var added = await users.Directory.AddAsync(workspaceId, "ana@example.com", DashboardRoles.Agent, "billing");
        var stamp = added.User!.SecurityStamp;

        var moved = await users.Directory.SetTeamAsync(workspaceId, "ana@example.com", " network ");
        Assert.Null(moved.Error);
        Assert.NotEqual(stamp, moved.User!.SecurityStamp);
        Assert.Equal("team", (await users.Directory.SetTeamAsync(workspaceId, "ana@example.com", new string('t', 101))).Field);

        Assert.Null((await users.Directory.SetLockedAsync(workspaceId, "ana@example.com", locked: true)).Error);
        var locked = (await users.Directory.ListAsync(workspaceId)).Single();
        Assert.True(locked.LockedOut);
        Assert.Equal("network", locked.Team);

        Assert.Null((await users.Directory.SetLockedAsync(workspaceId, "ana@example.com", locked: false)).Error);
        Assert.False((await users.Directory.ListAsync(workspaceId)).Single().LockedOut);
        Assert.Equal("email", (await users.Directory.SetLockedAsync(workspaceId, "nobody@example.com", locked: true)).Field);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ApiKeyStoreRevoke_ById_LeavesAKeyNamedLikeTheIdAlone(DatabaseKind kind)
    {
        var (database, workspaceId) = await DatabaseAsync(kind);
        var keys = new ApiKeyStore(database, TimeProvider.System);
        var first = await keys.CreateAsync(workspaceId, "first", ApiKeyKind.Admin);
        var namedLikeId = await keys.CreateAsync(workspaceId, first.Info.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ApiKeyKind.Write);

        Assert.True(await keys.RevokeAsync(workspaceId, first.Info.Id));
        Assert.False(await keys.RevokeAsync(workspaceId, first.Info.Id));
        Assert.False(await keys.RevokeAsync(workspaceId + 1, namedLikeId.Info.Id));

        Assert.Null(await keys.AuthenticateAsync(first.Secret));
        Assert.NotNull(await keys.AuthenticateAsync(namedLikeId.Secret));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task WebhookStoreUpdate_ChangesAddressEventsAndActive_KeepsTheSecret(DatabaseKind kind)
    {
        var (database, workspaceId) = await DatabaseAsync(kind);
        var store = new WebhookStore(database, TimeProvider.System);
        var (webhook, secret) = await store.CreateAsync(workspaceId, "https://example.com/a", null, ["case.opened"]);

        var updated = await store.UpdateAsync(workspaceId, webhook.Id, "https://example.com/b", "billing", ["case.*", "rule.fired"], enabled: false);

        Assert.NotNull(updated);
        Assert.Equal("https://example.com/b", updated.Url);
        Assert.Equal("billing", updated.Description);
        Assert.Equal(["case.*", "rule.fired"], updated.Events);
        Assert.False(updated.Enabled);
        await using (var connection = await database.OpenAsync())
        {
            Assert.Equal(secret, await connection.ExecuteScalarAsync<string>("SELECT secret FROM webhooks WHERE id = @Id", new { webhook.Id }));
            Assert.Empty(await WebhookStore.EnabledAsync(connection, null));
        }

        Assert.Null(await store.UpdateAsync(workspaceId + 1, webhook.Id, "https://example.com/c", null, ["*"], enabled: true));
        Assert.Equal("https://example.com/b", (await store.GetAsync(workspaceId, webhook.Id))!.Url);
    }
}
