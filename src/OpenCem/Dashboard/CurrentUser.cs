using System.Globalization;
using System.Security.Claims;
using OpenCem.Workspaces.Users;

namespace OpenCem.Dashboard;

/// <summary>
/// The signed-in dashboard user as pages see it: the workspace, role, team, what they may do and whose personal data
/// they see. Page authors call <see cref="Can"/> before every change and <see cref="Mask"/> / <see cref="MaskName"/>
/// on every name, e-mail, phone or free text they show; agents' lists use <see cref="CaseTeam"/> as a filter.
/// </summary>
public sealed record CurrentUser(long Id, long WorkspaceId, string Email, string Role, string? Team, PersonalDataScope PersonalData, string? Language)
{
    public const string WorkspaceClaim = "workspace";
    public const string TeamClaim = "team";
    public const string PersonalDataClaim = "personal_data";
    public const string LanguageClaim = "lang";

    public bool Can(DashboardPermission permission) => DashboardRoles.Can(Role, permission);

    /// <summary>The team whose cases this user may see (agents), or null for all cases.</summary>
    public string? CaseTeam => Role == DashboardRoles.Agent ? Team ?? "" : null;

    /// <summary>Whether this user sees the personal data of a customer; <paramref name="behindTeamCase"/>: the customer has a case of the user's team.</summary>
    public bool SeesPersonalData(bool behindTeamCase = false) =>
        PersonalData == PersonalDataScope.All || (PersonalData == PersonalDataScope.TeamCases && behindTeamCase);

    /// <summary>Free text (comment, note, identifier) with e-mails and phones masked unless the user sees personal data.</summary>
    public string Mask(string? text, bool behindTeamCase = false) =>
        SeesPersonalData(behindTeamCase) ? text ?? "" : PersonalDataMask.Text(text);

    public string MaskName(string? name, bool behindTeamCase = false) =>
        SeesPersonalData(behindTeamCase) ? name ?? "" : PersonalDataMask.Name(name);

    public string MaskEmail(string? email, bool behindTeamCase = false) =>
        SeesPersonalData(behindTeamCase) ? email ?? "" : PersonalDataMask.Email(email);

    public string MaskPhone(string? phone, bool behindTeamCase = false) =>
        SeesPersonalData(behindTeamCase) ? phone ?? "" : PersonalDataMask.Phone(phone);

    /// <summary>The claims a signed-in user's cookie carries.</summary>
    public static IEnumerable<Claim> Claims(DashboardUser user)
    {
        yield return new Claim(ClaimTypes.Role, user.Role);
        yield return new Claim(WorkspaceClaim, user.WorkspaceId.ToString(CultureInfo.InvariantCulture));
        yield return new Claim(PersonalDataClaim, DashboardRoles.ScopeName(DashboardRoles.PersonalData(user.Role, user.PersonalData)));
        if (user.Team is not null)
        {
            yield return new Claim(TeamClaim, user.Team);
        }

        if (user.Language is not null)
        {
            yield return new Claim(LanguageClaim, user.Language);
        }
    }

    /// <summary>The user of a signed-in principal, or null when it is not a dashboard user.</summary>
    public static CurrentUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true
            || !long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !long.TryParse(principal.FindFirstValue(WorkspaceClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var workspaceId)
            || principal.FindFirstValue(ClaimTypes.Role) is not { } role || !DashboardRoles.IsRole(role))
        {
            return null;
        }

        DashboardRoles.TryParseScope(principal.FindFirstValue(PersonalDataClaim), out var scope);
        return new CurrentUser(
            id, workspaceId, principal.FindFirstValue(ClaimTypes.Email) ?? principal.FindFirstValue(ClaimTypes.Name) ?? "", role,
            principal.FindFirstValue(TeamClaim), scope, principal.FindFirstValue(LanguageClaim));
    }
}
