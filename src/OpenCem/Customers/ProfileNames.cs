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

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
