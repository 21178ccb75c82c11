using OpenCem.Text.Analysis;

namespace OpenCem.Text.Themes;

/// <summary>The taxonomy a workspace starts with: the shipped default for service businesses.</summary>
public static class TaxonomySeed
{
    public static IReadOnlyList<ThemeDefinition> Themes => DefaultTaxonomy.Load().Themes;
}
