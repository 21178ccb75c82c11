using OpenCem.Actions.Cases;
using OpenCem.Customers;
using OpenCem.Feedback.Surveys;
using OpenCem.Interactions;

namespace OpenCem.Dashboard.Cases;

/// <summary>What the case page shows beside the case itself: who can take it, names of teams, touchpoints and the survey, the customer's profile.</summary>
public sealed record CasePageData(
    CaseDetail Detail, IReadOnlyList<CaseTeam> Teams, IReadOnlyList<AgentView> TeamAgents, IReadOnlyDictionary<long, Touchpoint> Touchpoints,
    string? SurveyName, CustomerProfile? Customer);

/// <summary>
/// Reads the case page through the services the API uses (<see cref="CaseReader"/>, the case setup, the catalogue, surveys
/// and customer profiles), and says whether a user may see a case: agents see their own team's cases only.
/// </summary>
public sealed class CasePageReader(CaseReader cases, CaseSetupStore setup, CatalogueStore catalogue, SurveyStore surveys, CustomerProfiles profiles)
{
    public static bool MaySee(CurrentUser user, CaseView view) => user.CaseTeam is null || view.Team == user.CaseTeam;

    /// <summary>Whether this user may change this case: the permission, and for agents their team's case.</summary>
    public static bool MayWork(CurrentUser user, CaseView view) => user.Can(Workspaces.Users.DashboardPermission.WorkCases) && MaySee(user, view);

    public async Task<CasePageData?> ReadAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        if (await cases.GetAsync(workspaceId, id, cancellationToken) is not { } detail)
        {
            return null;
        }

        var teams = await setup.TeamsAsync(workspaceId, cancellationToken);
        var agents = (await setup.AgentsAsync(workspaceId, cancellationToken)).Where(a => a.Team == detail.Case.Team && a.Active).ToList();
        var touchpoints = (await catalogue.ListTouchpointsAsync(workspaceId, cancellationToken)).ToDictionary(t => t.Id);
        var survey = detail.Response is { } response ? (await surveys.GetAsync(workspaceId, response.SurveyId, cancellationToken))?.Name : null;
        var customer = detail.Case.CustomerId is { } customerId ? await profiles.GetAsync(workspaceId, customerId, cancellationToken) : null;
        return new CasePageData(detail, teams, agents, touchpoints, survey, customer);
    }
}
