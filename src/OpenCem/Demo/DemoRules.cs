using System.Text.Json.Nodes;
using OpenCem.Actions.Rules;
using OpenCem.Storage;

namespace OpenCem.Demo;

/// <summary>
/// The rules the demo company ships with, saved after its history is loaded (rules act on what happens next; the
/// dry-run shows what they would have done in the past two years): a detractor follow-up, a help offer for customers
/// stuck in the router self-setup (<see cref="DemoTruths.SelfServiceStep"/>), an alert on repeated failed fault reports, and a tag on customers whose urgent case escalated to level 3.
/// </summary>
public static class DemoRules
{
    public static readonly IReadOnlyList<(string Name, string Json)> All =
    [
        ("Detractor follow-up", """
            {"name": "Detractor follow-up", "trigger": "response.submitted", "condition": "response.nps !== null && response.nps <= 6",
             "actions": [{"type": "openCase", "title": "Call back a detractor", "priority": "high", "team": "customer-care", "reason": "detractor"},
                         {"type": "tag", "tag": "detractor"}]}
            """),
        ("Struggling in setup", """
            {"name": "Struggling in setup", "trigger": "interaction.recorded", "cooldownMinutes": 1440,
             "condition": "interaction.touchpoint === 'router-self-setup' && interaction.outcome === 'failure' && count({touchpoint: 'router-self-setup', outcome: 'failure', within: '30m'}) >= 3",
             "actions": [{"type": "helpOffer", "channel": "app", "message": "Setting up your router? A technician can walk you through it - tap here and we call you.", "expiresInMinutes": 1440}]}
            """),
        ("Fault burst alert", """
            {"name": "Fault burst alert", "trigger": "interaction.recorded", "cooldownMinutes": 60,
             "condition": "interaction.journey === 'fault-repair' && interaction.outcome === 'failure' && count({journey: 'fault-repair', outcome: 'failure', within: '2h'}) >= 3",
             "actions": [{"type": "email", "to": "network-operations@example.com", "subject": "Repeated failed fault repairs"},
                         {"type": "openCase", "title": "Repeated failed fault repairs", "priority": "urgent", "team": "network-operations"}]}
            """),
        ("Escalated to the service director", """
            {"name": "Escalated to the service director", "trigger": "case.escalated", "cooldownMinutes": 60,
             "condition": "case.escalationLevel >= 3 && case.priority === 'urgent'",
             "actions": [{"type": "tag", "tag": "escalated-case"}]}
            """),
    ];

    /// <summary>Saves the rules the workspace does not have yet (by name).</summary>
    public static async Task CreateAsync(Database database, TimeProvider time, long workspaceId, CancellationToken cancellationToken)
    {
        var store = new RuleStore(database, time);
        var existing = (await store.ListAsync(workspaceId, cancellationToken)).Select(r => r.Definition.Name).ToHashSet();
        foreach (var (name, json) in All.Where(r => !existing.Contains(r.Name)))
        {
            var errors = new Dictionary<string, string[]>();
            var rule = RuleReader.Read(JsonNode.Parse(json), errors)
                ?? throw new InvalidOperationException($"The demo rule '{name}' is invalid: {string.Join("; ", errors.SelectMany(e => e.Value))}");
            await store.CreateAsync(workspaceId, rule, cancellationToken);
        }
    }
}
