using System.Text.Json.Nodes;

namespace OpenCem.Actions.Rules;

/// <summary>
/// What a rule is asked about: the triggering source (an outbox event, an interaction, a schedule tick) with its key,
/// time and customer, and the root objects it fills (<c>event</c> and one of <c>response</c>, <c>signal</c>,
/// <c>interaction</c>, <c>case</c>).
/// </summary>
public sealed class RuleSubject
{
    public required long WorkspaceId { get; init; }

    public required string Trigger { get; init; }

    public required string SourceKind { get; init; }

    public required long SourceId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>When the triggering record was stored, or the schedule was due (unix ms): rule latency counts from it.</summary>
    public long StoredAt { get; init; }

    public long? CustomerId { get; set; }

    public long? ResponseId { get; init; }

    public long? InteractionId { get; init; }

    public long? TouchpointId { get; set; }

    public long? CaseId { get; init; }

    /// <summary>The event's own data as the outbox holds it (null for interactions and schedules).</summary>
    public string? Payload { get; init; }

    public JsonObject Roots { get; } = new();

    /// <summary>
    /// A schedule occurrence, or one customer of it: then the source is the customer under a kind naming the
    /// occurrence (<c>schedule@2026-11-24T07:00Z</c>), so the firing is unique per rule, occurrence and customer.
    /// </summary>
    public static RuleSubject Scheduled(long workspaceId, DateTimeOffset tick, long? customerId = null)
    {
        var subject = new RuleSubject
        {
            WorkspaceId = workspaceId,
            Trigger = RuleTriggers.Schedule,
            SourceKind = customerId is null ? RuleSources.Schedule : $"{RuleSources.Schedule}@{tick.UtcDateTime:yyyy-MM-ddTHH:mm}Z",
            SourceId = customerId ?? tick.ToUnixTimeMilliseconds(),
            OccurredAt = tick,
            StoredAt = tick.ToUnixTimeMilliseconds(),
            CustomerId = customerId,
        };
        subject.Roots["event"] = new JsonObject { ["type"] = RuleTriggers.Schedule, ["occurredAt"] = tick.ToUnixTimeMilliseconds() };
        return subject;
    }
}
