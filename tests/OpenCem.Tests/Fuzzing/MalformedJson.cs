using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace OpenCem.Tests.Fuzzing;

/// <summary>A request body and what was done to it (shown when a case fails).</summary>
public sealed record Payload(byte[] Body, string What)
{
    public override string ToString() =>
        What + ": " + (Body.Length > 400 ? Encoding.UTF8.GetString(Body, 0, 400) + $"… ({Body.Length} bytes)" : Encoding.UTF8.GetString(Body));
}

/// <summary>
/// Broken and hostile variants of a valid JSON body: truncated, deeply nested, random bytes, invalid UTF-8, lone
/// surrogates, raw control characters, NaN, duplicate keys, and any one value swapped for a wrong type, a huge or
/// odd number, null, a hostile text or a 1 MB string. Most of them must be refused; none may cause a 500.
/// </summary>
public static class MalformedJson
{
    private const string Marker = "\"FUZZ_MARKER_7f3a\"";

    /// <summary>Values that replace one value of the template; raw JSON (or not quite JSON) as bytes.</summary>
    public static readonly Gen<(string What, byte[] Json)> OddValue = Gen.Frequency(
        (6, Gen.OneOf(
            "null", "true", "false", "0", "-0", "-1", "1.5", "1e400", "-1e400", "1e-400", "123456789012345678901234567890",
            "9223372036854775808", "-9223372036854775809", "2147483648", "NaN", "Infinity", "\"NaN\"", "\"Infinity\"", "\"-1\"",
            "\"1e999\"", "[]", "{}", "[null]", "{\"a\":null}", "\"\"", "\"   \"", "\"2026-02-30T25:61:00Z\"", "\"0001-01-01\"",
            "\"9999-12-31T23:59:59Z\"", "\"\\ud800\"", "\"a\\udc00b\"", "\"\\u0000\"", "01", "+1", ".5", "0x10", "'single'", "\"\\x41\"")
            .Select(raw => ("value " + raw, Encoding.UTF8.GetBytes(raw)))),
        (4, HostileText.Any.Select(text => ("hostile text", Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(text))))),
        (1, Gen.Int[1, 3].Select(mb => ("1 MB string", Encoding.UTF8.GetBytes("\"" + new string('x', mb * 1024 * 1024 / 3) + "\"")))),
        (1, Gen.OneOf(new byte[] { 0xC3, 0x28 }, [0xFF, 0xFE], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x80])
            .Select(bad => ("invalid UTF-8", (byte[])[(byte)'"', (byte)'a', .. bad, (byte)'b', (byte)'"']))),
        (1, Gen.Int[0, 31].Select(c => ($"raw control character {c}", new byte[] { (byte)'"', (byte)'a', (byte)c, (byte)'"' }))));

    /// <summary>Bodies derived from <paramref name="template"/> (a JSON object or array).</summary>
    public static Gen<Payload> From(string template)
    {
        var node = JsonNode.Parse(template)!;
        var paths = Leaves(node).ToArray();
        var text = Encoding.UTF8.GetBytes(template);
        return Gen.Frequency(
            (8, Gen.Select(Gen.Int[0, paths.Length - 1], OddValue, (i, value) => Replace(node, paths[i], value.Json, $"{paths[i]} = {value.What}"))),
            (2, Gen.Int[0, paths.Length - 1].Select(i => Remove(node, paths[i]))),
            (2, Gen.Int[0, Math.Max(0, text.Length - 1)].Select(n => new Payload(text[..n], $"truncated at {n}"))),
            (1, Gen.Select(Gen.Int[0, paths.Length - 1], OddValue, (i, value) => Duplicate(node, paths[i], value.Json))),
            (1, Gen.Int[1, 5000].Select(Deep)),
            (1, Gen.Byte.Array[0, 300].Select(bytes => new Payload(bytes, "random bytes"))),
            (1, Gen.OneOf("", "null", "[]", "0", "\"text\"", "{}", "[{}]", "{\"a\":1,}", "{,}", "{\"a\"}", "\uFEFF{}", "{}{}", "{\"__proto__\":{}}")
                .Select(raw => new Payload(Encoding.UTF8.GetBytes(raw), "odd document"))));
    }

    /// <summary>Every place a value sits, as a path of property names and indexes ("answers.nps", "batch[0].userId").</summary>
    public static IEnumerable<string> Leaves(JsonNode node, string prefix = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    var path = prefix.Length == 0 ? name : prefix + "." + name;
                    yield return path;
                    if (child is not null and not JsonValue)
                    {
                        foreach (var inner in Leaves(child, path))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var path = $"{prefix}[{i}]";
                    yield return path;
                    if (array[i] is { } child and not JsonValue)
                    {
                        foreach (var inner in Leaves(child, path))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
        }
    }

    /// <summary>The template with the value at <paramref name="path"/> set to <paramref name="value"/>.</summary>
    public static JsonNode With(JsonNode template, string path, JsonNode? value)
    {
        var copy = template.DeepClone();
        var (parent, key) = Locate(copy, path);
        if (parent is JsonObject obj)
        {
            obj[(string)key] = value;
        }
        else
        {
            ((JsonArray)parent)[(int)key] = value;
        }

        return copy;
    }

    private static Payload Replace(JsonNode template, string path, byte[] value, string what) =>
        new(Splice(With(template, path, JsonValue.Create("FUZZ_MARKER_7f3a")), value), what);

    private static Payload Remove(JsonNode template, string path)
    {
        var copy = template.DeepClone();
        var (parent, key) = Locate(copy, path);
        if (parent is JsonObject obj)
        {
            obj.Remove((string)key);
        }
        else
        {
            ((JsonArray)parent).RemoveAt((int)key);
        }

        return new Payload(Encoding.UTF8.GetBytes(copy.ToJsonString()), $"without {path}");
    }

    private static Payload Duplicate(JsonNode template, string path, byte[] value)
    {
        var (parent, key) = Locate(template, path);
        if (parent is not JsonObject)
        {
            return Replace(template, path, value, $"{path} replaced (no key to duplicate)");
        }

        // The same key twice in one object: the marker goes into an added copy of the key, so the original stays.
        var json = template.DeepClone().ToJsonString();
        var name = System.Text.Json.JsonSerializer.Serialize((string)key);
        var at = json.IndexOf(name + ":", StringComparison.Ordinal);
        var spliced = at < 0 ? json : json[..at] + name + ":" + Marker + "," + json[at..];
        return new Payload(Splice(spliced, value), $"duplicate key {path}");
    }

    private static Payload Deep(int depth)
    {
        var open = depth % 2 == 0 ? "[" : "{\"a\":";
        var close = depth % 2 == 0 ? "]" : "}";
        var builder = new StringBuilder(depth * 6);
        builder.Insert(0, open, depth).Append('1').Insert(builder.Length, close, depth);
        return new Payload(Encoding.UTF8.GetBytes(builder.ToString()), $"nested {depth} deep");
    }

    private static byte[] Splice(JsonNode node, byte[] value) => Splice(node.ToJsonString(), value);

    private static byte[] Splice(string json, byte[] value)
    {
        var at = json.IndexOf(Marker, StringComparison.Ordinal);
        var head = Encoding.UTF8.GetBytes(json[..at]);
        var tail = Encoding.UTF8.GetBytes(json[(at + Marker.Length)..]);
        return [.. head, .. value, .. tail];
    }

    private static (JsonNode Parent, object Key) Locate(JsonNode root, string path)
    {
        var parts = System.Text.RegularExpressions.Regex.Matches(path, @"[^.\[\]]+|\[(\d+)\]");
        JsonNode current = root;
        for (var i = 0; i < parts.Count; i++)
        {
            object key = parts[i].Groups[1].Success ? int.Parse(parts[i].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : parts[i].Value;
            if (i == parts.Count - 1)
            {
                return (current, key);
            }

            current = key is int index ? current[index]! : current[(string)key]!;
        }

        throw new ArgumentException($"empty path in {path}", nameof(path));
    }
}
