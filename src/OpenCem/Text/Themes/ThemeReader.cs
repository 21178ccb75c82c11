using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenCem.Text.Themes;

/// <summary>
/// Reads a theme from its JSON <c>{"key","parent","names":{"en","de"},"keywords":{"en":[...],"de":[...]}}</c> and
/// checks it on its own (pure); <see cref="TaxonomyRules"/> checks it against the rest of the taxonomy.
/// </summary>
public static partial class ThemeReader
{
    public const int MaxKeywordsPerLanguage = 500;
    public const int MaxKeywordLength = 100;
    public const int MaxNameLength = 200;

    public static readonly IReadOnlyList<string> Languages = ["en", "de"];

    private static readonly HashSet<string> Properties = new(StringComparer.Ordinal) { "key", "parent", "names", "keywords" };

    /// <summary>Keys are short, lower-case and URL-safe, since they appear in paths and in stored analyses.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex KeyPattern();

    public static bool IsKey(string? key) => key is not null && KeyPattern().IsMatch(key);

    /// <param name="pathKey">The key from the URL of a PUT; the body's key may be left out or must agree.</param>
    public static ThemeDefinition? Read(JsonElement json, string? pathKey, IDictionary<string, string[]> errors)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["must be a JSON object: {key, parent, names: {en, de}, keywords: {en: [...], de: [...]}}."];
            return null;
        }

        foreach (var property in json.EnumerateObject().Where(p => !Properties.Contains(p.Name)))
        {
            errors[property.Name] = ["is not a property of a theme (key, parent, names, keywords)."];
        }

        var key = String(json, "key", errors) ?? pathKey;
        if (string.IsNullOrEmpty(key) || !IsKey(key))
        {
            errors["key"] = ["is required: 1 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit."];
        }
        else if (pathKey is not null && key != pathKey)
        {
            errors["key"] = [$"must be \"{pathKey}\" as in the address (rename a theme by creating the new one and deleting the old)."];
        }

        var parent = String(json, "parent", errors);
        if (parent is not null && !IsKey(parent))
        {
            errors["parent"] = ["must be the key of another theme, or null."];
        }

        var names = Names(json, errors);
        var keywords = Keywords(json, errors);
        return errors.Count > 0 ? null : new ThemeDefinition(key!, string.IsNullOrEmpty(parent) ? null : parent, names, keywords);
    }

    private static Dictionary<string, string> Names(JsonElement json, IDictionary<string, string[]> errors)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!json.TryGetProperty("names", out var value) || value.ValueKind != JsonValueKind.Object)
        {
            errors["names"] = ["is required: an object of names by language, e.g. {\"en\": \"Waiting time\", \"de\": \"Wartezeit\"}."];
            return names;
        }

        foreach (var property in value.EnumerateObject())
        {
            if (!Languages.Contains(property.Name))
            {
                errors[$"names.{property.Name}"] = ["is not a language of the taxonomy (en, de)."];
            }
            else if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString()!.Trim() is not { Length: > 0 and <= MaxNameLength } name)
            {
                errors[$"names.{property.Name}"] = [$"must be a text of 1 to {MaxNameLength} characters."];
            }
            else
            {
                names[property.Name] = name;
            }
        }

        if (names.Count == 0 && !errors.Keys.Any(k => k.StartsWith("names", StringComparison.Ordinal)))
        {
            errors["names"] = ["needs a name in at least one language (en, de)."];
        }

        return names;
    }

    private static Dictionary<string, IReadOnlyList<string>> Keywords(JsonElement json, IDictionary<string, string[]> errors)
    {
        var keywords = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!json.TryGetProperty("keywords", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return keywords;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors["keywords"] = ["must be an object of keyword lists by language, e.g. {\"en\": [\"wait*\", \"on hold\"]}."];
            return keywords;
        }

        foreach (var property in value.EnumerateObject())
        {
            var field = $"keywords.{property.Name}";
            if (!Languages.Contains(property.Name))
            {
                errors[field] = ["is not a language of the taxonomy (en, de)."];
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() > MaxKeywordsPerLanguage)
            {
                errors[field] = [$"must be an array of up to {MaxKeywordsPerLanguage} keywords or phrases."];
                continue;
            }

            var list = new List<string>();
            var index = 0;
            foreach (var item in property.Value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || item.GetString()!.Trim() is not { Length: > 0 and <= MaxKeywordLength } keyword
                    || keyword.Trim('*').Length == 0)
                {
                    errors[$"{field}[{index}]"] = [$"must be a word or phrase of 1 to {MaxKeywordLength} characters (a trailing * matches a prefix)."];
                }
                else if (!list.Contains(keyword, StringComparer.OrdinalIgnoreCase))
                {
                    list.Add(keyword);
                }

                index++;
            }

            keywords[property.Name] = list;
        }

        return keywords;
    }

    private static string? String(JsonElement json, string name, IDictionary<string, string[]> errors)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[name] = ["must be a text."];
            return null;
        }

        return value.GetString();
    }
}
