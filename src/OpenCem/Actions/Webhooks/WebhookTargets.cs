using System.Text.Json;
using OpenCem.Actions.Events;

namespace OpenCem.Actions.Webhooks;

/// <summary>
/// Which webhooks an event goes to, pure. A <c>rule.fired</c> event whose payload names a <c>webhookId</c> (a rule's
/// "call a webhook" action) goes to that webhook only; every other event goes to each enabled webhook of its workspace
/// that subscribes to its type and existed when the event was written (a new subscription does not replay history).
/// </summary>
public static class WebhookTargets
{
    public static IEnumerable<WebhookRow> For(StoredEvent @event, IReadOnlyList<WebhookRow> webhooks)
    {
        var current = webhooks.Where(w => w.WorkspaceId == @event.WorkspaceId && w.Enabled != 0 && w.CreatedAt <= @event.CreatedAt);
        if (@event.Type == EventTypes.RuleFired && NamedWebhook(@event.Payload) is { } webhookId)
        {
            return current.Where(w => w.Id == webhookId);
        }

        return current.Where(w => WebhookEventTypes.MatchesAny(w.Events, @event.Type));
    }

    /// <summary>The payload's <c>webhookId</c>, or null when it has none (or is not a JSON object).</summary>
    public static long? NamedWebhook(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("webhookId", out var id) && id.ValueKind is JsonValueKind.Number or JsonValueKind.String
                && long.TryParse(id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
