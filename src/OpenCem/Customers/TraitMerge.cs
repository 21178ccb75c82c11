using System.Text.Json.Nodes;

namespace OpenCem.Customers;

/// <summary>How JSON is written into the database: readable text (umlauts stay umlauts), never embedded in HTML.</summary>
public static class StoredJson
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly System.Text.Json.JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

/// <summary>Merges identify traits into a profile: later values win per trait, null removes a trait.</summary>
public static class TraitMerge
{
    public static string Merge(string? existing, string incoming)
    {
        var target = (existing is null ? null : JsonNode.Parse(existing) as JsonObject) ?? [];
        if (JsonNode.Parse(incoming) is not JsonObject source)
        {
            return target.ToJsonString(StoredJson.Options);
        }

        foreach (var (name, value) in source)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }

        return target.ToJsonString(StoredJson.Options);
    }
}
