using OpenCem.Actions.Cases;

namespace OpenCem.Demo;

/// <summary>
/// The escalation levels after a demo case's breach, as <see cref="CaseEscalations"/> fires them: the plan is fixed at
/// the breach from the case's SLA policy; each level due before the case was resolved (or before the end of the window)
/// is in the audit trail (raising the priority where the level says so). A case still open keeps its plan and the time
/// of its next level, so the live case clock escalates it further — with <c>case.escalated</c> events — once the server runs.
/// Waiting for the customer is not taken out of the levels' times (a simplification of the demo's history). Pure.
/// </summary>
internal static class DemoEscalations
{
    /// <summary>Level 2 and 3 for the priorities that matter most; normal cases get one further level, low ones none.</summary>
    public static IReadOnlyList<SlaEscalation>? For(string priority) => priority switch
    {
        CasePriorities.Urgent => [new(2 * 60, [ServiceDirector]), new(8 * 60, [ServiceDirector, "care-lead@example.com"])],
        CasePriorities.High => [new(8 * 60, ["care-lead@example.com"], RaisePriority: true), new(24 * 60, [ServiceDirector])],
        CasePriorities.Normal => [new(24 * 60, ["care-lead@example.com"], RaisePriority: true)],
        _ => null,
    };

    private const string ServiceDirector = "service-director@example.com";

    public static void Apply(DemoCase demoCase, SlaPolicy policy, BusinessCalendar calendar, long asOf)
    {
        var row = demoCase.Row;
        if (row.BreachedAt is not { } missedDueAt)
        {
            return;
        }

        var plan = EscalationPlan.For(policy.Escalations, calendar, missedDueAt, (int)row.EscalationLevel);
        if (plan.Count == 0)
        {
            return;
        }

        var until = row.ResolvedAt ?? asOf;
        foreach (var step in plan.Where(s => s.At < until))
        {
            demoCase.Audit.Add(("sla", "escalationLevel", row.EscalationLevel.ToString(System.Globalization.CultureInfo.InvariantCulture),
                step.Level.ToString(System.Globalization.CultureInfo.InvariantCulture), step.At));
            if (step.RaisePriority && SlaPolicy.Raise(row.Priority) is var raised && raised != row.Priority)
            {
                demoCase.Audit.Add(("sla", "priority", row.Priority, raised, step.At));
                row.Priority = raised;
            }

            row.EscalationLevel = step.Level;
            row.UpdatedAt = Math.Max(row.UpdatedAt, step.At);
        }

        // The audit trail reads in insertion order: the levels go between the steps of the case's life they happened in.
        var inOrder = demoCase.Audit.OrderBy(a => a.At).ToList();
        demoCase.Audit.Clear();
        demoCase.Audit.AddRange(inOrder);
        demoCase.EscalationPlan = EscalationPlan.Write(plan);
        demoCase.NextEscalationAt = row.ResolvedAt is null ? EscalationPlan.After(plan, (int)row.EscalationLevel)?.At : null;
    }
}
