using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Actions.Cases;

/// <summary>Teams, agents, SLA policies and business-hours calendars of a workspace (small tables, Dapper).</summary>
public sealed class CaseSetupStore(Database database, TimeProvider time)
{
    public async Task SaveTeamAsync(long workspaceId, CaseTeam team, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO case_teams (workspace_id, key, name, calendar, lead, escalation_team, assignment, updated_at)
            VALUES (@workspaceId, @Key, @Name, @Calendar, @Lead, @EscalationTeam, @Assignment, @now)
            ON CONFLICT (workspace_id, key) DO UPDATE SET name = excluded.name, calendar = excluded.calendar, lead = excluded.lead,
                escalation_team = excluded.escalation_team, assignment = excluded.assignment, updated_at = excluded.updated_at
            """,
            new { workspaceId, team.Key, team.Name, team.Calendar, team.Lead, team.EscalationTeam, team.Assignment, now = Now() },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<CaseTeam>> TeamsAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await TeamsAsync(connection, null, workspaceId);
    }

    public static async Task<IReadOnlyList<CaseTeam>> TeamsAsync(DbConnection connection, DbTransaction? transaction, long workspaceId) =>
        (await connection.QueryAsync<TeamRow>(
            "SELECT key AS Key, name AS Name, calendar AS Calendar, lead AS Lead, escalation_team AS EscalationTeam, assignment AS Assignment FROM case_teams WHERE workspace_id = @workspaceId ORDER BY key",
            new { workspaceId }, transaction)).Select(r => new CaseTeam(r.Key, r.Name, r.Calendar, r.Lead, r.EscalationTeam, r.Assignment)).ToList();

    public async Task SaveAgentAsync(long workspaceId, CaseAgent agent, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO case_agents (workspace_id, key, name, team, skills, capacity, active, last_assigned_at, updated_at)
            VALUES (@workspaceId, @Key, @Name, @Team, @skills, @Capacity, @active, 0, @now)
            ON CONFLICT (workspace_id, key) DO UPDATE SET name = excluded.name, team = excluded.team, skills = excluded.skills,
                capacity = excluded.capacity, active = excluded.active, updated_at = excluded.updated_at
            """,
            new { workspaceId, agent.Key, agent.Name, agent.Team, skills = JsonSerializer.Serialize(agent.Skills), agent.Capacity, active = agent.Active ? 1 : 0, now = Now() },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<AgentView>> AgentsAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await AgentLoadsAsync(connection, null, workspaceId, team: null)).Select(a => a.View).ToList();
    }

    /// <summary>The agents (of one team, or all) with their open cases now, for assignment and the agents list.</summary>
    public static async Task<IReadOnlyList<(AgentView View, AgentLoad Load)>> AgentLoadsAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, string? team)
    {
        var rows = await connection.QueryAsync<AgentRow>(
            $"""
            SELECT a.key AS Key, a.name AS Name, a.team AS Team, a.skills AS Skills, a.capacity AS Capacity, a.active AS Active,
                   a.last_assigned_at AS LastAssignedAt,
                   (SELECT count(*) FROM cases c WHERE c.workspace_id = a.workspace_id AND c.owner = a.key
                        AND c.status NOT IN ('{CaseStatuses.Resolved}', '{CaseStatuses.Closed}')) AS OpenCases
            FROM case_agents a WHERE a.workspace_id = @workspaceId AND (@team IS NULL OR a.team = @team) ORDER BY a.key
            """,
            new { workspaceId, team }, transaction);
        return rows.Select(r =>
        {
            var skills = JsonSerializer.Deserialize<string[]>(r.Skills) ?? [];
            return (new AgentView(r.Key, r.Name, r.Team, skills, (int)r.Capacity, r.Active != 0, (int)r.OpenCases),
                new AgentLoad(r.Key, skills, (int)r.Capacity, (int)r.OpenCases, r.LastAssignedAt, r.Active != 0));
        }).ToList();
    }

    public async Task SavePolicyAsync(long workspaceId, SlaPolicy policy, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO case_sla_policies (workspace_id, priority, team, first_response_minutes, resolution_minutes, calendar, escalations, updated_at)
            VALUES (@workspaceId, @Priority, @team, @FirstResponseMinutes, @ResolutionMinutes, @Calendar, @escalations, @now)
            ON CONFLICT (workspace_id, priority, team) DO UPDATE SET first_response_minutes = excluded.first_response_minutes,
                resolution_minutes = excluded.resolution_minutes, calendar = excluded.calendar, escalations = excluded.escalations, updated_at = excluded.updated_at
            """,
            new
            {
                workspaceId,
                policy.Priority,
                team = policy.Team ?? "",
                policy.FirstResponseMinutes,
                policy.ResolutionMinutes,
                policy.Calendar,
                escalations = policy.BreachNotify is null && policy.Escalations is null
                    ? null
                    : JsonSerializer.Serialize(new StoredEscalations(policy.BreachNotify, policy.Escalations), JsonSerializerOptions.Web),
                now = Now(),
            },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<SlaPolicy>> PoliciesAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await PoliciesAsync(connection, null, workspaceId);
    }

    public static async Task<IReadOnlyList<SlaPolicy>> PoliciesAsync(DbConnection connection, DbTransaction? transaction, long workspaceId) =>
        (await connection.QueryAsync<PolicyRow>(
            """
            SELECT priority AS Priority, team AS Team, first_response_minutes AS FirstResponseMinutes, resolution_minutes AS ResolutionMinutes, calendar AS Calendar,
                escalations AS Escalations
            FROM case_sla_policies WHERE workspace_id = @workspaceId ORDER BY priority, team
            """,
            new { workspaceId }, transaction))
        .Select(r =>
        {
            var escalations = r.Escalations is null ? null : JsonSerializer.Deserialize<StoredEscalations>(r.Escalations, JsonSerializerOptions.Web);
            return new SlaPolicy(
                r.Priority, r.Team == "" ? null : r.Team, (int)r.FirstResponseMinutes, (int)r.ResolutionMinutes, r.Calendar, escalations?.BreachNotify, escalations?.Levels);
        }).ToList();

    public async Task SaveCalendarAsync(long workspaceId, NamedCalendar calendar, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO case_calendars (workspace_id, key, time_zone, hours, holidays, updated_at)
            VALUES (@workspaceId, @Key, @zone, @hours, @holidays, @now)
            ON CONFLICT (workspace_id, key) DO UPDATE SET time_zone = excluded.time_zone, hours = excluded.hours, holidays = excluded.holidays,
                updated_at = excluded.updated_at
            """,
            new
            {
                workspaceId,
                calendar.Key,
                zone = calendar.Definition.TimeZone,
                hours = JsonSerializer.Serialize(calendar.Definition.Hours ?? new Dictionary<string, string[]>()),
                holidays = JsonSerializer.Serialize(calendar.Definition.Holidays ?? []),
                now = Now(),
            },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<NamedCalendar>> CalendarsAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await CalendarsAsync(connection, null, workspaceId, key: null);
    }

    public static async Task<IReadOnlyList<NamedCalendar>> CalendarsAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, string? key) =>
        (await connection.QueryAsync<CalendarRow>(
            "SELECT key AS Key, time_zone AS TimeZone, hours AS Hours, holidays AS Holidays FROM case_calendars WHERE workspace_id = @workspaceId AND (@key IS NULL OR key = @key) ORDER BY key",
            new { workspaceId, key }, transaction))
        .Select(r => new NamedCalendar(r.Key, new CalendarDefinition(
            r.TimeZone, JsonSerializer.Deserialize<Dictionary<string, string[]>>(r.Hours), JsonSerializer.Deserialize<string[]>(r.Holidays)))).ToList();

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class TeamRow
    {
        public string Key { get; set; } = "";

        public string Name { get; set; } = "";

        public string? Calendar { get; set; }

        public string? Lead { get; set; }

        public string? EscalationTeam { get; set; }

        public string Assignment { get; set; } = AssignmentModes.LeastLoaded;
    }

    private sealed class AgentRow
    {
        public string Key { get; set; } = "";

        public string Name { get; set; } = "";

        public string Team { get; set; } = "";

        public string Skills { get; set; } = "[]";

        public long Capacity { get; set; }

        public long Active { get; set; }

        public long LastAssignedAt { get; set; }

        public long OpenCases { get; set; }
    }

    private sealed class PolicyRow
    {
        public string Priority { get; set; } = "";

        public string Team { get; set; } = "";

        public long FirstResponseMinutes { get; set; }

        public long ResolutionMinutes { get; set; }

        public string? Calendar { get; set; }

        public string? Escalations { get; set; }
    }

    /// <summary>A policy's escalation settings, one JSON column.</summary>
    private sealed record StoredEscalations(IReadOnlyList<string>? BreachNotify, IReadOnlyList<SlaEscalation>? Levels);

    private sealed class CalendarRow
    {
        public string Key { get; set; } = "";

        public string TimeZone { get; set; } = "";

        public string Hours { get; set; } = "{}";

        public string Holidays { get; set; } = "[]";
    }
}

/// <summary>An agent as the API shows them, with the open cases they hold now.</summary>
public sealed record AgentView(string Key, string Name, string Team, IReadOnlyList<string> Skills, int Capacity, bool Active, int OpenCases);
