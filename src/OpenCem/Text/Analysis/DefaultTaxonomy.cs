using System.Text.Json;

namespace OpenCem.Text.Analysis;

/// <summary>
/// The themes OpenCem ships for service businesses (billing, price, network, staff, waiting time, reachability,
/// technician visit, app, contract, delivery, ...), English and German, read from <c>Text/Lexicons/default-taxonomy.json</c>.
/// </summary>
public static class DefaultTaxonomy
{
    private static readonly Lazy<ThemeTaxonomy> Instance = new(() => Parse(LexiconFiles.Open("default-taxonomy.json")));

    /// <summary>The default taxonomy (one shared, immutable instance).</summary>
    public static ThemeTaxonomy Load() => Instance.Value;

    /// <summary>Reads a taxonomy in the file's format: <c>{"themes":[{"key","parent","names":{},"keywords":{"en":[],"de":[]}}]}</c>.</summary>
    public static ThemeTaxonomy Parse(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var themes = new List<ThemeDefinition>();
        foreach (var theme in document.RootElement.GetProperty("themes").EnumerateArray())
        {
            var parent = theme.TryGetProperty("parent", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var names = theme.GetProperty("names").EnumerateObject().ToDictionary(n => n.Name, n => n.Value.GetString() ?? "");
            var keywords = theme.GetProperty("keywords").EnumerateObject()
                .ToDictionary(k => k.Name, k => (IReadOnlyList<string>)[.. k.Value.EnumerateArray().Select(w => w.GetString() ?? "")]);
            themes.Add(new ThemeDefinition(theme.GetProperty("key").GetString()!, parent, names, keywords));
        }

        return new ThemeTaxonomy(themes);
    }
}
