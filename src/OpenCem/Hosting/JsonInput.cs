using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OpenCem.Hosting;

/// <summary>A text in a JSON body that cannot be stored as sent, by its field.</summary>
public sealed record UnstorableText(string Field, string Reason);

/// <summary>
/// What every JSON body from outside must satisfy before its values are read: no property name twice in one object
/// (which value would count? the trait merge used to fail on it), and no text the database cannot hold exactly — the
/// NUL character (PostgreSQL's text refuses it), half of a UTF-16 surrogate pair or bytes that are not UTF-8 (reading
/// either throws). The first two come only from escapes (<c>\u0000</c>, <c>\ud800</c>), so a valid UTF-8 body
/// without such an escape is not walked at all.
/// </summary>
public static class JsonInput
{
    public static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false };

    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8) => JsonDocument.Parse(utf8, DocumentOptions);

    public static JsonDocument Parse(string json) => JsonDocument.Parse(json, DocumentOptions);

    /// <summary>The first unstorable text of <paramref name="root"/>, when <paramref name="utf8"/> (its source) has an escape that could carry one.</summary>
    public static UnstorableText? Find(JsonElement root, ReadOnlySpan<byte> utf8) =>
        MayHoldUnstorable(utf8) || !System.Text.Unicode.Utf8.IsValid(utf8) ? Find(root) : null;

    /// <summary>The first unstorable text of <paramref name="element"/>, names included; fields are named like <c>traits.name</c>, <c>batch[2].event</c>.</summary>
    public static UnstorableText? Find(JsonElement element, string path = "", bool nulAllowed = false)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Check(element.GetString, path, "A text", nulAllowed);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string? name = null;
                    if (Check(() => name = property.Name, path.Length == 0 ? "$" : path, "A property name", nulAllowed) is { } badName)
                    {
                        return badName;
                    }

                    if (Find(property.Value, path.Length == 0 ? name! : path + "." + name, nulAllowed) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, $"{path}[{index++}]", nulAllowed) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>400 naming the field of the first unstorable text, or null when there is none.</summary>
    public static IResult? Problem(JsonElement root, ReadOnlySpan<byte> utf8) =>
        Find(root, utf8) is { } bad ? Problems.Field(StatusCodes.Status400BadRequest, bad.Field.Length == 0 ? "$" : bad.Field, bad.Reason) : null;

    private static UnstorableText? Check(Func<string?> read, string path, string what, bool nulAllowed)
    {
        string? text;
        try
        {
            text = read();
        }
        catch (InvalidOperationException)
        {
            return new UnstorableText(path, what + " is not valid Unicode (bytes that are not UTF-8, or an escape such as \\ud800 without its partner).");
        }

        return !nulAllowed && text is not null && text.Contains('\0', StringComparison.Ordinal)
            ? new UnstorableText(path, what + " holds the NUL character (\\u0000), which cannot be stored; leave it out.")
            : null;
    }

    /// <summary>True when the raw JSON has a <c>\u0000</c> or <c>\uD800</c>–<c>\uDFFF</c> escape (in any letter case).</summary>
    public static bool MayHoldUnstorable(ReadOnlySpan<byte> utf8)
    {
        var from = 0;
        while (from < utf8.Length)
        {
            var at = utf8[from..].IndexOf("\\u"u8);
            if (at < 0)
            {
                return false;
            }

            var hex = from + at + 2;
            if (hex + 4 <= utf8.Length)
            {
                var digits = utf8.Slice(hex, 4);
                if (digits.SequenceEqual("0000"u8)
                    || ((digits[0] | 0x20) == 'd' && (digits[1] is (byte)'8' or (byte)'9' || (digits[1] | 0x20) is >= 'a' and <= 'f')))
                {
                    return true;
                }
            }

            from = hex;
        }

        return false;
    }
}
