using OpenCem.Actions.Cases;
using OpenCem.Customers;
using OpenCem.Interactions;

namespace OpenCem.Dashboard.Customers;

/// <summary>What the customer 360 page shows: the profile, tags, the customer's cases, a page of history, touchpoint names.</summary>
public sealed record CustomerPageData(
    CustomerProfile Profile, bool BehindTeamCase, IReadOnlyList<string> Tags, IReadOnlyList<CaseView> Cases, HistoryPage History,
    IReadOnlyDictionary<long, string> Touchpoints);

/// <summary>Whether a user may open a customer, and whether the customer is behind a case of the user's team.</summary>
public sealed record CustomerAccessDecision(bool MayOpen, bool BehindTeamCase);

/// <summary>
/// Reads the Customers pages through the services the API uses (profiles and search, cases, the history, the
/// catalogue), and decides access: an agent opens only customers behind a case of their team.
/// </summary>
public sealed class CustomerPageReader(CustomerProfiles profiles, CustomerHistory history, CaseReader cases, CatalogueStore catalogue)
{
    public const int HistoryPageSize = 25;

    public async Task<CustomerAccessDecision> AccessAsync(CurrentUser user, long customerId, CancellationToken cancellationToken = default)
    {
        var behind = user.Team is { } team
            && (await cases.ListAsync(user.WorkspaceId, new CaseQuery(Team: team, CustomerId: customerId, Limit: 1), cancellationToken)).Cases.Count > 0;
        return new CustomerAccessDecision(user.CaseTeam is null || behind, behind);
    }

    /// <summary>The matches of a search this user may open, each with whether it is behind a case of the user's team.</summary>
    public async Task<IReadOnlyList<(CustomerMatch Match, bool BehindTeamCase)>> SearchAsync(CurrentUser user, string query, CancellationToken cancellationToken = default)
    {
        var found = new List<(CustomerMatch, bool)>();
        foreach (var match in await profiles.SearchAsync(user.WorkspaceId, query, cancellationToken))
        {
            var access = await AccessAsync(user, match.Id, cancellationToken);
            if (access.MayOpen)
            {
                found.Add((match, access.BehindTeamCase));
            }
        }

        return found;
    }

    /// <summary>The page's data, null when no such customer; <see cref="CustomerAccessDecision.MayOpen"/> false when this user may not see it.</summary>
    public async Task<(CustomerPageData? Data, CustomerAccessDecision Access)> ReadAsync(
        CurrentUser user, long customerId, string? historyCursor, CancellationToken cancellationToken = default)
    {
        if (await profiles.ResolveIdAsync(user.WorkspaceId, customerId, cancellationToken) is not { } id)
        {
            return (null, new CustomerAccessDecision(true, false));
        }

        var access = await AccessAsync(user, id, cancellationToken);
        if (!access.MayOpen || await profiles.GetAsync(user.WorkspaceId, id, cancellationToken) is not { } profile)
        {
            return (null, access);
        }

        var caseList = (await cases.ListAsync(user.WorkspaceId, new CaseQuery(Team: user.CaseTeam, CustomerId: id, Limit: 20), cancellationToken)).Cases;
        var touchpoints = (await catalogue.ListTouchpointsAsync(user.WorkspaceId, cancellationToken)).ToDictionary(t => t.Id, t => t.Name);
        return (new CustomerPageData(
            profile, access.BehindTeamCase, await history.TagsAsync(user.WorkspaceId, id, cancellationToken), caseList,
            await history.PageAsync(user.WorkspaceId, id, historyCursor, HistoryPageSize, cancellationToken), touchpoints), access);
    }
}
