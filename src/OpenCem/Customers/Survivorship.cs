using System.Text.Json.Nodes;

namespace OpenCem.Customers;

/// <summary>One record's say in a profile's traits.</summary>
public sealed record TraitCandidate(string Source, string RecordKey, DateTimeOffset UpdatedAt, JsonObject Traits);

/// <summary>Where a profile's trait value came from.</summary>
public sealed record TraitOrigin(string Source, string Record, DateTimeOffset UpdatedAt);

/// <summary>
/// The stored form of a profile's trait origins: <c>{"trait":["source","record",updatedAtMs],...}</c>, compact because
/// every profile carries one.
/// </summary>
public static class TraitOrigins
{
    public static string Encode(IEnumerable<(string Trait, TraitOrigin Origin)> origins)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, StoredJson.WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (trait, origin) in origins)
            {
                writer.WriteStartArray(trait);
                writer.WriteStringValue(origin.Source);
                writer.WriteStringValue(origin.Record);
                writer.WriteNumberValue(origin.UpdatedAt.ToUnixTimeMilliseconds());
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Dictionary<string, TraitOrigin> Decode(string json)
    {
        var origins = new Dictionary<string, TraitOrigin>();
        if (JsonNode.Parse(json) is not JsonObject root)
        {
            return origins;
        }

        foreach (var (trait, value) in root)
        {
            if (value is JsonArray { Count: 3 } parts)
            {
                origins[trait] = new TraitOrigin((string)parts[0]!, (string)parts[1]!, DateTimeOffset.FromUnixTimeMilliseconds((long)parts[2]!));
            }
        }

        return origins;
    }
}

/// <summary>
/// Chooses each trait's surviving value among a profile's records: by default the most trusted source
/// (<see cref="IdentitySettings.SourcePriority"/>; unlisted sources after listed ones, tracking last), then the
/// most recent record; a trait can have its own source order or use the most recent value alone. Pure.
/// </summary>
public static class Survivorship
{
    public const string SourcePriority = "sourcePriority";
    public const string MostRecent = "mostRecent";

    public static (JsonObject Traits, Dictionary<string, TraitOrigin> Origins) Apply(IReadOnlyList<TraitCandidate> records, IdentitySettings settings)
    {
        var (traits, origins, _) = ApplyJson(records.Select(r => (r, r.Traits.ToJsonString())).ToList(), settings);
        return (JsonNode.Parse(traits) as JsonObject ?? [], TraitOrigins.Decode(origins));
    }

    /// <summary>
    /// The choice over records' JSON text, without building trees (bulk resolution uses it directly).
    /// Returns the surviving traits, their origins (see <see cref="TraitOrigins"/>) and the search name.
    /// </summary>
    public static (string Traits, string Origins, string? SearchName) ApplyJson(
        IReadOnlyList<(TraitCandidate Record, string Json)> records, IdentitySettings settings)
    {
        var documents = new System.Text.Json.JsonDocument[records.Count];
        try
        {
            var winners = new Dictionary<string, (System.Text.Json.JsonElement Value, int Record)>(StringComparer.Ordinal);
            for (var i = 0; i < records.Count; i++)
            {
                documents[i] = System.Text.Json.JsonDocument.Parse(records[i].Json);
                if (documents[i].RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var property in documents[i].RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == System.Text.Json.JsonValueKind.Null)
                    {
                        continue;
                    }

                    var rule = settings.Traits.Count == 0 ? null : settings.Traits.FirstOrDefault(t => t.Trait == property.Name);
                    if (!winners.TryGetValue(property.Name, out var current) || Beats(records[i].Record, records[current.Record].Record, rule, settings))
                    {
                        winners[property.Name] = (property.Value, i);
                    }
                }
            }

            var names = winners.Keys.ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
            using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, StoredJson.WriterOptions))
            {
                writer.WriteStartObject();
                foreach (var name in names)
                {
                    writer.WritePropertyName(name);
                    winners[name].Value.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            var origins = TraitOrigins.Encode(names.Select(n =>
            {
                var record = records[winners[n].Record].Record;
                return (n, new TraitOrigin(record.Source, record.RecordKey, record.UpdatedAt));
            }));
            var display = ProfileNames.Compose(name => winners.TryGetValue(name, out var w) ? ProfileNames.TextOf(w.Value) : null);
            return (System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), origins, display?.ToLowerInvariant());
        }
        finally
        {
            foreach (var document in documents)
            {
                document?.Dispose();
            }
        }
    }

    private static bool Beats(TraitCandidate challenger, TraitCandidate holder, TraitRule? rule, IdentitySettings settings)
    {
        if (rule?.Rule != MostRecent)
        {
            var order = rule is { Sources.Count: > 0 } ? rule.Sources : settings.SourcePriority;
            var byRank = Rank(challenger.Source, order).CompareTo(Rank(holder.Source, order));
            if (byRank != 0)
            {
                return byRank < 0;
            }
        }

        var byTime = challenger.UpdatedAt.CompareTo(holder.UpdatedAt);
        return byTime != 0 ? byTime > 0 : string.CompareOrdinal(challenger.Source + "/" + challenger.RecordKey, holder.Source + "/" + holder.RecordKey) < 0;
    }

    private static int Rank(string source, IReadOnlyList<string> order)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == source)
            {
                return i;
            }
        }

        // What the customer says about themselves on the web is least trusted unless listed.
        return source == IdentifierKinds.TrackingSource ? int.MaxValue : int.MaxValue - 1;
    }
}
