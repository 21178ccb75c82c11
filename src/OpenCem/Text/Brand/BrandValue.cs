using System.Text.Json;
using System.Text.RegularExpressions;
using OpenCem.Text.Experience;

namespace OpenCem.Text.Brand;

/// <summary>
/// A value the company means its brand to stand for ("simple"), with the words customers would use for it and for its
/// opposite ("complicated", "confusing"), in either language.
/// </summary>
public sealed record BrandValue(
    string Key, IReadOnlyDictionary<string, string> Names, string Description, IReadOnlyList<string> Words, IReadOnlyList<string> Opposites);

/// <summary>A brand value as the API shows it, with the words no descriptive-word list knows (they cannot be counted).</summary>
public sealed record BrandValueView(
    string Key, IReadOnlyDictionary<string, string> Names, string Description, IReadOnlyList<string> Words, IReadOnlyList<string> Opposites,
    IReadOnlyList<string> Untracked)
{
    public static BrandValueView Of(BrandValue value) => new(
        value.Key, value.Names, value.Description, value.Words, value.Opposites,
        [.. value.Words.Concat(value.Opposites).Where(w => ExperienceTagger.TermOf(w) is null)]);
}

/// <summary>Reads and checks <c>{"values": [{key, names: {en, de}, description, words: [...], opposites: [...]}]}</c> (pure); errors name the field.</summary>
public static partial class BrandValueReader
{
    public const int MaxValues = 20;
    public const int MaxWords = 30;
    public const int MaxWordLength = 60;
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;

    private static readonly HashSet<string> Properties = new(StringComparer.Ordinal) { "key", "names", "description", "words", "opposites" };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex KeyPattern();

    public static IReadOnlyList<BrandValue>? Read(JsonElement body, IDictionary<string, string[]> errors)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Array)
        {
            errors["values"] = ["is required: {\"values\": [{key, names: {en, de}, description, words: [...], opposites: [...]}]}."];
            return null;
        }

        if (values.GetArrayLength() > MaxValues)
        {
            errors["values"] = [$"at most {MaxValues} brand values."];
            return null;
        }

        var result = new List<BrandValue>();
        var index = 0;
        foreach (var value in values.EnumerateArray())
        {
            if (One(value, $"values[{index}]", errors) is { } read)
            {
                if (result.Any(r => r.Key == read.Key))
                {
                    errors[$"values[{index}].key"] = [$"\"{read.Key}\" is given twice."];
                }

                result.Add(read);
            }

            index++;
        }

        return errors.Count > 0 ? null : result;
    }

    private static BrandValue? One(JsonElement value, string path, IDictionary<string, string[]> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors[path] = ["must be an object: {key, names: {en, de}, description, words, opposites}."];
            return null;
        }

        var before = errors.Count;
        foreach (var property in value.EnumerateObject().Where(p => !Properties.Contains(p.Name)))
        {
            errors[$"{path}.{property.Name}"] = ["is not a property of a brand value (key, names, description, words, opposites)."];
        }

        var key = value.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        if (key is null || !KeyPattern().IsMatch(key))
        {
            errors[$"{path}.key"] = ["is required: 1 to 40 characters of a-z, 0-9 and '-', starting with a letter or digit."];
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!value.TryGetProperty("names", out var n) || n.ValueKind != JsonValueKind.Object)
        {
            errors[$"{path}.names"] = ["is required: {\"en\": \"...\", \"de\": \"...\"}."];
        }
        else
        {
            foreach (var language in (string[])["en", "de"])
            {
                var name = n.TryGetProperty(language, out var x) && x.ValueKind == JsonValueKind.String ? x.GetString()?.Trim() : null;
                if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
                {
                    errors[$"{path}.names.{language}"] = [$"is required: 1 to {MaxNameLength} characters."];
                }
                else
                {
                    names[language] = name;
                }
            }
        }

        var description = "";
        if (value.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            description = d.ValueKind == JsonValueKind.String ? d.GetString()!.Trim() : "";
            if (d.ValueKind != JsonValueKind.String || description.Length > MaxDescriptionLength)
            {
                errors[$"{path}.description"] = [$"must be text of at most {MaxDescriptionLength} characters."];
            }
        }

        var words = Words(value, "words", path, errors, required: true);
        var opposites = Words(value, "opposites", path, errors, required: false);
        if (words is not null && opposites is not null && words.Intersect(opposites, StringComparer.OrdinalIgnoreCase).FirstOrDefault() is { } both)
        {
            errors[$"{path}.opposites"] = [$"\"{both}\" cannot be a word for the value and for its opposite."];
        }

        return errors.Count > before ? null : new BrandValue(key!, names, description, words!, opposites!);
    }

    private static List<string>? Words(JsonElement value, string property, string path, IDictionary<string, string[]> errors, bool required)
    {
        if (!value.TryGetProperty(property, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[$"{path}.{property}"] = ["is required: the words customers would use, e.g. [\"simple\", \"einfach\"]."];
                return null;
            }

            return [];
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() > MaxWords || (required && array.GetArrayLength() == 0))
        {
            errors[$"{path}.{property}"] = [$"must be a list of {(required ? 1 : 0)} to {MaxWords} words."];
            return null;
        }

        var words = new List<string>();
        foreach (var word in array.EnumerateArray())
        {
            var text = word.ValueKind == JsonValueKind.String ? word.GetString()!.Trim() : null;
            if (string.IsNullOrEmpty(text) || text.Length > MaxWordLength || text.Any(char.IsControl))
            {
                errors[$"{path}.{property}"] = [$"each word must be text of 1 to {MaxWordLength} characters."];
                return null;
            }

            if (!words.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                words.Add(text);
            }
        }

        return words;
    }
}
