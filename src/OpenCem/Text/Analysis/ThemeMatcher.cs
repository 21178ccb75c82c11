using System.Collections.Frozen;

namespace OpenCem.Text.Analysis;

/// <summary>
/// A taxonomy compiled for matching in one language: keywords and phrases by their first folded word, prefix
/// keywords ("invoice*") by their prefix, plurals and German inflections stripped, and German compounds matched by
/// their parts (Zugausfall → "ausfall", Reparaturtermin → "termin*"). Each mention takes the sentiment of its clause.
/// </summary>
internal sealed class ThemeMatcher
{
    private sealed record Keyword(int Theme, string[] Rest);

    private readonly string[] _keys;
    private readonly bool _german;
    private readonly FrozenDictionary<string, Keyword[]>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly FrozenDictionary<string, Keyword[]>.AlternateLookup<ReadOnlySpan<char>> _prefixes;
    private readonly int[] _prefixLengths;
    private readonly int[] _exactLengths;

    public ThemeMatcher(ThemeTaxonomy taxonomy, string language)
    {
        _german = language == "de";
        _keys = [.. taxonomy.Themes.Select(t => t.Key)];
        var exact = new Dictionary<string, List<Keyword>>(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, List<Keyword>>(StringComparer.Ordinal);
        for (var t = 0; t < taxonomy.Themes.Count; t++)
        {
            if (!taxonomy.Themes[t].Keywords.TryGetValue(language, out var keywords))
            {
                continue;
            }

            foreach (var keyword in keywords)
            {
                var words = keyword.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries).Select(Folding.Fold).Where(w => w.Length > 0 && w != "*").ToArray();
                if (words.Length == 0)
                {
                    continue;
                }

                var first = words[0];
                var target = first.EndsWith('*') ? prefixes : exact;
                var key = first.TrimEnd('*');
                if (key.Length == 0)
                {
                    continue;
                }

                if (!target.TryGetValue(key, out var list))
                {
                    target[key] = list = [];
                }

                list.Add(new Keyword(t, words[1..]));
            }
        }

        _exact = exact.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixes = prefixes.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixLengths = [.. prefixes.Keys.Select(k => k.Length).Distinct().OrderDescending()];
        _exactLengths = [.. exact.Where(p => p.Key.Length >= 4 && p.Value.Any(k => k.Rest.Length == 0)).Select(p => p.Key.Length).Distinct().OrderDescending()];
    }

    private static readonly ThemeMention[] None = [];

    /// <summary>The themes the scanned text mentions, each with the mean sentiment of the clauses it occurs in.</summary>
    public IReadOnlyList<ThemeMention> Match(Scratch scratch)
    {
        List<(int Theme, double Sum, int Count)>? found = null;
        for (var i = 0; i < scratch.TokenCount; i++)
        {
            if (scratch.Tokens[i].Kind != TokenKind.Word)
            {
                continue;
            }

            var word = scratch.Text(i);
            var keywords = Find(scratch, i, word, out var single);
            var compound = _german && !single && word.Length >= 7 ? FindInCompound(scratch, i, word) : null;
            if (keywords is null && compound is null)
            {
                continue;
            }

            var sentiment = double.NaN;
            foreach (var keyword in (keywords ?? []).Concat(compound ?? []))
            {
                if (!Matches(scratch, i, keyword, single))
                {
                    continue;
                }

                found ??= [];
                sentiment = double.IsNaN(sentiment) ? ClauseSentiment(scratch, i) : sentiment;
                var theme = keyword.Theme;
                var index = found.FindIndex(f => f.Theme == theme);
                if (index < 0)
                {
                    found.Add((theme, sentiment, 1));
                }
                else if (found[index].Count < int.MaxValue)
                {
                    found[index] = (theme, found[index].Sum + sentiment, found[index].Count + 1);
                }
            }
        }

        if (found is null)
        {
            return None;
        }

        var mentions = new ThemeMention[found.Count];
        for (var m = 0; m < found.Count; m++)
        {
            mentions[m] = new ThemeMention(_keys[found[m].Theme], Math.Round(found[m].Sum / found[m].Count, 3));
        }

        return mentions;
    }

    /// <summary>The keywords found for token <paramref name="i"/>: exact, inflected, by prefix, or (German) inside a compound.</summary>
    private Keyword[]? Find(Scratch scratch, int i, ReadOnlySpan<char> word, out bool single)
    {
        single = false;
        if (_exact.TryGetValue(word, out var keywords) && Any(scratch, i, keywords, single))
        {
            return keywords;
        }

        var stem = Stem(word);
        if (stem.Length < word.Length && _exact.TryGetValue(stem, out keywords) && Any(scratch, i, keywords, single))
        {
            return keywords;
        }

        foreach (var length in _prefixLengths)
        {
            if (length <= word.Length && _prefixes.TryGetValue(word[..length], out keywords) && Any(scratch, i, keywords, single))
            {
                return keywords;
            }
        }

        if (!_german || word.Length < 7)
        {
            return null;
        }

        single = true;
        return FindInCompound(scratch, i, word);
    }

    private Keyword[]? FindInCompound(Scratch scratch, int i, ReadOnlySpan<char> word)
    {
        const bool single = true;

        // A compound: its last part is a keyword (Zug|ausfall), or a part after the first begins with a prefix
        // keyword (Reparatur|termin|e). Only single-word keywords match inside words.
        Keyword[]? keywords;
        foreach (var length in _exactLengths)
        {
            if (length <= word.Length - 3 && _exact.TryGetValue(word[^length..], out keywords) && Any(scratch, i, keywords, single))
            {
                return keywords;
            }
        }

        for (var start = 3; start <= word.Length - 4; start++)
        {
            var part = word[start..];
            foreach (var length in _prefixLengths)
            {
                if (length >= 4 && length <= part.Length && _prefixes.TryGetValue(part[..length], out keywords) && Any(scratch, i, keywords, single))
                {
                    return keywords;
                }
            }
        }

        return null;
    }

    private static bool Any(Scratch scratch, int i, Keyword[] keywords, bool single)
    {
        foreach (var keyword in keywords)
        {
            if (Matches(scratch, i, keyword, single))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(Scratch scratch, int i, Keyword keyword, bool single)
    {
        if (keyword.Rest.Length == 0)
        {
            return true;
        }

        if (single)
        {
            return false;
        }

        var sentence = scratch.Tokens[i].Sentence;
        for (var w = 0; w < keyword.Rest.Length; w++)
        {
            var k = i + 1 + w;
            if (k >= scratch.TokenCount || scratch.Tokens[k].Sentence != sentence || !SentimentScorer.WordMatches(scratch.Text(k), keyword.Rest[w]))
            {
                return false;
            }
        }

        return true;
    }

    private ReadOnlySpan<char> Stem(ReadOnlySpan<char> word)
    {
        if (word.Length < 4)
        {
            return word;
        }

        if (_german)
        {
            foreach (var ending in (ReadOnlySpan<string>)["en", "er", "es", "e", "n", "s"])
            {
                if (word.Length - ending.Length >= 3 && word.EndsWith(ending, StringComparison.Ordinal))
                {
                    return word[..^ending.Length];
                }
            }

            return word;
        }

        if (word.EndsWith("ies", StringComparison.Ordinal))
        {
            return word[..^3];
        }

        return word.EndsWith("es", StringComparison.Ordinal) && word.Length > 4 ? word[..^1] : word[^1] == 's' ? word[..^1] : word;
    }

    /// <summary>The normalised sum of the token scores of the clause around token <paramref name="i"/>; the sentence's when the clause has none.</summary>
    private static double ClauseSentiment(Scratch scratch, int i)
    {
        var sentence = scratch.Sentences[scratch.Tokens[i].Sentence];
        var start = i;
        while (start > sentence.First && !scratch.Tokens[start - 1].ClauseEnd && scratch.Modifiers[start] != Modifier.Contrast)
        {
            start--;
        }

        var end = i;
        while (end + 1 < sentence.End && !scratch.Tokens[end].ClauseEnd && scratch.Modifiers[end + 1] != Modifier.Contrast)
        {
            end++;
        }

        var sum = 0.0;
        for (var k = start; k <= end; k++)
        {
            sum += scratch.Scores[k];
        }

        if (sum == 0)
        {
            for (var k = sentence.First; k < sentence.End; k++)
            {
                sum += scratch.Scores[k];
            }
        }

        return SentimentRules.Normalise(sum);
    }
}
