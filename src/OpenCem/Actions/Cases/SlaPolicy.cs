namespace OpenCem.Actions.Cases;

/// <summary>
/// How soon a case of a priority (and optionally of one team) must get its first response and be resolved, in working
/// time of a business-hours calendar (none: around the clock). A breach is escalation level 1 (the case goes to the team
/// lead, its priority rises, <paramref name="BreachNotify"/> hear of it); <paramref name="Escalations"/> are levels 2, 3, …
/// </summary>
public sealed record SlaPolicy(
    string Priority, string? Team, int FirstResponseMinutes, int ResolutionMinutes, string? Calendar = null,
    IReadOnlyList<string>? BreachNotify = null, IReadOnlyList<SlaEscalation>? Escalations = null)
{
    /// <summary>Used for a priority without a stored policy, around the clock: every case gets a clock.</summary>
    public static SlaPolicy DefaultFor(string priority) => priority switch
    {
        CasePriorities.Urgent => new(priority, null, 60, 8 * 60),
        CasePriorities.High => new(priority, null, 4 * 60, 24 * 60),
        CasePriorities.Low => new(priority, null, 72 * 60, 14 * 24 * 60),
        _ => new(priority, null, 48 * 60, 7 * 24 * 60),
    };

    /// <summary>The first-response and resolution due times of a case opened at <paramref name="openedAt"/>.</summary>
    public (DateTimeOffset FirstResponse, DateTimeOffset Resolution) DueTimes(DateTimeOffset openedAt, BusinessCalendar calendar) =>
        (calendar.AddBusinessTime(openedAt, TimeSpan.FromMinutes(FirstResponseMinutes)),
         calendar.AddBusinessTime(openedAt, TimeSpan.FromMinutes(ResolutionMinutes)));

    /// <summary>The policy for a case: the team's own for the priority, else the workspace's, else the default.</summary>
    public static SlaPolicy Choose(IEnumerable<SlaPolicy> policies, string priority, string? team)
    {
        var ofPriority = policies.Where(p => p.Priority == priority).ToList();
        return ofPriority.FirstOrDefault(p => team is not null && p.Team == team)
            ?? ofPriority.FirstOrDefault(p => p.Team is null)
            ?? DefaultFor(priority);
    }

    /// <summary>The priority one step up (urgent stays urgent): an SLA breach escalates.</summary>
    public static string Raise(string priority)
    {
        var index = CasePriorities.All.ToList().IndexOf(priority);
        return index < 0 ? CasePriorities.High : CasePriorities.All[Math.Min(index + 1, CasePriorities.All.Count - 1)];
    }
}

/// <summary>
/// A case's SLA clock at a moment: what is due next, how long is left, and whether it was missed. While the case waits
/// for the customer the clock stands still (<paramref name="Paused"/>): the time left is what was left when it started waiting. Pure.
/// </summary>
public sealed record SlaClock(string? Due, DateTimeOffset? DueAt, double? RemainingMinutes, bool Breached, DateTimeOffset? BreachedAt, bool Paused = false)
{
    public static SlaClock Of(string status, long? firstResponseAt, long? firstResponseDueAt, long? resolutionDueAt, long? breachedAt, long now, long? pausedAt = null)
    {
        string? due = null;
        long? dueAt = null;
        var paused = status == CaseStatuses.WaitingForCustomer && pausedAt is not null && breachedAt is null;
        if (CaseStatuses.IsOpen(status))
        {
            (due, dueAt) = firstResponseAt is null && firstResponseDueAt is not null ? ("first_response", firstResponseDueAt) : ("resolution", resolutionDueAt);
            if (dueAt is null)
            {
                due = null;
            }
        }

        var clockAt = paused ? pausedAt!.Value : now;
        return new SlaClock(
            due,
            dueAt is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(dueAt.Value),
            dueAt is null ? null : Math.Round((dueAt.Value - clockAt) / 60_000.0, 1),
            breachedAt is not null || (dueAt is not null && dueAt.Value <= clockAt),
            breachedAt is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(breachedAt.Value),
            paused);
    }

    /// <summary>
    /// The due time the breach worker watches: the first response while none was made, then the resolution; none
    /// while the case waits for the customer.
    /// </summary>
    public static long? NextDue(string status, long? firstResponseAt, long? firstResponseDueAt, long? resolutionDueAt) =>
        !CaseStatuses.IsOpen(status) || status == CaseStatuses.WaitingForCustomer ? null
        : firstResponseAt is null && firstResponseDueAt is not null ? Math.Min(firstResponseDueAt.Value, resolutionDueAt ?? long.MaxValue)
        : resolutionDueAt;

    /// <summary>
    /// The resolution due time after a pause from <paramref name="pausedAt"/> to <paramref name="resumedAt"/>: the working
    /// time that was left when the pause began, counted again from the resume (a due time already missed stays).
    /// </summary>
    public static long? Resume(BusinessCalendar calendar, long pausedAt, long resumedAt, long? dueAt)
    {
        if (dueAt is null || dueAt.Value <= pausedAt || resumedAt <= pausedAt)
        {
            return dueAt;
        }

        var left = calendar.BusinessTimeBetween(DateTimeOffset.FromUnixTimeMilliseconds(pausedAt), DateTimeOffset.FromUnixTimeMilliseconds(dueAt.Value));
        return calendar.AddBusinessTime(DateTimeOffset.FromUnixTimeMilliseconds(resumedAt), left).ToUnixTimeMilliseconds();
    }
}
