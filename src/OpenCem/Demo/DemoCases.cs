using OpenCem.Actions.Cases;

namespace OpenCem.Demo;

/// <summary>What opened a demo case: a detractor's response or a complaint, about a touchpoint of a journey.</summary>
/// <param name="Themes">What text analysis found in the response's comment (a relationship survey names no touchpoint).</param>
internal sealed record DemoCaseCause(
    long CustomerId, long At, long? ResponseId, long? SignalId, int? Nps, long? TouchpointId, string? Journey, IReadOnlyList<string>? Themes = null);

/// <summary>A generated case with its audit trail and notes.</summary>
internal sealed record DemoCase(CaseRow Row, List<(string Actor, string Field, string? From, string? To, long At)> Audit, List<(string Author, string Text, long At)> Notes)
{
    /// <summary>The escalation levels planned at the breach (<see cref="DemoEscalations"/>), and when the next is due for a case still open.</summary>
    public string? EscalationPlan { get; set; }

    public long? NextEscalationAt { get; set; }
}

/// <summary>
/// Two years of worked cases for the demo's detractors and complaints (Truth 13): each is opened by the follow-up rule
/// minutes after its cause, routed round its team, answered on time or late, maybe waits for the customer, is resolved
/// and closed with an outcome; a late first response breaches the SLA and escalates to the team's lead. Whether the
/// first response is on time depends on what the customer's later scores show (<see cref="RecoveryJudge"/>), which plants
/// the truth that quick follow-up goes with recovery. Cases still open at the end of the window stay in the queue.
/// Pure and deterministic for a seed.
/// </summary>
internal static class DemoCases
{
    private const long Minute = 60_000;
    private const long Day = 86_400_000;

    public static List<DemoCase> Generate(
        IReadOnlyList<DemoCaseCause> causes, IReadOnlyDictionary<long, List<LaterScore>> scores, IReadOnlyDictionary<long, List<long>> cancellations,
        BusinessCalendar calendar, long workspaceId, long asOf, int seed)
    {
        var random = new Random(seed ^ 0x5EED_CA5E);
        var turns = new Dictionary<string, int>(StringComparer.Ordinal);
        var cases = new List<DemoCase>(causes.Count);
        foreach (var cause in causes)
        {
            var opened = cause.At + ((2 + random.Next(28)) * Minute);
            if (opened >= asOf)
            {
                continue;
            }

            var team = DemoCaseTeams.TeamFor(cause.Journey, cause.Themes ?? []);
            var agents = DemoCaseTeams.Agents.Where(a => a.Team == team).ToList();
            var turn = turns.GetValueOrDefault(team);
            turns[team] = turn + 1;
            var owner = agents[turn % agents.Count].Key;
            var priority = cause.Nps is { } nps && nps <= DemoTruths.HighPriorityNps ? CasePriorities.High : CasePriorities.Normal;
            var policy = SlaPolicy.Choose(DemoCaseTeams.Policies, priority, team);
            var (firstDue, resolutionDue) = policy.DueTimes(DateTimeOffset.FromUnixTimeMilliseconds(opened), calendar);
            var scoresOf = scores.GetValueOrDefault(cause.CustomerId) ?? [];
            long? cancelled = cancellations.TryGetValue(cause.CustomerId, out var times) ? times.Where(c => c > opened).Cast<long?>().FirstOrDefault() : null;
            var expected = RecoveryJudge.Judge(opened, opened + (5 * Day), cause.ResponseId, scoresOf, cancelled, long.MaxValue);
            var onTimeChance = expected switch
            {
                CaseOutcomes.Recovered => DemoTruths.OnTimeContactWhenRecovered,
                CaseOutcomes.NotRecovered => DemoTruths.OnTimeContactWhenNotRecovered,
                _ => DemoTruths.OnTimeContactOtherwise,
            };
            var onTime = random.NextDouble() < onTimeChance;
            var row = new CaseRow
            {
                WorkspaceId = workspaceId,
                CustomerId = cause.CustomerId,
                Title = cause.ResponseId is null ? "Complaint follow-up" : $"Detractor follow-up (NPS {cause.Nps})",
                Status = CaseStatuses.Assigned,
                Priority = priority,
                Team = team,
                Owner = owner,
                Reason = cause.ResponseId is null ? "complaint" : "detractor",
                SourceKey = cause.ResponseId is { } r ? $"demo:response:{r}" : $"demo:signal:{cause.SignalId}",
                ResponseId = cause.ResponseId,
                TouchpointId = cause.TouchpointId,
                CreatedAt = opened,
                UpdatedAt = opened,
                FirstResponseDueAt = firstDue.ToUnixTimeMilliseconds(),
                ResolutionDueAt = resolutionDue.ToUnixTimeMilliseconds(),
            };
            var demoCase = new DemoCase(row, [("rule:detractor-follow-up", "status", null, CaseStatuses.Assigned, opened), ("rule:detractor-follow-up", "owner", null, owner, opened)], []);
            Work(demoCase, onTime, policy, calendar, random, asOf);
            DemoEscalations.Apply(demoCase, policy, calendar, asOf);
            if (row.Status == CaseStatuses.Closed)
            {
                row.Recovery = RecoveryJudge.Judge(opened, row.ClosedAt!.Value, cause.ResponseId, scoresOf, cancelled, asOf);
                row.RecoveryMeasuredAt = row.Recovery is null ? null : asOf;
            }

            row.NextDueAt = row.BreachedAt is null ? SlaClock.NextDue(row.Status, row.FirstResponseAt, row.FirstResponseDueAt, row.ResolutionDueAt) : null;
            cases.Add(demoCase);
        }

        return cases;
    }

    /// <summary>The case's life after opening, step by step, up to the end of the window.</summary>
    private static void Work(DemoCase demoCase, bool onTime, SlaPolicy policy, BusinessCalendar calendar, Random random, long asOf)
    {
        var row = demoCase.Row;
        var opened = DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt);
        var delay = policy.FirstResponseMinutes * (onTime ? 0.1 + (0.85 * random.NextDouble()) : 1.15 + (2.3 * random.NextDouble()));
        var firstResponse = calendar.AddBusinessTime(opened, TimeSpan.FromMinutes(delay)).ToUnixTimeMilliseconds();
        if (!onTime && !Breach(demoCase, "first_response", row.FirstResponseDueAt!.Value, asOf))
        {
            return;
        }

        if (!Step(demoCase, CaseStatuses.InProgress, firstResponse, asOf))
        {
            return;
        }

        row.FirstResponseAt = firstResponse;
        demoCase.Notes.Add((row.Owner!, DemoCaseTeams.ContactNotes[random.Next(DemoCaseTeams.ContactNotes.Count)], firstResponse));
        var at = firstResponse;
        if (random.NextDouble() < 0.35)
        {
            var waitingFrom = at + (10 * Minute);
            if (!Step(demoCase, CaseStatuses.WaitingForCustomer, waitingFrom, asOf))
            {
                return;
            }

            // The SLA clock stands still while the case waits for the customer, as CaseChanges does it.
            row.SlaPausedAt = waitingFrom;
            at += Day + random.NextInt64(Day);
            if (!Step(demoCase, CaseStatuses.InProgress, at, asOf))
            {
                return;
            }

            row.ResolutionDueAt = SlaClock.Resume(calendar, waitingFrom, at, row.ResolutionDueAt);
            row.SlaPausedAt = null;
        }

        var resolved = calendar.AddBusinessTime(DateTimeOffset.FromUnixTimeMilliseconds(at), TimeSpan.FromHours(1 + (11 * random.NextDouble()))).ToUnixTimeMilliseconds();
        if (resolved > row.ResolutionDueAt && row.BreachedAt is null && !Breach(demoCase, "resolution", row.ResolutionDueAt!.Value, asOf))
        {
            return;
        }

        var reasons = DemoCaseTeams.ResolutionReasons[row.Team!];
        var reason = reasons[random.Next(reasons.Length)];
        if (!Step(demoCase, CaseStatuses.Resolved, resolved, asOf, ("resolutionReason", reason)))
        {
            return;
        }

        row.ResolvedAt = resolved;
        row.ResolutionReason = reason;
        var closed = resolved + Day + random.NextInt64(3 * Day);
        var outcome = random.NextDouble() < 0.6 ? CaseOutcomes.Recovered : random.NextDouble() < 0.5 ? CaseOutcomes.NotRecovered : CaseOutcomes.Unknown;
        if (Step(demoCase, CaseStatuses.Closed, closed, asOf, ("outcome", outcome)))
        {
            row.ClosedAt = closed;
            row.Outcome = outcome;
        }
    }

    /// <summary>Moves the case to <paramref name="status"/> at <paramref name="at"/> unless that is after the window.</summary>
    private static bool Step(DemoCase demoCase, string status, long at, long asOf, params (string Field, string Value)[] fields)
    {
        if (at >= asOf)
        {
            return false;
        }

        var row = demoCase.Row;
        demoCase.Audit.Add((row.Owner!, "status", row.Status, status, at));
        demoCase.Audit.AddRange(fields.Select(f => (row.Owner!, f.Field, (string?)null, (string?)f.Value, at)));
        row.Status = status;
        row.UpdatedAt = at;
        return true;
    }

    /// <summary>An SLA breach as the case clock records it: escalated one level, priority up, to the team's lead.</summary>
    private static bool Breach(DemoCase demoCase, string breach, long due, long asOf)
    {
        if (due >= asOf)
        {
            return false;
        }

        var row = demoCase.Row;
        var lead = DemoCaseTeams.Teams.First(t => t.Key == row.Team).Lead!;
        var raised = SlaPolicy.Raise(row.Priority);
        demoCase.Audit.Add(("sla", "priority", row.Priority, raised, due));
        demoCase.Audit.Add(("sla", "owner", row.Owner, lead, due));
        demoCase.Audit.Add(("sla", "escalationLevel", "0", "1", due));
        demoCase.Audit.Add(("sla", "breach", null, breach, due));
        (row.BreachedAt, row.Breach, row.EscalationLevel, row.Priority, row.Owner, row.UpdatedAt) = (due, breach, 1, raised, lead, due);
        return true;
    }
}
