using System.Globalization;
using System.Text;

namespace OpenCem.Text.Insights;

/// <summary>A frequent phrase of comments that no theme matched: a candidate for a new theme.</summary>
public sealed record SuggestedPhrase(string Phrase, string Language, long Count, IReadOnlyList<long> Examples);

/// <summary>
/// Finds frequent phrases (one to three words, stopwords removed at their edges) in English and German comments that
/// no theme matched (pure). Counts are per comment, so a word repeated in one comment counts once. A phrase contained in
/// a longer one that is nearly as frequent is dropped in its favour, so "technician" does not crowd out "technician never came".
/// </summary>
public static class PhraseMiner
{
    public const int MinCount = 3;

    public static IReadOnlyList<SuggestedPhrase> Mine(IEnumerable<(long Id, string Text, string Language)> comments, int top = 20, int examples = 3)
    {
        var counts = new Dictionary<(string Phrase, string Language), (long Count, List<long> Examples, int Words)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, text, language) in comments)
        {
            var lang = language is "de" ? "de" : "en";
            var words = Words(text);
            seen.Clear();
            for (var i = 0; i < words.Count; i++)
            {
                for (var n = 1; n <= 3 && i + n <= words.Count; n++)
                {
                    if (Stopwords.Contains(words[i]) || Stopwords.Contains(words[i + n - 1]) || (n == 1 && words[i].Length < 4))
                    {
                        continue;
                    }

                    var phrase = string.Join(' ', words.Skip(i).Take(n));
                    if (!seen.Add(phrase))
                    {
                        continue;
                    }

                    var key = (phrase, lang);
                    var entry = counts.TryGetValue(key, out var found) ? found : (0, new List<long>(examples), n);
                    if (entry.Item2.Count < examples)
                    {
                        entry.Item2.Add(id);
                    }

                    counts[key] = (entry.Item1 + 1, entry.Item2, n);
                }
            }
        }

        var frequent = counts.Where(c => c.Value.Count >= MinCount).ToList();
        // For each phrase, the count of the most frequent longer phrase that contains it (its word runs), in one pass.
        var covered = new Dictionary<(string, string), long>();
        foreach (var (key, value) in frequent.Where(f => f.Value.Words > 1))
        {
            var words = key.Phrase.Split(' ');
            for (var start = 0; start < words.Length; start++)
            {
                for (var length = 1; start + length <= words.Length && length < words.Length; length++)
                {
                    var inner = (string.Join(' ', words, start, length), key.Language);
                    covered[inner] = Math.Max(covered.GetValueOrDefault(inner), value.Count);
                }
            }
        }

        var kept = frequent
            .Where(c => covered.GetValueOrDefault(c.Key) < 0.8 * c.Value.Count)
            .OrderByDescending(c => c.Value.Count).ThenByDescending(c => c.Value.Words).ThenBy(c => c.Key.Phrase, StringComparer.Ordinal)
            .Take(top)
            .Select(c => new SuggestedPhrase(c.Key.Phrase, c.Key.Language, c.Value.Count, c.Value.Examples))
            .ToList();
        return kept;
    }

    /// <summary>Lower-case words of letters (umlauts and ß included); digits, punctuation, markup and emoji separate them.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inTag = false;
        foreach (var c in text.Length > 5_000 ? text[..5_000] : text)
        {
            if (c == '<')
            {
                inTag = true;
            }
            else if (c == '>' && inTag)
            {
                inTag = false;
                Flush();
                continue;
            }

            if (!inTag && (char.IsLetter(c) || (c == '\'' && word.Length > 0)))
            {
                word.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }
            else
            {
                Flush();
            }
        }

        Flush();
        return words;

        void Flush()
        {
            if (word.Length > 1 && word.Length <= 40)
            {
                words.Add(word.ToString().Trim('\''));
            }

            word.Clear();
        }
    }
}
