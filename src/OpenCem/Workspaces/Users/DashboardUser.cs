namespace OpenCem.Workspaces.Users;

/// <summary>
/// A person who signs in to the dashboard (the ASP.NET Core Identity user): one row of <c>users</c>, per workspace,
/// signed in by e-mail. Also the Dapper row class, so its setters and widths match both databases.
/// </summary>
public sealed class DashboardUser
{
    public long Id { get; set; }

    public long WorkspaceId { get; set; }

    public string Email { get; set; } = "";

    public string NormalizedEmail { get; set; } = "";

    /// <summary>One of <see cref="DashboardRoles.All"/>.</summary>
    public string Role { get; set; } = DashboardRoles.Viewer;

    /// <summary>For agents: the case team whose cases they see and work.</summary>
    public string? Team { get; set; }

    /// <summary>Override of the role's personal-data scope: all, team, none, or null for the role's default.</summary>
    public string? PersonalData { get; set; }

    /// <summary>Preferred interface language: en or de (null: the browser's).</summary>
    public string? Language { get; set; }

    public string? PasswordHash { get; set; }

    public string SecurityStamp { get; set; } = "";

    public long AccessFailedCount { get; set; }

    /// <summary>Locked out until this instant (epoch ms), if set.</summary>
    public long? LockoutEnd { get; set; }

    /// <summary>The subject of an OpenID Connect sign-in linked to this user.</summary>
    public string? ExternalSubject { get; set; }

    public long CreatedAt { get; set; }

    internal const string Columns =
        "id AS Id, workspace_id AS WorkspaceId, email AS Email, normalized_email AS NormalizedEmail, role AS Role, team AS Team, " +
        "personal_data AS PersonalData, language AS Language, password_hash AS PasswordHash, security_stamp AS SecurityStamp, " +
        "access_failed_count AS AccessFailedCount, lockout_end AS LockoutEnd, external_subject AS ExternalSubject, created_at AS CreatedAt";
}
