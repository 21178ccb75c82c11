namespace OpenCem.Text.Themes;

/// <summary>Why a change to the taxonomy is refused: the HTTP status, the field at fault and a message.</summary>
public sealed record TaxonomyProblem(int Status, string Field, string Message);

/// <summary>The rules a taxonomy keeps as a whole (pure): unique keys, known parents, no cycles, no orphaned children.</summary>
public static class TaxonomyRules
{
    /// <summary>Checks adding <paramref name="theme"/> (<paramref name="create"/>) or replacing the theme of its key.</summary>
    public static TaxonomyProblem? CheckSave(IReadOnlyList<ThemeDefinition> themes, ThemeDefinition theme, bool create)
    {
        var byKey = themes.ToDictionary(t => t.Key, StringComparer.Ordinal);
        if (create && byKey.ContainsKey(theme.Key))
        {
            return new TaxonomyProblem(409, "key", $"A theme with the key \"{theme.Key}\" exists already; change it with PUT /api/v1/text/taxonomy/{theme.Key}.");
        }

        if (theme.Parent is null)
        {
            return null;
        }

        if (theme.Parent == theme.Key)
        {
            return new TaxonomyProblem(422, "parent", "A theme cannot be its own parent.");
        }

        if (!byKey.ContainsKey(theme.Parent))
        {
            return new TaxonomyProblem(422, "parent", $"There is no theme \"{theme.Parent}\" to be the parent.");
        }

        byKey[theme.Key] = theme;
        var seen = new HashSet<string>(StringComparer.Ordinal) { theme.Key };
        for (var at = theme.Parent; at is not null; at = byKey.TryGetValue(at, out var up) ? up.Parent : null)
        {
            if (!seen.Add(at))
            {
                return new TaxonomyProblem(422, "parent", $"\"{theme.Parent}\" lies below \"{theme.Key}\"; making it the parent would close a cycle.");
            }
        }

        return null;
    }

    /// <summary>A theme with children is not deleted: they would point at nothing.</summary>
    public static TaxonomyProblem? CheckDelete(IReadOnlyList<ThemeDefinition> themes, string key)
    {
        var children = themes.Where(t => t.Parent == key).Select(t => t.Key).ToList();
        return children.Count == 0
            ? null
            : new TaxonomyProblem(409, "key", $"The theme \"{key}\" has the child themes {string.Join(", ", children)}; move or delete them first.");
    }
}
