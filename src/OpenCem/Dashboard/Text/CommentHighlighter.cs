using System.Text.RegularExpressions;
using OpenCem.Text;

namespace OpenCem.Dashboard.Text;

/// <summary>A piece of a comment: plain text, or the words that made a theme match (with the theme's key).</summary>
public sealed record CommentSegment(string Text, string? Theme);

/// <summary>
/// Splits a comment into plain and highlighted pieces: the words and phrases of the taxonomy's keywords for the themes
/// the analysis found in it (exact, plural or inflected ending, prefix keywords "invoice*", and a keyword closing a
/// German compound, "Zugausfall"). The pieces are text, never markup: the page encodes each. Pure.
/// </summary>
public static partial class CommentHighlighter
{
    public static IReadOnlyList<CommentSegment> Segments(string text, IReadOnlyCollection<string> themes, IReadOnlyList<ThemeDefinition> taxonomy, string? language)
    {
        if (text.Length == 0 || themes.Count == 0)
        {
            return text.Length == 0 ? [] : [new CommentSegment(text, null)];
        }

        var words = Word().Matches(text).Select(m => (m.Index, m.Length, Folded: Fold(m.Value))).ToList();
        var keywords = taxonomy.Where(t => themes.Contains(t.Key))
            .SelectMany(t => KeywordsOf(t, language).Select(k => (Theme: t.Key, Parts: k.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries).Select(Fold).Where(p => p.Length > 0 && p != "*").ToArray())))
            .Where(k => k.Parts.Length > 0)
            .OrderByDescending(k => k.Parts.Length)
            .ToList();
        var marks = new List<(int Start, int End, string Theme)>();
        for (var i = 0; i < words.Count; i++)
        {
            foreach (var (theme, parts) in keywords)
            {
                if (i + parts.Length > words.Count || !Enumerable.Range(0, parts.Length).All(k => Matches(words[i + k].Folded, parts[k], parts.Length == 1)))
                {
                    continue;
                }

                var last = words[i + parts.Length - 1];
                marks.Add((words[i].Index, last.Index + last.Length, theme));
                i += parts.Length - 1;
                break;
            }
        }

        var segments = new List<CommentSegment>();
        var at = 0;
        foreach (var (start, end, theme) in marks)
        {
            if (start > at)
            {
                segments.Add(new CommentSegment(text[at..start], null));
            }

            segments.Add(new CommentSegment(text[start..end], theme));
            at = end;
        }

        if (at < text.Length)
        {
            segments.Add(new CommentSegment(text[at..], null));
        }

        return segments;
    }

    private static IEnumerable<string> KeywordsOf(ThemeDefinition theme, string? language) =>
        language is not null && theme.Keywords.TryGetValue(language, out var own) ? own : theme.Keywords.Values.SelectMany(k => k);

    private static bool Matches(string word, string keyword, bool single)
    {
        if (keyword.EndsWith('*'))
        {
            var prefix = keyword.TrimEnd('*');
            return prefix.Length > 0 && (word.StartsWith(prefix, StringComparison.Ordinal) || (single && prefix.Length >= 4 && word.Length >= prefix.Length + 3 && word.Contains(prefix, StringComparison.Ordinal)));
        }

        if (word == keyword)
        {
            return true;
        }

        // Plural and inflected endings (delays, Rechnungen), and a keyword closing a compound (Zug|ausfall).
        return (word.StartsWith(keyword, StringComparison.Ordinal) && word.Length - keyword.Length <= 2 && keyword.Length >= 3)
            || (single && keyword.Length >= 4 && word.Length >= keyword.Length + 3 && word.EndsWith(keyword, StringComparison.Ordinal));
    }

    /// <summary>Lower case with umlauts and ß written out, as the analyser compares words.</summary>
    private static string Fold(string word) => OpenCem.Text.Analysis.Folding.Fold(word);

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{M}\p{N}'’]*", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Word();
}
