using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OpenCem.Text;
using OpenCem.Text.Themes;

namespace OpenCem.Dashboard.Settings.Themes;

/// <summary>
/// A theme as the settings form holds it (keywords one per line), pure. <see cref="Read"/> turns it into the API's JSON
/// and checks it with <see cref="ThemeReader"/>, so the page reports the API's problems under the API's field names.
/// </summary>
public sealed record ThemeForm(string Key, string? Parent, string NameEn, string NameDe, string KeywordsEn, string KeywordsDe)
{
    public static readonly ThemeForm Empty = new("", null, "", "", "", "");

    public static ThemeForm Of(ThemeDefinition theme) => new(
        theme.Key, theme.Parent, theme.Names.GetValueOrDefault("en") ?? "", theme.Names.GetValueOrDefault("de") ?? "",
        string.Join('\n', theme.Keywords.GetValueOrDefault("en") ?? []), string.Join('\n', theme.Keywords.GetValueOrDefault("de") ?? []));

    /// <summary>A new theme from a suggested phrase: the phrase as key, name and keyword in its language.</summary>
    public static ThemeForm Suggested(string phrase, string language) =>
        language == "de"
            ? new(Slug(phrase), null, "", phrase, "", phrase)
            : new(Slug(phrase), null, phrase, "", phrase, "");

    public static ThemeForm Posted(IFormCollection form) => new(
        SettingsForms.Text(form, "key") ?? "", SettingsForms.Text(form, "parent"), SettingsForms.Text(form, "name-en") ?? "",
        SettingsForms.Text(form, "name-de") ?? "", form["keywords-en"].ToString(), form["keywords-de"].ToString());

    /// <summary>The theme, or null with the problems by field (key, parent, names.en, keywords.de[2], ...).</summary>
    public ThemeDefinition? Read(string? editedKey, Dictionary<string, string[]> errors)
    {
        var names = new JsonObject();
        if (NameEn.Length > 0)
        {
            names["en"] = NameEn;
        }

        if (NameDe.Length > 0)
        {
            names["de"] = NameDe;
        }

        var json = new JsonObject
        {
            ["key"] = editedKey ?? Key,
            ["parent"] = Parent,
            ["names"] = names,
            ["keywords"] = new JsonObject { ["en"] = Keywords(KeywordsEn), ["de"] = Keywords(KeywordsDe) },
        };
        using var document = JsonDocument.Parse(json.ToJsonString());
        return ThemeReader.Read(document.RootElement, editedKey, errors);
    }

    /// <summary>Keywords one per line (commas also separate them).</summary>
    public static JsonArray Keywords(string text) =>
        new(text.Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => (JsonNode?)JsonValue.Create(k)).ToArray());

    /// <summary>A theme key from a phrase: lower case a-z, 0-9 and '-', at most 64 characters.</summary>
    public static string Slug(string phrase)
    {
        var builder = new StringBuilder();
        // Spelled out rather than Unicode-normalised: the process runs with invariant globalization.
        foreach (var c in phrase.Trim().ToLowerInvariant())
        {
            var letters = c switch
            {
                >= 'a' and <= 'z' or >= '0' and <= '9' => c.ToString(),
                'ä' => "ae",
                'ö' => "oe",
                'ü' => "ue",
                'ß' => "ss",
                'é' or 'è' or 'ê' => "e",
                'á' or 'à' or 'â' => "a",
                _ => null,
            };
            if (letters is not null)
            {
                builder.Append(letters);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length > 64 ? slug[..64].TrimEnd('-') : slug;
    }
}
