using System.Globalization;
using Microsoft.AspNetCore.Http;
using OpenCem.Actions.Cases;

namespace OpenCem.Dashboard.Cases;

/// <summary>
/// The case queue's filters, read from the query string so a queue can be shared as a link: status, team, owner,
/// priority, breached, touchpoint (key), <c>mine=true</c> and the keyset position <c>after</c>. Unknown values fall back
/// to "any". Pure.
/// </summary>
public sealed record CaseQueueFilters(string? Status, string? Team, string? Owner, string? Priority, bool? Breached, string? Touchpoint, bool Mine, long? After)
{
    public const int PageSize = 50;

    public static CaseQueueFilters From(IQueryCollection query)
    {
        string? Clean(string key) => query[key].ToString() is { Length: > 0 and <= 200 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        var status = Clean("status");
        var priority = Clean("priority");
        return new CaseQueueFilters(
            status is not null && CaseStatuses.All.Contains(status) ? status : null,
            Clean("team"),
            Clean("owner"),
            priority is not null && CasePriorities.All.Contains(priority) ? priority : null,
            Clean("breached") switch { "true" => true, "false" => false, _ => null },
            Clean("touchpoint"),
            Clean("mine") == "true",
            long.TryParse(Clean("after"), NumberStyles.None, CultureInfo.InvariantCulture, out var after) && after > 0 ? after : null);
    }

    /// <summary>
    /// The list query for a user: an agent's <paramref name="caseTeam"/> replaces any team asked for (agents see their
    /// team's cases only); "mine" means owned by <paramref name="ownerKey"/>.
    /// </summary>
    public CaseQuery ToQuery(string? caseTeam, string ownerKey, long? touchpointId) =>
        new(Status, caseTeam ?? Team, Mine ? ownerKey : Owner, Priority, null, Breached, touchpointId, After, PageSize);

    /// <summary>The owner key a dashboard user works cases under (assign to me, "mine"): their e-mail address.</summary>
    public static string OwnerKey(CurrentUser user) => user.Email;
}
