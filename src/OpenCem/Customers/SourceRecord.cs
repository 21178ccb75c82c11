using System.Text.Json.Nodes;

namespace OpenCem.Customers;

/// <summary>One normalised identifier value.</summary>
public readonly record struct Identifier(string Type, string Value)
{
    public override string ToString() => $"{Type}:{Value}";
}

/// <summary>
/// A customer record as one source system holds it: its key in that source, its identifiers (normalised) and its
/// traits. Records are what identity resolution links; a profile is the set of records that belong to one person.
/// </summary>
/// <remarks>
/// Traits are held as their JSON text: an import keeps a million records in memory, and a JSON string per record
/// costs the garbage collector one object where a parsed tree costs dozens.
/// </remarks>
public sealed record SourceRecord(
    string Source,
    string Key,
    IReadOnlyList<Identifier> Identifiers,
    string TraitsJson,
    DateTimeOffset? UpdatedAt)
{
    public SourceRecord(string source, string key, IReadOnlyList<Identifier> identifiers, JsonObject traits, DateTimeOffset? updatedAt)
        : this(source, key, identifiers, traits.ToJsonString(), updatedAt)
    {
    }

    /// <summary>The traits, parsed (a new object on every call).</summary>
    public JsonObject Traits => JsonNode.Parse(TraitsJson) as JsonObject ?? [];
}
