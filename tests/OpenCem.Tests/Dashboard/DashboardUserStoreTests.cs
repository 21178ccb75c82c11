using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OpenCem.Storage;
using OpenCem.Tests.Cli;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;
using OpenCem.Workspaces.Users;

namespace OpenCem.Tests.Dashboard;

/// <summary>The Dapper Identity store and the user directory on both databases, and the <c>opencem users</c> verbs.</summary>
public sealed class DashboardUserStoreTests
{
    public static IEnumerable<object[]> Kinds => TestDatabases.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Users_AddFindCheckLockRoleRemove_RoundTrip(DatabaseKind kind)
    {
        await using var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        var workspaces = new WorkspaceStore(database);
        var workspace = await workspaces.EnsureDefaultAsync();
        await using var users = new StandaloneUsers(database);

        var added = await users.Directory.AddAsync(workspace.Id, "Ana@Example.com", "agent", "billing", "a long enough password");
        Assert.Null(added.Error);
        Assert.Null(added.Password);
        var duplicate = await users.Directory.AddAsync(workspace.Id, "ana@example.com", "viewer");
        Assert.Equal("email", duplicate.Field);
        Assert.Equal("password", (await users.Directory.AddAsync(workspace.Id, "short@example.com", "viewer", null, "short")).Field);
        Assert.Equal("role", (await users.Directory.AddAsync(workspace.Id, "x@example.com", "root")).Field);
        var generated = await users.Directory.AddAsync(workspace.Id, "gen@example.com", "viewer");
        Assert.Equal(20, generated.Password!.Length);

        await using var scope = NewScope(database, workspace.Id, out var manager);
        var found = await manager.FindByEmailAsync("ANA@example.com");
        Assert.NotNull(found);
        Assert.Equal(("agent", "billing"), (found.Role, found.Team));
        Assert.True(await manager.CheckPasswordAsync(found, "a long enough password"));
        Assert.False(await manager.CheckPasswordAsync(found, "wrong"));
        for (var i = 0; i < DashboardIdentity.MaxFailedAttempts; i++)
        {
            await manager.AccessFailedAsync(found);
        }

        Assert.True(await manager.IsLockedOutAsync((await manager.FindByIdAsync(found.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))!));
        Assert.Contains(await users.Directory.ListAsync(workspace.Id), u => u.Email == "Ana@Example.com" && u.LockedOut);

        var stamp = found.SecurityStamp;
        Assert.Null((await users.Directory.SetRoleAsync(workspace.Id, "ana@example.com", "analyst")).Error);
        var changed = (await manager.FindByEmailAsync("ana@example.com"))!;
        Assert.Equal("analyst", changed.Role);
        Assert.NotEqual(stamp, changed.SecurityStamp);

        // Another workspace may have a user with the same e-mail.
        var other = await workspaces.CreateAsync("other", "Other");
        Assert.Null((await users.Directory.AddAsync(other.Id, "ana@example.com", "viewer", null, "another long password")).Error);

        Assert.Null((await users.Directory.RemoveAsync(workspace.Id, "ana@example.com")).Error);
        Assert.DoesNotContain(await users.Directory.ListAsync(workspace.Id), u => u.Email == "Ana@Example.com");
        Assert.Single(await users.Directory.ListAsync(other.Id));
    }

    [Fact]
    public async Task Cli_UsersAddListSetRoleRemove_WorkAgainstTheDatabase()
    {
        var db = Path.Combine(Path.GetTempPath(), $"opencem-users-{Guid.NewGuid():N}.db");
        try
        {
            var added = await CliProcess.RunAsync("users", "add", "lea@example.com", "--role", "agent", "--team", "care", "--db", db);
            Assert.True(added.ExitCode == 0, added.Error);
            Assert.Matches("Password \\(shown only now\\): [A-Za-z0-9]{20}", added.Output);

            var refused = await CliProcess.RunAsync("users", "add", "lea@example.com", "--role", "viewer", "--db", db);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("email", refused.Error);

            Assert.Equal(0, (await CliProcess.RunAsync("users", "set-role", "lea@example.com", "viewer", "--db", db)).ExitCode);
            var listed = await CliProcess.RunAsync("users", "list", "--db", db);
            Assert.Matches("lea@example.com\\s+viewer\\s+care", listed.Output);

            Assert.Equal(0, (await CliProcess.RunAsync("users", "remove", "lea@example.com", "--db", db)).ExitCode);
            Assert.DoesNotContain("lea@example.com", (await CliProcess.RunAsync("users", "list", "--db", db)).Output);
            Assert.Contains("--team", (await CliProcess.RunAsync("users", "add", "--help")).Output);
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(db)!, Path.GetFileName(db) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    private static AsyncServiceScope NewScope(Database database, long workspaceId, out UserManager<DashboardUser> manager)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(database).AddSingleton(TimeProvider.System).AddSingleton<WorkspaceStore>();
        services.AddDashboardIdentityCore();
        var scope = services.BuildServiceProvider().CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<DashboardUserStore>().WorkspaceId = workspaceId;
        manager = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        return scope;
    }
}
