using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenCem.Customers.Storage;

/// <summary>A row of <c>source_records</c>, with its identifiers decoded.</summary>
public sealed class StoredRecord
{
    public long Id { get; set; }

    public required string Source { get; init; }

    public required string Key { get; init; }

    public long CustomerId { get; set; }

    public required IReadOnlyList<Identifier> Identifiers { get; set; }

    /// <summary>The traits JSON; null when not loaded (resolution alone does not need it).</summary>
    public string? TraitsJson { get; set; }

    public long UpdatedAt { get; set; }

    public long ReceivedAt { get; set; }
}

/// <summary>
/// Identifiers are stored on their record as a JSON array of <c>"type:value"</c> (type names never contain a
/// colon), so a record reads back in one row, and in <c>record_identifiers</c> for matching.
/// </summary>
public static class IdentifierCodec
{
    public static string Encode(IReadOnlyList<Identifier> identifiers)
    {
        var array = new JsonArray();
        foreach (var identifier in identifiers)
        {
            array.Add(identifier.Type + ":" + identifier.Value);
        }

        return array.ToJsonString();
    }

    public static List<Identifier> Decode(string json)
    {
        var list = new List<Identifier>();
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                var text = reader.GetString()!;
                var colon = text.IndexOf(':');
                list.Add(new Identifier(text[..colon], text[(colon + 1)..]));
            }
        }

        return list;
    }
}
