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
public sealed record SourceRecord(
    string Source,
    string Key,
    IReadOnlyList<Identifier> Identifiers,
    JsonObject Traits,
    DateTimeOffset? UpdatedAt);
