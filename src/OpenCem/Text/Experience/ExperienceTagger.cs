using System.Collections.Frozen;
using OpenCem.Text.Analysis;

namespace OpenCem.Text.Experience;

/// <summary>
/// Tags a scanned text with the experiential modules it speaks to (cue lexicon <c>experience.tsv</c>, plus the emotion
/// lexicon's strong words for "feel" and "confusion" for "think") and finds the descriptive words it uses
/// (<c>descriptors.tsv</c>), each negated or not. Runs on the analyser's scratch after the sentiment scorer (it reads the
/// negations the scorer resolved); one compiled instance per language, shared by all threads.
/// </summary>
internal sealed class ExperienceTagger
{
    /// <summary>Changes whenever the cue or descriptor lists or these rules change (part of the analyser's version).</summary>
    public const string Version = "xp-1";

    private const int MaxEvidence = 120;
    private const int MaxGap = 8;

    private static readonly Lazy<ExperienceTagger> English = new(() => new ExperienceTagger("en"));
    private static readonly Lazy<ExperienceTagger> German = new(() => new ExperienceTagger("de"));
    private static readonly int[] FeelEmotions = [Emotions.IndexOf("anger"), Emotions.IndexOf("frustration"), Emotions.IndexOf("disappointment"),
        Emotions.IndexOf("worry"), Emotions.IndexOf("joy"), Emotions.IndexOf("gratitude"), Emotions.IndexOf("relief")];
    private static readonly int Confusion = Emotions.IndexOf("confusion");
    private static readonly string[] GermanEndings = ["en", "er", "es", "e", "n", "s"];
    private static readonly string[] EnglishEndings = ["ies", "es", "s", "ed", "d", "ing"];

    private readonly bool _german;
    private readonly FrozenDictionary<string, Cue[]>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly FrozenDictionary<string, Cue[]>.AlternateLookup<ReadOnlySpan<char>> _prefixes;
    private readonly int[] _prefixLengths;
    private readonly int[] _suffixLengths;
    private readonly FrozenDictionary<string, Descriptor[]>.AlternateLookup<ReadOnlySpan<char>> _descriptors;
    private readonly int[] _descriptorSuffixLengths;

    private ExperienceTagger(string language)
    {
        _german = language == "de";
        var exact = new Dictionary<string, List<Cue>>(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, List<Cue>>(StringComparer.Ordinal);
        foreach (var row in LexiconFiles.Rows("experience.tsv"))
        {
            if (row.Length < 3 || row[0] != language)
            {
                continue;
            }

            var module = IndexOf(row[1]);
            var parts = row[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var words = new List<string>();
            var gaps = new List<bool>();
            var gap = false;
            foreach (var part in parts)
            {
                if (part == "...")
                {
                    gap = true;
                    continue;
                }

                words.Add(Folding.Fold(part));
                gaps.Add(gap);
                gap = false;
            }

            var first = words[0];
            var target = first.EndsWith('*') ? prefixes : exact;
            var key = first.TrimEnd('*');
            if (!target.TryGetValue(key, out var list))
            {
                target[key] = list = [];
            }

            list.Add(new Cue(module, [.. words.Skip(1)], [.. gaps.Skip(1)]));
        }

        _exact = exact.ToFrozenDictionary(p => p.Key, p => p.Value.OrderByDescending(c => c.Rest.Length).ToArray(), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixes = prefixes.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixLengths = [.. prefixes.Keys.Select(k => k.Length).Distinct().OrderDescending()];
        _suffixLengths = [.. exact.Where(p => p.Key.Length >= 4 && p.Value.Any(c => c.Rest.Length == 0)).Select(p => p.Key.Length).Distinct().OrderDescending()];

        var descriptors = new Dictionary<string, List<Descriptor>>(StringComparer.Ordinal);
        foreach (var row in LexiconFiles.Rows("descriptors.tsv"))
        {
            if (row.Length < 2 || row[0] != language)
            {
                continue;
            }

            // The term keeps its spelling (it is what the rollup stores and the API shows); its forms are compared folded.
            var term = row[1].Trim().ToLowerInvariant();
            var forms = row.Length > 2 ? row[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            foreach (var form in forms.Prepend(term).Select(Folding.Fold).Distinct())
            {
                // "rip-off", "Preis-Leistung": the scanner splits at hyphens, so a form's parts are words of a phrase.
                var words = form.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries);
                if (!descriptors.TryGetValue(words[0], out var list))
                {
                    descriptors[words[0]] = list = [];
                }

                list.Add(new Descriptor(term, words[1..]));
            }
        }

        _descriptors = descriptors.ToFrozenDictionary(p => p.Key, p => p.Value.OrderByDescending(d => d.Rest.Length).ToArray(), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        _descriptorSuffixLengths = [.. descriptors.Where(p => p.Key.Length >= 6 && p.Value.Any(d => d.Rest.Length == 0)).Select(p => p.Key.Length).Distinct().OrderDescending()];
        Terms = descriptors.Values.SelectMany(l => l).Where(d => d.Rest.Length == 0).Select(d => d.Term).ToFrozenSet(StringComparer.Ordinal);
        Forms = descriptors.SelectMany(p => p.Value.Select(d => (Form: string.Join(' ', [p.Key, .. d.Rest]), d.Term)))
            .DistinctBy(f => f.Form).ToFrozenDictionary(f => f.Form, f => f.Term, StringComparer.Ordinal);
    }

    /// <summary>Every descriptive term this language knows.</summary>
    public FrozenSet<string> Terms { get; }

    /// <summary>Every form (folded, words joined by a space) and the term it counts as.</summary>
    public FrozenDictionary<string, string> Forms { get; }

    public static ExperienceTagger For(string language) => language == "de" ? German.Value : English.Value;

    /// <summary>The term a word or phrase a company writes (a brand value's word) counts as, in either language; null when no list knows it.</summary>
    public static string? TermOf(string word)
    {
        var folded = string.Join(' ', Folding.Fold(word).Split([' ', '\t', '-'], StringSplitOptions.RemoveEmptyEntries));
        return English.Value.Forms.GetValueOrDefault(folded) ?? German.Value.Forms.GetValueOrDefault(folded);
    }

    public (IReadOnlyList<ExperienceTag> Tags, IReadOnlyList<DescriptorMention> Descriptors) Tag(Scratch scratch)
    {
        Span<int> from = stackalloc int[5];
        Span<int> to = stackalloc int[5];
        from.Fill(-1);
        to.Fill(-1);
        List<DescriptorMention>? descriptors = null;
        for (var i = 0; i < scratch.TokenCount; i++)
        {
            if (scratch.Tokens[i].Kind != TokenKind.Word)
            {
                continue;
            }

            var word = scratch.Text(i);
            MatchCues(scratch, i, word, from, to);
            EmotionCue(scratch, i, from, to);
            if (FindDescriptor(scratch, i, word) is { } found)
            {
                var mention = new DescriptorMention(found.Term, Negated(scratch, i, found.End));
                descriptors ??= [];
                if (!descriptors.Contains(mention))
                {
                    descriptors.Add(mention);
                }
            }
        }

        List<ExperienceTag>? tags = null;
        for (var m = 0; m < 5; m++)
        {
            if (from[m] >= 0)
            {
                tags ??= new List<ExperienceTag>(3);
                tags.Add(Evidence(scratch, ExperienceModules.All[m], from[m], to[m]));
            }
        }

        return (tags ?? (IReadOnlyList<ExperienceTag>)[], descriptors ?? (IReadOnlyList<DescriptorMention>)[]);
    }

    private void MatchCues(Scratch scratch, int i, ReadOnlySpan<char> word, Span<int> from, Span<int> to)
    {
        if (_exact.TryGetValue(word, out var cues) && Take(scratch, i, cues, from, to, compound: false))
        {
            return;
        }

        // The word without its inflection: English plural, -ed and -ing ("using" → "use" too); German -e, -en, -er, -es, -n, -s.
        Span<char> buffer = stackalloc char[64];
        foreach (var ending in _german ? GermanEndings : EnglishEndings)
        {
            if (word.Length - ending.Length < 3 || word.Length > buffer.Length - 1 || !word.EndsWith(ending, StringComparison.Ordinal))
            {
                continue;
            }

            scoped ReadOnlySpan<char> stem = word[..^ending.Length];
            if (ending == "ies")
            {
                stem.CopyTo(buffer);
                buffer[stem.Length] = 'y';
                stem = buffer[..(stem.Length + 1)];
            }

            if (_exact.TryGetValue(stem, out cues) && Take(scratch, i, cues, from, to, compound: false))
            {
                return;
            }

            if (ending == "ing")
            {
                stem.CopyTo(buffer);
                buffer[stem.Length] = 'e';
                if (_exact.TryGetValue(buffer[..(stem.Length + 1)], out cues) && Take(scratch, i, cues, from, to, compound: false))
                {
                    return;
                }
            }
        }

        foreach (var length in _prefixLengths)
        {
            if (length <= word.Length && _prefixes.TryGetValue(word[..length], out cues) && Take(scratch, i, cues, from, to, compound: false))
            {
                return;
            }
        }

        if (!_german || word.Length < 7)
        {
            return;
        }

        // A German compound: its last part is a cue (Bau|lärm, Laden|geschäft), or a later part begins with a long prefix cue.
        foreach (var length in _suffixLengths)
        {
            if (length <= word.Length - 3 && _exact.TryGetValue(word[^length..], out cues) && Take(scratch, i, cues, from, to, compound: true))
            {
                return;
            }
        }

        for (var start = 3; start <= word.Length - 5; start++)
        {
            foreach (var length in _prefixLengths)
            {
                if (length >= 5 && start + length <= word.Length && _prefixes.TryGetValue(word.Slice(start, length), out cues)
                    && Take(scratch, i, cues, from, to, compound: true))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Records the first cue of <paramref name="cues"/> that matches at token <paramref name="i"/>; true when one did.</summary>
    private static bool Take(Scratch scratch, int i, Cue[] cues, Span<int> from, Span<int> to, bool compound)
    {
        foreach (var cue in cues)
        {
            if (compound && cue.Rest.Length > 0)
            {
                continue;
            }

            var end = Matches(scratch, i, cue);
            if (end < 0)
            {
                continue;
            }

            if (from[cue.Module] < 0)
            {
                from[cue.Module] = i;
                to[cue.Module] = end;
            }

            return true;
        }

        return false;
    }

    /// <summary>The last token of the cue when it matches at <paramref name="i"/>, else −1.</summary>
    private static int Matches(Scratch scratch, int i, Cue cue)
    {
        var sentence = scratch.Tokens[i].Sentence;
        var k = i;
        for (var w = 0; w < cue.Rest.Length; w++)
        {
            var limit = cue.Gaps[w] ? MaxGap : 1;
            var found = -1;
            for (var step = 1; step <= limit && k + step < scratch.TokenCount && scratch.Tokens[k + step].Sentence == sentence; step++)
            {
                if (SentimentScorer.WordMatches(scratch.Text(k + step), cue.Rest[w]))
                {
                    found = k + step;
                    break;
                }
            }

            if (found < 0)
            {
                return -1;
            }

            k = found;
        }

        return k;
    }

    /// <summary>Strong emotion words (the emotion lexicon) are "feel" unless denied; confusion is "think".</summary>
    private static void EmotionCue(Scratch scratch, int i, Span<int> from, Span<int> to)
    {
        if (scratch.Infos[i] is not { Emotions.Length: > 0 } info || (from[1] >= 0 && from[2] >= 0) || NegatedBefore(scratch, i))
        {
            return;
        }

        foreach (var (emotion, weight) in info.Emotions)
        {
            var module = emotion == Confusion ? 2 : Array.IndexOf(FeelEmotions, emotion) >= 0 ? 1 : -1;
            if (module >= 0 && weight >= 0.7 && from[module] < 0)
            {
                from[module] = i;
                to[module] = i;
            }
        }
    }

    private (string Term, int End)? FindDescriptor(Scratch scratch, int i, ReadOnlySpan<char> word)
    {
        if (_descriptors.TryGetValue(word, out var found))
        {
            var sentence = scratch.Tokens[i].Sentence;
            foreach (var descriptor in found)
            {
                var matched = true;
                for (var w = 0; w < descriptor.Rest.Length && matched; w++)
                {
                    var k = i + 1 + w;
                    matched = k < scratch.TokenCount && scratch.Tokens[k].Sentence == sentence && scratch.Text(k).SequenceEqual(descriptor.Rest[w]);
                }

                if (matched)
                {
                    return (descriptor.Term, i + descriptor.Rest.Length);
                }
            }
        }

        if (_german && word.Length >= 9)
        {
            // kunden|freundlich, preis|wert: a compound ending in a descriptive word is that word.
            foreach (var length in _descriptorSuffixLengths)
            {
                if (length <= word.Length - 3 && _descriptors.TryGetValue(word[^length..], out found) && Array.Find(found, d => d.Rest.Length == 0) is { } single)
                {
                    return (single.Term, i);
                }
            }
        }

        return null;
    }

    /// <summary>A negation shortly before (same clause), or German "nicht" closing the clause after it ("zuverlässig ist das Netz nicht").</summary>
    private bool Negated(Scratch scratch, int i, int end)
    {
        if (NegatedBefore(scratch, i))
        {
            return true;
        }

        if (!_german)
        {
            return false;
        }

        var sentence = scratch.Tokens[i].Sentence;
        for (var k = end + 1; k <= end + 5 && k < scratch.TokenCount && scratch.Tokens[k].Sentence == sentence && !scratch.Tokens[k - 1].ClauseEnd; k++)
        {
            if (scratch.Modifiers[k] == Modifier.Negation && (k + 1 >= scratch.TokenCount || scratch.Tokens[k].ClauseEnd || scratch.Tokens[k + 1].Sentence != sentence))
            {
                return true;
            }
        }

        return false;
    }

    private static bool NegatedBefore(Scratch scratch, int i)
    {
        var sentence = scratch.Tokens[i].Sentence;
        for (var k = i - 1; k >= 0 && k >= i - 3 && scratch.Tokens[k].Sentence == sentence && !scratch.Tokens[k].ClauseEnd; k--)
        {
            if (scratch.Modifiers[k] == Modifier.Negation && scratch.Spans[k] == 1)
            {
                return true;
            }
        }

        return false;
    }

    private static ExperienceTag Evidence(Scratch scratch, string module, int first, int last)
    {
        var start = scratch.Tokens[first].SourceStart;
        var end = scratch.Tokens[last].SourceStart + scratch.Tokens[last].SourceLength;
        var length = Math.Clamp(end - start, 0, Math.Max(0, Math.Min(MaxEvidence, scratch.Source.Length - start)));
        return new ExperienceTag(module, scratch.Source.Substring(start, length), start, length);
    }

    private static int IndexOf(string module) =>
        Array.IndexOf([.. ExperienceModules.All], module) is >= 0 and var m ? m : throw new InvalidDataException($"Unknown experiential module \"{module}\".");

    private sealed record Cue(int Module, string[] Rest, bool[] Gaps);

    private sealed record Descriptor(string Term, string[] Rest);
}
