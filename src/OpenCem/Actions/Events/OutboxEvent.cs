namespace OpenCem.Actions.Events;

/// <summary>
/// Something that happened in OpenCem that rules and webhook subscribers react to. Written in the same transaction
/// as the change it reports (the outbox), so it exists exactly when the change does.
/// </summary>
/// <param name="Type">One of <see cref="EventTypes"/>.</param>
/// <param name="SubjectId">The id of the thing the event is about (the response, the signal, the case).</param>
/// <param name="Payload">The event's data as a JSON object.</param>
public sealed record OutboxEvent(
    long WorkspaceId, string Type, long? CustomerId, long? SubjectId, string Payload, DateTimeOffset OccurredAt);

/// <summary>An event as stored: with its id, the position in the outbox readers keep their cursor on.</summary>
public sealed class StoredEvent
{
    public long Id { get; set; }

    public long WorkspaceId { get; set; }

    public string Type { get; set; } = "";

    public long? CustomerId { get; set; }

    public long? SubjectId { get; set; }

    public string Payload { get; set; } = "{}";

    public long OccurredAt { get; set; }

    public long CreatedAt { get; set; }
}
