namespace OpenCem.Text;

/// <summary>
/// One theme of a workspace's taxonomy: a stable key, names in English and German, the keywords and phrases that
/// signal it per language (a trailing <c>*</c> matches a prefix; German compounds are matched inside words), and an
/// optional parent theme.
/// </summary>
public sealed record ThemeDefinition(
    string Key,
    string? Parent,
    IReadOnlyDictionary<string, string> Names,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Keywords);

/// <summary>The themes a workspace analyses comments with.</summary>
public sealed class ThemeTaxonomy(IReadOnlyList<ThemeDefinition> themes)
{
    public IReadOnlyList<ThemeDefinition> Themes { get; } = themes;
}
