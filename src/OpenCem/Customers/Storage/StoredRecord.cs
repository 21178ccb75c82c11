using System.Text.Json;

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
/// Identifiers are stored on their record as lines of <c>type:value</c> (type names never contain a colon), so a record
/// reads back in one row and decodes without a parser; and in <c>record_identifiers</c> for matching. A value with a
/// line break (a tracking userId may hold one) would split its line, so such a list is stored as a JSON array of
/// [type, value] pairs instead: it starts with '[', which no line of the plain form does.
/// </summary>
public static class IdentifierCodec
{
    public static string Encode(IReadOnlyList<Identifier> identifiers)
    {
        foreach (var identifier in identifiers)
        {
            if (identifier.Value.Contains('\n', StringComparison.Ordinal))
            {
                return JsonSerializer.Serialize(identifiers.Select(i => new[] { i.Type, i.Value }));
            }
        }

        return string.Join('\n', identifiers.Select(i => i.Type + ":" + i.Value));
    }

    public static List<Identifier> Decode(string text)
    {
        if (text.StartsWith('['))
        {
            return [.. JsonSerializer.Deserialize<string[][]>(text)!.Select(p => new Identifier(IdentifierKinds.Intern(p[0]), p[1]))];
        }

        var list = new List<Identifier>(3);
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan(range);
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                list.Add(new Identifier(IdentifierKinds.Intern(line[..colon]), line[(colon + 1)..].ToString()));
            }
        }

        return list;
    }
}
