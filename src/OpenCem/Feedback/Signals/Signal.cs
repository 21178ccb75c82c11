using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenCem.Customers;
using OpenCem.Feedback.Responses;

namespace OpenCem.Feedback.Signals;

/// <summary>Unsolicited feedback: a review, a social post, a complaint, an e-mail, a chat or a call transcript.</summary>
public sealed record Signal(
    string Source, string Text, string? Title, double? Rating, double? RatingMax, Respondent Customer, string? Url, string? Language,
    string? Touchpoint, string? ExternalId, JsonObject? Properties, long OccurredAt);

/// <summary>Reads and checks a signal from its JSON (pure).</summary>
public static class SignalReader
{
    public const int MaxTextLength = 20_000;

    public static readonly IReadOnlyDictionary<string, string> Sources = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["review"] = "review",
        ["social"] = "social",
        ["complaint"] = "complaint",
        ["email"] = "email",
        ["e-mail"] = "email",
        ["chat"] = "chat",
        ["call-transcript"] = "call-transcript",
        ["call transcript"] = "call-transcript",
        ["call_transcript"] = "call-transcript",
    };

    private static readonly HashSet<string> Properties = new(StringComparer.Ordinal)
    {
        "source", "text", "title", "rating", "ratingMax", "customerId", "userId", "anonymousId", "email", "customerNumber", "phone", "identifiers",
        "url", "language", "touchpoint", "externalId", "properties", "timestamp",
    };

    public static Signal? Read(JsonElement json, IdentitySettings settings, long now, IDictionary<string, string[]> errors, string prefix = "")
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors[prefix.TrimEnd('.') is { Length: > 0 } p ? p : "body"] = ["must be a JSON object."];
            return null;
        }

        foreach (var property in json.EnumerateObject().Where(p => !Properties.Contains(p.Name)))
        {
            errors[prefix + property.Name] = [$"is not a property of a signal ({string.Join(", ", Properties)})."];
        }

        var sourceText = Text(json, "source", 40, prefix, errors);
        string? source = null;
        if (sourceText is null || !Sources.TryGetValue(sourceText, out source))
        {
            errors[prefix + "source"] = ["is required: review, social, complaint, email, chat or call-transcript."];
        }

        var text = Text(json, "text", MaxTextLength, prefix, errors);
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.TryAdd(prefix + "text", ["is required: what the customer said."]);
        }

        var rating = Number(json, "rating", prefix, errors);
        var ratingMax = Number(json, "ratingMax", prefix, errors) ?? (rating is null ? null : 5);
        if (rating is { } r && (r < 0 || r > ratingMax))
        {
            errors[prefix + "rating"] = [$"must be from 0 to ratingMax ({ratingMax})."];
        }

        var url = Text(json, "url", 2000, prefix, errors);
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            errors[prefix + "url"] = ["must be an absolute http or https URL."];
        }

        var occurredAt = now;
        if (Text(json, "timestamp", 40, prefix, errors) is { } time)
        {
            if (DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && parsed.ToUnixTimeMilliseconds() <= now + 86_400_000)
            {
                occurredAt = parsed.ToUnixTimeMilliseconds();
            }
            else
            {
                errors[prefix + "timestamp"] = ["must be an ISO 8601 time, not in the future."];
            }
        }

        JsonObject? properties = null;
        if (json.TryGetProperty("properties", out var props) && props.ValueKind != JsonValueKind.Null)
        {
            properties = props.ValueKind == JsonValueKind.Object ? JsonNode.Parse(props.GetRawText())!.AsObject() : null;
            if (properties is null)
            {
                errors[prefix + "properties"] = ["must be an object."];
            }
        }

        var respondentErrors = new Dictionary<string, string[]>();
        var customer = RespondentLookup.Read(json, settings, respondentErrors);
        foreach (var (field, messages) in respondentErrors)
        {
            errors[prefix + field] = messages;
        }

        return errors.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal)) || errors.ContainsKey("body")
            ? null
            : new Signal(source!, text!, Text(json, "title", 500, prefix, errors), rating, ratingMax, customer, url,
                Text(json, "language", 12, prefix, errors)?.ToLowerInvariant(), Text(json, "touchpoint", 100, prefix, errors),
                Text(json, "externalId", 200, prefix, errors), properties, occurredAt);
    }

    private static string? Text(JsonElement json, string name, int maxLength, string prefix, IDictionary<string, string[]> errors)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length > maxLength)
        {
            errors[prefix + name] = [$"must be a text of up to {maxLength} characters."];
            return null;
        }

        return value.GetString();
    }

    private static double? Number(JsonElement json, string name, string prefix, IDictionary<string, string[]> errors)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !double.IsFinite(value.GetDouble()))
        {
            errors[prefix + name] = ["must be a number."];
            return null;
        }

        return value.GetDouble();
    }
}
