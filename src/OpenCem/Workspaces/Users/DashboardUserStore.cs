using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Identity;
using OpenCem.Storage;

namespace OpenCem.Workspaces.Users;

/// <summary>
/// ASP.NET Core Identity's user store over the <c>users</c> table with Dapper, on SQLite and PostgreSQL. The user name
/// is the e-mail; the role is one column (one role per user). Look-ups by name or e-mail search the workspace in
/// <see cref="WorkspaceId"/> (the default workspace unless the sign-in names another).
/// </summary>
public sealed class DashboardUserStore(Database database, WorkspaceStore workspaces, TimeProvider time) :
    IUserPasswordStore<DashboardUser>, IUserEmailStore<DashboardUser>, IUserRoleStore<DashboardUser>,
    IUserLockoutStore<DashboardUser>, IUserSecurityStampStore<DashboardUser>
{
    /// <summary>The workspace whose users look-ups by e-mail search; null: the default workspace.</summary>
    public long? WorkspaceId { get; set; }

    public Task<string> GetUserIdAsync(DashboardUser user, CancellationToken cancellationToken) =>
        Task.FromResult(user.Id.ToString(CultureInfo.InvariantCulture));

    public Task<string?> GetUserNameAsync(DashboardUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task SetUserNameAsync(DashboardUser user, string? userName, CancellationToken cancellationToken)
    {
        user.Email = userName ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(DashboardUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedUserNameAsync(DashboardUser user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedName ?? "";
        return Task.CompletedTask;
    }

    public async Task<IdentityResult> CreateAsync(DashboardUser user, CancellationToken cancellationToken)
    {
        if (user.WorkspaceId == 0)
        {
            user.WorkspaceId = await WorkspaceAsync(cancellationToken);
        }

        user.CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var taken = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM users WHERE workspace_id = @WorkspaceId AND normalized_email = @NormalizedEmail", user, cancellationToken: cancellationToken));
        if (taken > 0)
        {
            return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(user.Email));
        }

        user.Id = await connection.QuerySingleAsync<long>(new CommandDefinition(
            """
            INSERT INTO users (workspace_id, email, normalized_email, role, team, personal_data, language, password_hash, security_stamp,
                access_failed_count, lockout_end, external_subject, created_at)
            VALUES (@WorkspaceId, @Email, @NormalizedEmail, @Role, @Team, @PersonalData, @Language, @PasswordHash, @SecurityStamp,
                @AccessFailedCount, @LockoutEnd, @ExternalSubject, @CreatedAt)
            RETURNING id
            """, user, cancellationToken: cancellationToken));
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> UpdateAsync(DashboardUser user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE users SET email = @Email, normalized_email = @NormalizedEmail, role = @Role, team = @Team, personal_data = @PersonalData,
                language = @Language, password_hash = @PasswordHash, security_stamp = @SecurityStamp, access_failed_count = @AccessFailedCount,
                lockout_end = @LockoutEnd, external_subject = @ExternalSubject
            WHERE id = @Id
            """, user, cancellationToken: cancellationToken));
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> DeleteAsync(DashboardUser user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM users WHERE id = @Id", new { user.Id }, cancellationToken: cancellationToken));
        return IdentityResult.Success;
    }

    public async Task<DashboardUser?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        if (!long.TryParse(userId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DashboardUser>(new CommandDefinition(
            $"SELECT {DashboardUser.Columns} FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<DashboardUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken)
    {
        var workspaceId = await WorkspaceAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DashboardUser>(new CommandDefinition(
            $"SELECT {DashboardUser.Columns} FROM users WHERE workspace_id = @workspaceId AND normalized_email = @normalizedUserName",
            new { workspaceId, normalizedUserName }, cancellationToken: cancellationToken));
    }

    public Task<DashboardUser?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) => FindByNameAsync(normalizedEmail, cancellationToken);

    public Task SetPasswordHashAsync(DashboardUser user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(DashboardUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(DashboardUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetEmailAsync(DashboardUser user, string? email, CancellationToken cancellationToken)
    {
        user.Email = email ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetEmailAsync(DashboardUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    // Users are created by an administrator, who vouches for the address.
    public Task<bool> GetEmailConfirmedAsync(DashboardUser user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetEmailConfirmedAsync(DashboardUser user, bool confirmed, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<string?> GetNormalizedEmailAsync(DashboardUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedEmailAsync(DashboardUser user, string? normalizedEmail, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedEmail ?? "";
        return Task.CompletedTask;
    }

    public Task AddToRoleAsync(DashboardUser user, string roleName, CancellationToken cancellationToken)
    {
        var role = roleName.ToLowerInvariant();
        if (!DashboardRoles.IsRole(role))
        {
            throw new ArgumentException($"\"{roleName}\" is not a role; use one of {string.Join(", ", DashboardRoles.All)}.", nameof(roleName));
        }

        user.Role = role;
        return Task.CompletedTask;
    }

    // One role per user: removing it leaves the least privileged one.
    public Task RemoveFromRoleAsync(DashboardUser user, string roleName, CancellationToken cancellationToken)
    {
        if (string.Equals(user.Role, roleName, StringComparison.OrdinalIgnoreCase))
        {
            user.Role = DashboardRoles.Viewer;
        }

        return Task.CompletedTask;
    }

    public Task<IList<string>> GetRolesAsync(DashboardUser user, CancellationToken cancellationToken) => Task.FromResult<IList<string>>([user.Role]);

    public Task<bool> IsInRoleAsync(DashboardUser user, string roleName, CancellationToken cancellationToken) =>
        Task.FromResult(string.Equals(user.Role, roleName, StringComparison.OrdinalIgnoreCase));

    public async Task<IList<DashboardUser>> GetUsersInRoleAsync(string roleName, CancellationToken cancellationToken)
    {
        var workspaceId = await WorkspaceAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DashboardUser>(new CommandDefinition(
            $"SELECT {DashboardUser.Columns} FROM users WHERE workspace_id = @workspaceId AND role = @role ORDER BY id",
            new { workspaceId, role = roleName.ToLowerInvariant() }, cancellationToken: cancellationToken))).ToList();
    }

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(DashboardUser user, CancellationToken cancellationToken) =>
        Task.FromResult(user.LockoutEnd is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : (DateTimeOffset?)null);

    public Task SetLockoutEndDateAsync(DashboardUser user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        // DateTimeOffset.MaxValue (a permanent lockout) does not fit in epoch ms arithmetic elsewhere; it is clamped to year 9999.
        user.LockoutEnd = lockoutEnd?.ToUnixTimeMilliseconds();
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(DashboardUser user, CancellationToken cancellationToken) =>
        Task.FromResult((int)++user.AccessFailedCount);

    public Task ResetAccessFailedCountAsync(DashboardUser user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(DashboardUser user, CancellationToken cancellationToken) => Task.FromResult((int)user.AccessFailedCount);

    // Lockout protects every account against password guessing.
    public Task<bool> GetLockoutEnabledAsync(DashboardUser user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetLockoutEnabledAsync(DashboardUser user, bool enabled, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetSecurityStampAsync(DashboardUser user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(DashboardUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    public void Dispose()
    {
    }

    private async Task<long> WorkspaceAsync(CancellationToken cancellationToken) =>
        WorkspaceId ??= (await workspaces.EnsureDefaultAsync(cancellationToken)).Id;
}
