using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Identity;
using OpenCem.Storage;

namespace OpenCem.Workspaces.Users;

/// <summary>A user as listed: never the password hash.</summary>
public sealed record UserSummary(long Id, string Email, string Role, string? Team, PersonalDataScope PersonalData, string? Language, bool LockedOut);

/// <summary>The outcome of a change: the user, the password when one was generated, or the field at fault.</summary>
public sealed record UserChange(DashboardUser? User, string? Password, string? Field, string? Error)
{
    public static UserChange Fail(string field, string error) => new(null, null, field, error);
}

/// <summary>Adds, lists, re-roles and removes dashboard users of a workspace, for the CLI, the demo and the settings pages.</summary>
public sealed class UserDirectory(UserManager<DashboardUser> users, DashboardUserStore store, Database database, TimeProvider time)
{
    public async Task<UserChange> AddAsync(
        long workspaceId, string email, string role, string? team = null, string? password = null, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        if (!LooksLikeEmail(email))
        {
            return UserChange.Fail("email", "email must be an e-mail address such as ana@example.com.");
        }

        role = role.Trim().ToLowerInvariant();
        if (!DashboardRoles.IsRole(role))
        {
            return UserChange.Fail("role", $"role must be one of {string.Join(", ", DashboardRoles.All)}.");
        }

        team = string.IsNullOrWhiteSpace(team) ? null : team.Trim();
        if (team is { Length: > 100 })
        {
            return UserChange.Fail("team", "team must be at most 100 characters.");
        }

        store.WorkspaceId = workspaceId;
        var generated = password is null;
        password ??= GeneratePassword();
        var user = new DashboardUser { WorkspaceId = workspaceId, Email = email, Role = role, Team = team };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            var field = result.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : "email";
            return UserChange.Fail(field, string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        return new UserChange(user, generated ? password : null, null, null);
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = await connection.QueryAsync<DashboardUser>(new CommandDefinition(
            $"SELECT {DashboardUser.Columns} FROM users WHERE workspace_id = @workspaceId ORDER BY email", new { workspaceId }, cancellationToken: cancellationToken));
        return rows.Select(u => new UserSummary(
            u.Id, u.Email, u.Role, u.Team, DashboardRoles.PersonalData(u.Role, u.PersonalData), u.Language, u.LockoutEnd > now)).ToList();
    }

    public async Task<UserChange> SetRoleAsync(long workspaceId, string email, string role, CancellationToken cancellationToken = default)
    {
        role = role.Trim().ToLowerInvariant();
        if (!DashboardRoles.IsRole(role))
        {
            return UserChange.Fail("role", $"role must be one of {string.Join(", ", DashboardRoles.All)}.");
        }

        store.WorkspaceId = workspaceId;
        if (await users.FindByEmailAsync(email.Trim()) is not { } user)
        {
            return UserChange.Fail("email", $"No user has the e-mail \"{email}\".");
        }

        user.Role = role;
        // A new security stamp signs the user out everywhere, so the old role's cookie stops working.
        await users.UpdateSecurityStampAsync(user);
        return new UserChange(user, null, null, null);
    }

    public async Task<UserChange> RemoveAsync(long workspaceId, string email, CancellationToken cancellationToken = default)
    {
        store.WorkspaceId = workspaceId;
        if (await users.FindByEmailAsync(email.Trim()) is not { } user)
        {
            return UserChange.Fail("email", $"No user has the e-mail \"{email}\".");
        }

        await users.DeleteAsync(user);
        return new UserChange(user, null, null, null);
    }

    /// <summary>Moves a user to another case team (null: none); a new security stamp ends the sessions that carry the old team.</summary>
    public async Task<UserChange> SetTeamAsync(long workspaceId, string email, string? team, CancellationToken cancellationToken = default)
    {
        team = string.IsNullOrWhiteSpace(team) ? null : team.Trim();
        if (team is { Length: > 100 })
        {
            return UserChange.Fail("team", "team must be at most 100 characters.");
        }

        store.WorkspaceId = workspaceId;
        if (await users.FindByEmailAsync(email.Trim()) is not { } user)
        {
            return UserChange.Fail("email", $"No user has the e-mail \"{email}\".");
        }

        user.Team = team;
        await users.UpdateSecurityStampAsync(user);
        return new UserChange(user, null, null, null);
    }

    /// <summary>Locks a user out until unlocked (and ends their sessions), or unlocks them with the failed attempts forgotten.</summary>
    public async Task<UserChange> SetLockedAsync(long workspaceId, string email, bool locked, CancellationToken cancellationToken = default)
    {
        store.WorkspaceId = workspaceId;
        if (await users.FindByEmailAsync(email.Trim()) is not { } user)
        {
            return UserChange.Fail("email", $"No user has the e-mail \"{email}\".");
        }

        if (locked)
        {
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
            await users.UpdateSecurityStampAsync(user);
        }
        else
        {
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
        }

        return new UserChange(user, null, null, null);
    }

    /// <summary>20 characters from a 57-letter alphabet without look-alikes (~116 bits).</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }

    public static bool LooksLikeEmail(string email) =>
        email.Length is > 2 and <= 254 && email.IndexOf('@') is > 0 and var at && at < email.Length - 1 && !email.Any(char.IsWhiteSpace) && email.Count(c => c == '@') == 1;
}
