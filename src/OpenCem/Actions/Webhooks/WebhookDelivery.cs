namespace OpenCem.Actions.Webhooks;

/// <summary>One event for one webhook, as the API shows it.</summary>
public sealed record WebhookDelivery(
    long Id, long WebhookId, long EventId, string EventType, string MessageId, string Status, int Attempts, DateTimeOffset? NextAttemptAt,
    int? LastStatusCode, string? LastError, long? LastDurationMs, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

/// <summary>A leased delivery with what sending it needs.</summary>
public sealed class LeasedDelivery
{
    public long Id { get; set; }

    public long WebhookId { get; set; }

    public string MessageId { get; set; } = "";

    public long Attempts { get; set; }

    public string Url { get; set; } = "";

    public string Secret { get; set; } = "";

    /// <summary>The secret before the last rotation, still signing until <see cref="PreviousSecretUntil"/>.</summary>
    public string? PreviousSecret { get; set; }

    public long? PreviousSecretUntil { get; set; }

    public string EventType { get; set; } = "";

    public string Payload { get; set; } = "{}";

    public long OccurredAt { get; set; }

    /// <summary>The secrets that sign an attempt at <paramref name="now"/>: the current one, and the previous one within its grace period.</summary>
    public IReadOnlyList<string> SecretsAt(long now) =>
        PreviousSecret is { } previous && PreviousSecretUntil > now ? [Secret, previous] : [Secret];
}

internal sealed class DeliveryRow
{
    public long Id { get; set; }

    public long WebhookId { get; set; }

    public long EventId { get; set; }

    public string EventType { get; set; } = "";

    public string MessageId { get; set; } = "";

    public string Status { get; set; } = "";

    public long Attempts { get; set; }

    public long NextAttemptAt { get; set; }

    public long? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public long? LastDurationMs { get; set; }

    public long CreatedAt { get; set; }

    public long? DeliveredAt { get; set; }

    public WebhookDelivery ToDelivery() => new(
        Id, WebhookId, EventId, EventType, MessageId, Status, (int)Attempts,
        Status is DeliveryStatus.Pending or DeliveryStatus.Failed ? DateTimeOffset.FromUnixTimeMilliseconds(NextAttemptAt) : null,
        (int?)LastStatusCode, LastError, LastDurationMs, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
        DeliveredAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null);
}
