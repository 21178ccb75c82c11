namespace OpenCem.Actions.Cases;

/// <summary>How a team hands out new cases.</summary>
public static class AssignmentModes
{
    /// <summary>The agent with the fewest open cases (among those with the case's skill); ties go round the team.</summary>
    public const string LeastLoaded = "least_loaded";

    /// <summary>Strictly in turn, whatever the load (agents at capacity are skipped).</summary>
    public const string RoundRobin = "round_robin";

    /// <summary>Cases wait in the team's queue until someone takes them.</summary>
    public const string Manual = "manual";

    public static readonly IReadOnlyList<string> All = [LeastLoaded, RoundRobin, Manual];
}

/// <summary>An agent as assignment sees them: skills, capacity, open cases now, and when they last got one.</summary>
public sealed record AgentLoad(string Key, IReadOnlyCollection<string> Skills, int Capacity, int OpenCases, long LastAssignedAt, bool Active = true);

/// <summary>Picks the agent for a new case. Pure.</summary>
public static class AgentPicker
{
    /// <returns>The agent's key, or null when nobody active with the skill has room (the case waits in the team's queue).</returns>
    public static string? Pick(IEnumerable<AgentLoad> agents, string mode, string? skill)
    {
        if (mode == AssignmentModes.Manual)
        {
            return null;
        }

        var candidates = agents
            .Where(a => a.Active && a.OpenCases < a.Capacity)
            .Where(a => skill is null || a.Skills.Contains(skill, StringComparer.OrdinalIgnoreCase));
        var ordered = mode == AssignmentModes.RoundRobin
            ? candidates.OrderBy(a => a.LastAssignedAt)
            : candidates.OrderBy(a => a.OpenCases).ThenBy(a => a.LastAssignedAt);
        return ordered.ThenBy(a => a.Key, StringComparer.Ordinal).FirstOrDefault()?.Key;
    }
}
