namespace OpenCem.Actions.Cases;

/// <summary>
/// A team that works cases. <paramref name="Calendar"/> names its business hours; on an SLA breach a case goes to the
/// team's <paramref name="Lead"/>, or, without a lead, to the <paramref name="EscalationTeam"/>.
/// </summary>
public sealed record CaseTeam(
    string Key, string Name, string? Calendar = null, string? Lead = null, string? EscalationTeam = null, string Assignment = AssignmentModes.LeastLoaded);

/// <summary>An agent of a team, with the skills cases may ask for and how many open cases they take at most.</summary>
public sealed record CaseAgent(string Key, string Name, string Team, IReadOnlyList<string> Skills, int Capacity = 20, bool Active = true);

/// <summary>A named business-hours calendar as stored.</summary>
public sealed record NamedCalendar(string Key, CalendarDefinition Definition);
