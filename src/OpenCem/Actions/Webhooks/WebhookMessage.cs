using System.Text;
using System.Text.Json;

namespace OpenCem.Actions.Webhooks;

/// <summary>The body a receiver gets, pure: <c>{"type", "timestamp", "data"}</c> as the Standard Webhooks specification suggests.</summary>
public static class WebhookMessage
{
    /// <param name="payload">The event's JSON object; anything else (never written by OpenCem) is sent as an empty object.</param>
    public static string Body(string type, DateTimeOffset occurredAt, string payload)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("timestamp", occurredAt.ToUniversalTime());
            writer.WritePropertyName("data");
            if (IsObject(payload))
            {
                writer.WriteRawValue(payload, skipInputValidation: true);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static bool IsObject(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
