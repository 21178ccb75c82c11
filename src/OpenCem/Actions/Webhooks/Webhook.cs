namespace OpenCem.Actions.Webhooks;

/// <summary>A subscription of a receiver to OpenCem's events.</summary>
/// <remarks><paramref name="PreviousSecretValidUntil"/>: after a secret rotation, until when the previous secret still signs alongside the new one.</remarks>
public sealed record Webhook(
    long Id, long WorkspaceId, string Url, string? Description, IReadOnlyList<string> Events, bool Enabled, DateTimeOffset CreatedAt,
    DateTimeOffset? PreviousSecretValidUntil = null);

/// <summary>A webhook as stored, with its signing secret (never shown after creation).</summary>
public sealed class WebhookRow
{
    public long Id { get; set; }

    public long WorkspaceId { get; set; }

    public string Url { get; set; } = "";

    public string? Description { get; set; }

    public string EventTypes { get; set; } = "";

    public string Secret { get; set; } = "";

    /// <summary>1 or 0: an INTEGER reads back the same on both databases.</summary>
    public long Enabled { get; set; }

    public long CreatedAt { get; set; }

    public long? PreviousSecretUntil { get; set; }

    public IReadOnlyList<string> Events => EventTypes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public Webhook ToWebhook() => new(
        Id, WorkspaceId, Url, Description, Events, Enabled != 0, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
        PreviousSecretUntil is { } until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null);
}
