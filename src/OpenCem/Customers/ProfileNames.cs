using System.Text.Json.Nodes;

namespace OpenCem.Customers;

/// <summary>A profile's display name from its traits, and the lower-cased form searched by name.</summary>
public static class ProfileNames
{
    public static string? DisplayName(JsonObject traits)
    {
        if (Text(traits["name"]) is { } name)
        {
            return name;
        }

        var parts = new[] { Text(traits["firstName"]), Text(traits["lastName"]) }.Where(p => p is not null).ToList();
        return parts.Count > 0 ? string.Join(' ', parts) : null;
    }

    public static string? SearchName(JsonObject traits) => DisplayName(traits)?.ToLowerInvariant();

    /// <summary>The search name straight from a parsed document, without building a tree.</summary>
    public static string? SearchName(System.Text.Json.JsonElement traits)
    {
        if (traits.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return null;
        }

        if (Text(traits, "name") is { } name)
        {
            return name.ToLowerInvariant();
        }

        var parts = new[] { Text(traits, "firstName"), Text(traits, "lastName") }.Where(p => p is not null).ToList();
        return parts.Count > 0 ? string.Join(' ', parts).ToLowerInvariant() : null;

        static string? Text(System.Text.Json.JsonElement element, string property) =>
            element.TryGetProperty(property, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
                && value.GetString() is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
