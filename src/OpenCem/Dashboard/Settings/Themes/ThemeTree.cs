using OpenCem.Text;

namespace OpenCem.Dashboard.Settings.Themes;

/// <summary>The taxonomy as a tree in reading order (pure): each theme after its parent, with its depth; a theme whose parent is missing is a root.</summary>
public static class ThemeTree
{
    public sealed record Node(ThemeDefinition Theme, int Depth, int Children);

    public static IReadOnlyList<Node> Order(IReadOnlyList<ThemeDefinition> themes)
    {
        var keys = themes.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        var children = themes.Where(t => t.Parent is not null && keys.Contains(t.Parent))
            .GroupBy(t => t.Parent!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var ordered = new List<Node>(themes.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Visit(ThemeDefinition theme, int depth)
        {
            // The store refuses cycles; the guard keeps a corrupted taxonomy from looping here.
            if (!seen.Add(theme.Key))
            {
                return;
            }

            var below = children.GetValueOrDefault(theme.Key) ?? [];
            ordered.Add(new Node(theme, depth, below.Count));
            foreach (var child in below)
            {
                Visit(child, depth + 1);
            }
        }

        foreach (var root in themes.Where(t => t.Parent is null || !keys.Contains(t.Parent)))
        {
            Visit(root, 0);
        }

        foreach (var rest in themes.Where(t => !seen.Contains(t.Key)))
        {
            Visit(rest, 0);
        }

        return ordered;
    }
}
