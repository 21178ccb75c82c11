using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenCem.Customers;

/// <summary>A profile's display name from its traits, and the lower-cased form searched by name.</summary>
public static class ProfileNames
{
    public static string? DisplayName(JsonObject traits) =>
        Compose(name => traits[name] is JsonValue value && value.TryGetValue<string>(out var text) ? Clean(text) : null);

    /// <summary>The search name straight from a parsed document, without building a tree.</summary>
    public static string? SearchName(JsonElement traits) =>
        traits.ValueKind == JsonValueKind.Object
            ? Compose(name => traits.TryGetProperty(name, out var value) ? TextOf(value) : null)?.ToLowerInvariant()
            : null;

    /// <summary>A trait value as a name part: non-blank text, trimmed.</summary>
    public static string? TextOf(JsonElement value) => value.ValueKind == JsonValueKind.String ? Clean(value.GetString()) : null;

    /// <summary><c>name</c>, else <c>firstName lastName</c>, from whatever holds the traits.</summary>
    internal static string? Compose(Func<string, string?> text)
    {
        if (text("name") is { } name)
        {
            return name;
        }

        var parts = new[] { text("firstName"), text("lastName") }.Where(p => p is not null).ToList();
        return parts.Count > 0 ? string.Join(' ', parts) : null;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
