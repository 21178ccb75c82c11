using System.Text;
using System.Text.Json;

namespace OpenCem.Value.Churn;

/// <summary>
/// Reads a customer's traits JSON into their top-level values as text (strings as they are, numbers as written,
/// booleans as true/false; nested values skipped), in one forward pass over the UTF-8 bytes: this runs for every
/// customer scored. Names, and short text values (categories repeat across customers), are shared strings instead of
/// new ones per customer; with a list of wanted traits the others are skipped unread. One instance per reading
/// thread. Pure.
/// </summary>
public sealed class ChurnTraitsReader
{
    /// <summary>Bounds the shared strings, whatever the data holds.</summary>
    private const int MaxShared = 4_096;

    private const int MaxSharedLength = 48;

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly bool _onlyWanted;

    /// <param name="wanted">The traits to read; null reads them all.</param>
    public ChurnTraitsReader(IEnumerable<string>? wanted = null)
    {
        if (wanted is not null)
        {
            _onlyWanted = true;
            foreach (var name in wanted)
            {
                _names[name] = name;
            }
        }
    }

    /// <summary>The most traits one customer had so far: the next customer's table is made that big at once.</summary>
    private int _most;

    public void Read(ReadOnlySpan<byte> json, Dictionary<string, string> traits)
    {
        traits.EnsureCapacity(_most);
        Fill(json, traits);
        _most = Math.Max(_most, traits.Count);
    }

    private void Fill(ReadOnlySpan<byte> json, Dictionary<string, string> traits)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        Span<char> chars = stackalloc char[MaxSharedLength];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Shared(ref reader, _names, chars, !_onlyWanted);
            reader.Read();
            if (name is null)
            {
                reader.Skip();
                continue;
            }

            var text = reader.TokenType switch
            {
                JsonTokenType.String => Shared(ref reader, _values, chars, true),
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                _ => null,
            };
            if (text is not null)
            {
                traits[name] = text;
            }
            else
            {
                reader.Skip();
            }
        }

        while (reader.Read())
        {
            // Reads to the end, so malformed JSON fails here as it did when parsed whole.
        }
    }

    /// <summary>
    /// The string token's text, the shared copy when there is one; when <paramref name="add"/> is false, null for a
    /// text not among the shared ones (a trait not wanted).
    /// </summary>
    private static string? Shared(ref Utf8JsonReader reader, Dictionary<string, string> shared, scoped Span<char> chars, bool add)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= chars.Length
            && Encoding.UTF8.TryGetChars(reader.ValueSpan, chars, out var written))
        {
            if (shared.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..written], out var known))
            {
                return known;
            }

            if (!add)
            {
                return null;
            }
        }

        var text = reader.GetString()!;
        if (shared.TryGetValue(text, out var found))
        {
            return found;
        }

        if (!add)
        {
            return null;
        }

        if (shared.Count < MaxShared && text.Length <= MaxSharedLength)
        {
            shared[text] = text;
        }

        return text;
    }
}
