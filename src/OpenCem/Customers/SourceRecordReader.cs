using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenCem.Customers;

/// <summary>A record that could not be read, with where and why.</summary>
public sealed record RecordRejection(long Line, string? Id, string Reason);

/// <summary>
/// Turns the fields of one incoming record (a JSON object, or a CSV row already mapped to field names) into a
/// <see cref="SourceRecord"/>: <c>id</c> is required; <c>email</c>, <c>phone</c>, <c>customerNumber</c> and
/// <c>identifiers.TYPE</c> are identifiers; <c>updatedAt</c> is the record's time; anything else is a trait.
/// Identifier fields stay visible as traits too, in the spelling the source used.
/// </summary>
public sealed class SourceRecordReader(IdentitySettings settings)
{
    public const int MaxIdentifiersPerRecord = 50;
    private static readonly string[] TopLevelIdentifiers = [IdentifierKinds.Email, IdentifierKinds.Phone, IdentifierKinds.CustomerNumber];

    private readonly IdentifierNormaliser _normaliser = new(settings);

    public IdentifierNormaliser Normaliser => _normaliser;

    /// <summary>The identifier types the rules name, for recognising CSV columns.</summary>
    public IEnumerable<string> IdentifierTypes => settings.IdentifierTypes.Select(t => t.Type);

    /// <summary>Reads a record, or says why it cannot be read.</summary>
    public (SourceRecord? Record, string? Error) Read(string source, JsonObject fields)
    {
        if (!TryText(fields["id"], out var key) || key.Length == 0)
        {
            return (null, "id is missing");
        }

        if (key.Length > 200)
        {
            return (null, "id is longer than 200 characters");
        }

        var identifiers = new List<Identifier>();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using var traits = new Utf8JsonWriter(buffer, StoredJson.WriterOptions);
        traits.WriteStartObject();
        DateTimeOffset? updatedAt = null;
        foreach (var (name, value) in fields)
        {
            switch (name)
            {
                case "id":
                    continue;
                case "updatedAt":
                    if (value is not null)
                    {
                        if (!TryText(value, out var text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                        {
                            return (null, "updatedAt is not an ISO 8601 date");
                        }

                        updatedAt = parsed.ToUniversalTime();
                    }

                    continue;
                case "identifiers":
                    if (value is null)
                    {
                        continue;
                    }

                    if (value is not JsonObject custom)
                    {
                        return (null, "identifiers must be an object of type to value");
                    }

                    foreach (var (type, values) in custom)
                    {
                        if (!IdentifierKinds.IsValidName(type))
                        {
                            return (null, $"identifier type '{type}' must be letters, digits, '_' or '-'");
                        }

                        if (AddAll(type, values, identifiers) is { } customError)
                        {
                            return (null, customError);
                        }
                    }

                    continue;
            }

            if (Array.IndexOf(TopLevelIdentifiers, name) >= 0 && AddAll(name, value, identifiers) is { } error)
            {
                return (null, error);
            }

            if (value is not null)
            {
                traits.WritePropertyName(name);
                value.WriteTo(traits);
            }
        }

        traits.WriteEndObject();
        traits.Flush();

        if (identifiers.Count > MaxIdentifiersPerRecord)
        {
            return (null, $"more than {MaxIdentifiersPerRecord} identifiers");
        }

        return (new SourceRecord(source, key, identifiers.Distinct().ToList(), System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), updatedAt), null);
    }

    /// <summary>
    /// Reads a CSV row: <paramref name="fields"/> names what each column is (see <see cref="RecordFiles"/>), values
    /// are text. Written straight to the record without building a JSON tree, which matters at a million rows.
    /// </summary>
    public (SourceRecord? Record, string? Error) Read(string source, IReadOnlyList<string> fields, IReadOnlyList<string?> values)
    {
        var idColumn = -1;
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i] == "id")
            {
                idColumn = i;
            }
        }

        var key = idColumn >= 0 ? values[idColumn]?.Trim() ?? "" : "";
        if (key.Length == 0)
        {
            return (null, "id is missing");
        }

        if (key.Length > 200)
        {
            return (null, "id is longer than 200 characters");
        }

        var identifiers = new List<Identifier>(4);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using var traits = new Utf8JsonWriter(buffer, StoredJson.WriterOptions);
        traits.WriteStartObject();
        DateTimeOffset? updatedAt = null;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var value = values[i];
            if (i == idColumn || string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (field == "updatedAt")
            {
                if (!DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return (null, "updatedAt is not an ISO 8601 date");
                }

                updatedAt = parsed.ToUniversalTime();
                continue;
            }

            var custom = field.StartsWith("identifiers.", StringComparison.Ordinal);
            if (custom || Array.IndexOf(TopLevelIdentifiers, field) >= 0)
            {
                var type = custom ? field["identifiers.".Length..] : field;
                var (normalised, error) = _normaliser.Normalise(type, value);
                if (error is not null)
                {
                    return (null, error);
                }

                if (normalised is not null)
                {
                    identifiers.Add(new Identifier(type, normalised));
                }

                if (custom)
                {
                    continue;
                }
            }

            traits.WritePropertyName(field);
            WriteTraitValue(traits, value);
        }

        traits.WriteEndObject();
        traits.Flush();
        return (new SourceRecord(source, key, identifiers.Distinct().ToList(), System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), updatedAt), null);
    }

    /// <summary>CSV has only text: true/false become booleans, plain decimals numbers; codes with leading zeros stay text.</summary>
    private static void WriteTraitValue(Utf8JsonWriter writer, string value)
    {
        if (value is "true" or "false")
        {
            writer.WriteBooleanValue(value == "true");
            return;
        }

        var looksNumeric = value.Length is > 0 and < 20 && (value[0] is not '0' || value.Length == 1 || value[1] == '.') && value[0] is not '+';
        if (looksNumeric && decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            writer.WriteNumberValue(number);
            return;
        }

        writer.WriteStringValue(value);
    }

    private string? AddAll(string type, JsonNode? values, List<Identifier> identifiers)
    {
        if (values is JsonArray array)
        {
            foreach (var item in array)
            {
                if (Add(type, item, identifiers) is { } error)
                {
                    return error;
                }
            }

            return null;
        }

        return Add(type, values, identifiers);
    }

    private string? Add(string type, JsonNode? node, List<Identifier> identifiers)
    {
        if (node is null)
        {
            return null;
        }

        if (!TryText(node, out var raw))
        {
            return $"{type} must be a string";
        }

        var (value, error) = _normaliser.Normalise(type, raw);
        if (error is not null)
        {
            return error;
        }

        if (value is not null)
        {
            identifiers.Add(new Identifier(type, value));
        }

        return null;
    }

    private static bool TryText(JsonNode? node, out string text)
    {
        text = "";
        if (node is not JsonValue value)
        {
            return false;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                text = value.GetValue<string>().Trim();
                return true;
            case JsonValueKind.Number:
                text = value.ToJsonString();
                return true;
            default:
                return false;
        }
    }
}
