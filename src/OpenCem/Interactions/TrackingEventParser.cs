using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace OpenCem.Interactions;

/// <summary>Why one tracking call was refused: the JSON path of the offending field and a sentence.</summary>
public sealed record TrackingRejection(string Field, string Reason);

/// <summary>
/// Turns one Segment tracking call (the JSON object of /v1/track, /v1/page, ... or one element of a batch)
/// into a <see cref="TrackingEvent"/>, or says precisely why it cannot. Pure: no I/O, no clock.
/// </summary>
public static class TrackingEventParser
{
    /// <summary>Segment's limit for a single call.</summary>
    public const int MaxEventBytes = 32 * 1024;

    /// <summary>Segment's limit for a batch request.</summary>
    public const int MaxBatchBytes = 500 * 1024;

    // Properties lifted into columns of their own; the rest stay in the properties JSON.
    private static readonly HashSet<string> LiftedProperties = new(StringComparer.Ordinal)
    {
        "touchpoint", "channel", "outcome", "effort", "revenue", "cost",
    };

    public static bool TryParse(
        JsonElement call,
        TrackingCallType? impliedType,
        DateTimeOffset receivedAt,
        DateTimeOffset? batchSentAt,
        out TrackingEvent? trackingEvent,
        out TrackingRejection? rejection)
    {
        trackingEvent = null;
        rejection = Validate(call, impliedType, receivedAt, batchSentAt, out trackingEvent);
        return rejection is null;
    }

    private static TrackingRejection? Validate(
        JsonElement call,
        TrackingCallType? impliedType,
        DateTimeOffset receivedAt,
        DateTimeOffset? batchSentAt,
        out TrackingEvent? parsed)
    {
        parsed = null;
        if (call.ValueKind != JsonValueKind.Object)
        {
            return new("$", "A tracking call must be a JSON object.");
        }

        var size = JsonMarshal.GetRawUtf8Value(call).Length;
        if (size > MaxEventBytes)
        {
            return new("$", $"The event is {size} bytes; a single event may be at most {MaxEventBytes} bytes.");
        }

        TrackingCallType type;
        if (impliedType is { } implied)
        {
            type = implied;
        }
        else
        {
            if (!TryGetString(call, "type", out var typeName, out var typeError))
            {
                return typeError ?? new("type", "Each batch item needs a \"type\": track, identify, page, screen, group or alias.");
            }

            if (!TryParseType(typeName!, out type))
            {
                return new("type", $"\"{typeName}\" is not a tracking call type; use track, identify, page, screen, group or alias.");
            }
        }

        if (!TryGetId(call, "userId", out var userId, out var error) || !TryGetId(call, "anonymousId", out var anonymousId, out error))
        {
            return error;
        }

        if (userId is null && anonymousId is null)
        {
            return new("userId", "Either \"userId\" or \"anonymousId\" is required.");
        }

        if (!TryGetString(call, "messageId", out var messageId, out error))
        {
            return error;
        }

        if (messageId is { Length: > 200 })
        {
            return new("messageId", "\"messageId\" may be at most 200 characters.");
        }

        if (!TryGetTime(call, "timestamp", out var timestamp, out error)
            || !TryGetTime(call, "originalTimestamp", out var originalTimestamp, out error)
            || !TryGetTime(call, "sentAt", out var sentAt, out error))
        {
            return error;
        }

        if (!TryGetObject(call, "context", out var context, out error)
            || !TryGetObject(call, "properties", out var properties, out error)
            || !TryGetObject(call, "traits", out var traits, out error))
        {
            return error;
        }

        string? eventName = null;
        string? previousId = null;
        string? groupId = null;
        switch (type)
        {
            case TrackingCallType.Track:
                if (!TryGetString(call, "event", out eventName, out error))
                {
                    return error;
                }

                if (string.IsNullOrWhiteSpace(eventName))
                {
                    return new("event", "A track call needs a non-empty \"event\" name.");
                }

                break;
            case TrackingCallType.Page:
            case TrackingCallType.Screen:
                if (!TryGetString(call, "name", out eventName, out error))
                {
                    return error;
                }

                if (eventName is null && properties is { } pageProperties
                    && pageProperties.TryGetProperty("name", out var nameProperty) && nameProperty.ValueKind == JsonValueKind.String)
                {
                    eventName = nameProperty.GetString();
                }

                break;
            case TrackingCallType.Alias:
                if (!TryGetId(call, "previousId", out previousId, out error))
                {
                    return error;
                }

                if (previousId is null)
                {
                    return new("previousId", "An alias call needs \"previousId\".");
                }

                if (userId is null)
                {
                    return new("userId", "An alias call needs \"userId\".");
                }

                break;
            case TrackingCallType.Group:
                if (!TryGetId(call, "groupId", out groupId, out error))
                {
                    return error;
                }

                if (groupId is null)
                {
                    return new("groupId", "A group call needs \"groupId\".");
                }

                break;
            case TrackingCallType.Identify:
                break;
        }

        // Identify and group carry traits where the other calls carry properties.
        var attributes = type is TrackingCallType.Identify or TrackingCallType.Group ? traits : properties;
        var attributePath = type is TrackingCallType.Identify or TrackingCallType.Group ? "traits" : "properties";
        string? touchpointKey = null, channel = null;
        InteractionOutcome? outcome = null;
        double? effort = null, revenue = null, cost = null;
        if (attributes is { } bag)
        {
            if (!TryGetString(bag, "touchpoint", out touchpointKey, out error, attributePath)
                || !TryGetString(bag, "channel", out channel, out error, attributePath)
                || !TryGetOutcome(bag, attributePath, out outcome, out error)
                || !TryGetNumber(bag, "effort", attributePath, out effort, out error)
                || !TryGetNumber(bag, "revenue", attributePath, out revenue, out error)
                || !TryGetNumber(bag, "cost", attributePath, out cost, out error))
            {
                return error;
            }
        }

        // Segment's clock-skew correction: the client's clock is off by (sentAt - receivedAt).
        var occurred = timestamp ?? originalTimestamp ?? receivedAt;
        var clientSentAt = sentAt ?? batchSentAt;
        if (clientSentAt is { } sent && (timestamp is not null || originalTimestamp is not null))
        {
            occurred = receivedAt + (occurred - sent);
        }

        parsed = new TrackingEvent
        {
            Type = type,
            MessageId = messageId ?? Guid.NewGuid().ToString("N"),
            UserId = userId,
            AnonymousId = anonymousId,
            EventName = eventName,
            Timestamp = occurred,
            ReceivedAt = receivedAt,
            ClientTimestamp = timestamp ?? originalTimestamp,
            TouchpointKey = string.IsNullOrWhiteSpace(touchpointKey) ? null : touchpointKey,
            Channel = string.IsNullOrWhiteSpace(channel) ? null : channel.Trim().ToLowerInvariant(),
            Outcome = outcome,
            Effort = effort,
            Revenue = revenue,
            Cost = cost,
            PropertiesJson = attributes is { } a ? WriteRemaining(a) : null,
            ContextJson = context is { } c ? Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(c)) : null,
            TraitsJson = type == TrackingCallType.Identify ? (traits is { } t ? RawJson(t) : ContextTraits(context)) : null,
            PreviousId = previousId,
            GroupId = groupId,
            SizeInBytes = size,
        };
        return null;
    }

    public static bool TryParseType(string name, out TrackingCallType type)
    {
        switch (name)
        {
            case "track": type = TrackingCallType.Track; return true;
            case "identify": type = TrackingCallType.Identify; return true;
            case "page": type = TrackingCallType.Page; return true;
            case "screen": type = TrackingCallType.Screen; return true;
            case "group": type = TrackingCallType.Group; return true;
            case "alias": type = TrackingCallType.Alias; return true;
            default: type = default; return false;
        }
    }

    /// <summary>Reads an outcome word; common synonyms are accepted so that existing tracking plans fit.</summary>
    public static bool TryParseOutcome(string value, out InteractionOutcome outcome)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "success" or "succeeded" or "successful" or "ok" or "completed" or "complete" or "resolved":
                outcome = InteractionOutcome.Success;
                return true;
            case "failure" or "failed" or "fail" or "error" or "unresolved":
                outcome = InteractionOutcome.Failure;
                return true;
            case "abandoned" or "abandon" or "cancelled" or "canceled" or "dropped":
                outcome = InteractionOutcome.Abandoned;
                return true;
            default:
                outcome = default;
                return false;
        }
    }

    private static string RawJson(JsonElement element) => Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(element));

    private static string? ContextTraits(JsonElement? context) =>
        context is { } c && c.TryGetProperty("traits", out var traits) && traits.ValueKind == JsonValueKind.Object ? RawJson(traits) : null;

    private static string? WriteRemaining(JsonElement bag)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in bag.EnumerateObject())
            {
                if (!LiftedProperties.Contains(property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenCount <= 2 ? null : Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool TryGetString(JsonElement obj, string name, out string? value, out TrackingRejection? error, string? path = null)
    {
        value = null;
        error = null;
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = new(Path(path, name), $"\"{name}\" must be a string, not {Describe(element.ValueKind)}.");
            return false;
        }

        value = element.GetString();
        return true;
    }

    /// <summary>Identifiers may be strings or numbers, as in Segment; numbers are kept as their text.</summary>
    private static bool TryGetId(JsonElement obj, string name, out string? value, out TrackingRejection? error)
    {
        value = null;
        error = null;
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                value = element.GetString();
                if (string.IsNullOrWhiteSpace(value))
                {
                    value = null;
                }
                else if (value.Length > 200)
                {
                    error = new(name, $"\"{name}\" may be at most 200 characters.");
                    return false;
                }

                return true;
            case JsonValueKind.Number:
                value = element.GetRawText();
                return true;
            default:
                error = new(name, $"\"{name}\" must be a string or a number, not {Describe(element.ValueKind)}.");
                return false;
        }
    }

    private static bool TryGetTime(JsonElement obj, string name, out DateTimeOffset? value, out TrackingRejection? error)
    {
        value = null;
        error = null;
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        error = new(name, $"\"{name}\" must be an ISO-8601 date-time string such as \"2026-01-31T12:00:00Z\".");
        return false;
    }

    private static bool TryGetObject(JsonElement obj, string name, out JsonElement? value, out TrackingRejection? error)
    {
        value = null;
        error = null;
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = new(name, $"\"{name}\" must be a JSON object, not {Describe(element.ValueKind)}.");
            return false;
        }

        value = element;
        return true;
    }

    private static bool TryGetOutcome(JsonElement bag, string path, out InteractionOutcome? outcome, out TrackingRejection? error)
    {
        outcome = null;
        if (!TryGetString(bag, "outcome", out var text, out error, path))
        {
            return false;
        }

        if (text is null)
        {
            return true;
        }

        if (!TryParseOutcome(text, out var parsed))
        {
            error = new(path + ".outcome", $"\"{text}\" is not an outcome; use success, failure or abandoned.");
            return false;
        }

        outcome = parsed;
        return true;
    }

    private static bool TryGetNumber(JsonElement bag, string name, string path, out double? value, out TrackingRejection? error)
    {
        value = null;
        error = null;
        if (!bag.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number) && double.IsFinite(number))
        {
            value = number;
            return true;
        }

        if (element.ValueKind == JsonValueKind.String
            && double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number))
        {
            value = number;
            return true;
        }

        error = new($"{path}.{name}", $"\"{name}\" must be a number, not {Describe(element.ValueKind)}.");
        return false;
    }

    private static string Path(string? parent, string name) => parent is null ? name : $"{parent}.{name}";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };
}
