using System.Data.Common;
using Dapper;

namespace OpenCem.Actions.Cases;

/// <summary>Where a new case goes and by when: its owner (if assignment found one), status, and SLA due times.</summary>
public sealed record CaseRoute(string? Owner, string Status, long FirstResponseDueAt, long ResolutionDueAt);

/// <summary>
/// Applies the team's assignment rule and the SLA policy to a case being opened, inside the caller's transaction, so
/// cases opened by rules, the API and escalations are routed alike.
/// </summary>
public static class CaseRouting
{
    public static async Task<CaseRoute> RouteAsync(
        DbConnection connection, DbTransaction? transaction, long workspaceId, string priority, string? team, string? owner, string? skill,
        long openedAt, long? resolutionDueAt, bool assign = true)
    {
        var (policy, teamRow, calendar) = await PolicyAsync(connection, transaction, workspaceId, priority, team);
        var (firstResponse, resolution) = policy.DueTimes(DateTimeOffset.FromUnixTimeMilliseconds(openedAt), calendar);
        if (assign)
        {
            owner ??= await AssignAsync(connection, transaction, workspaceId, teamRow, skill, openedAt);
        }

        return new CaseRoute(
            owner,
            owner is null ? CaseStatuses.New : CaseStatuses.Assigned,
            firstResponse.ToUnixTimeMilliseconds(),
            resolutionDueAt ?? resolution.ToUnixTimeMilliseconds());
    }

    /// <summary>The SLA policy of a priority and team, the team, and the business-hours calendar the policy counts in.</summary>
    public static async Task<(SlaPolicy Policy, CaseTeam? Team, BusinessCalendar Calendar)> PolicyAsync(
        DbConnection connection, DbTransaction? transaction, long workspaceId, string priority, string? team)
    {
        var policies = await CaseSetupStore.PoliciesAsync(connection, transaction, workspaceId);
        var teamRow = team is null ? null : (await CaseSetupStore.TeamsAsync(connection, transaction, workspaceId)).FirstOrDefault(t => t.Key == team);
        var policy = SlaPolicy.Choose(policies, priority, team);
        return (policy, teamRow, await CalendarAsync(connection, transaction, workspaceId, policy.Calendar ?? teamRow?.Calendar));
    }

    /// <summary>Picks an agent of the team by its rule and notes the hand-out (the round-robin position).</summary>
    public static async Task<string?> AssignAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, CaseTeam? team, string? skill, long now)
    {
        if (team is null)
        {
            return null;
        }

        var agents = await CaseSetupStore.AgentLoadsAsync(connection, transaction, workspaceId, team.Key);
        var picked = AgentPicker.Pick(agents.Select(a => a.Load), team.Assignment, skill);
        if (picked is not null)
        {
            // Strictly increasing per agent, so two cases in the same millisecond still take turns.
            await connection.ExecuteAsync(
                "UPDATE case_agents SET last_assigned_at = CASE WHEN last_assigned_at >= @now THEN last_assigned_at + 1 ELSE @now END WHERE workspace_id = @workspaceId AND key = @picked",
                new { workspaceId, picked, now }, transaction);
        }

        return picked;
    }

    /// <summary>A stored calendar by key; around the clock when none is named or it no longer exists.</summary>
    public static async Task<BusinessCalendar> CalendarAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, string? key)
    {
        if (key is null || (await CaseSetupStore.CalendarsAsync(connection, transaction, workspaceId, key)).FirstOrDefault() is not { } stored)
        {
            return BusinessCalendar.AlwaysOpen;
        }

        return stored.Definition.Read([]) ?? BusinessCalendar.AlwaysOpen;
    }
}
