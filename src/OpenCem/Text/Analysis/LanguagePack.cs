using System.Collections.Frozen;

namespace OpenCem.Text.Analysis;

/// <summary>
/// Everything the analyser knows about one language, loaded from the lexicon files: valences (the general lexicon
/// overlaid by OpenCem's customer-service lexicon), modifiers, phrases, stopwords and emotion words, in one frozen
/// table looked up by span. Packs without <c>customerService</c> leave out the customer-service lexicon: the VADER-style baseline.
/// </summary>
internal sealed class LanguagePack
{
    private static readonly Lazy<LanguagePack> EnglishCx = new(() => Load("en", customerService: true));
    private static readonly Lazy<LanguagePack> GermanCx = new(() => Load("de", customerService: true));
    private static readonly Lazy<LanguagePack> EnglishPlain = new(() => Load("en", customerService: false));
    private static readonly Lazy<LanguagePack> GermanPlain = new(() => Load("de", customerService: false));

    private readonly FrozenDictionary<string, WordInfo>.AlternateLookup<ReadOnlySpan<char>> _words;
    private readonly FrozenDictionary<string, (float Valence, bool Event)>.AlternateLookup<ReadOnlySpan<char>> _prefixes;
    private readonly int[] _prefixLengths;

    private LanguagePack(string language, bool customerService, Dictionary<string, WordInfo> words, Dictionary<string, (float Valence, bool Event)> prefixes)
    {
        Language = language;
        CustomerService = customerService;
        _words = words.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixes = prefixes.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixLengths = [.. prefixes.Keys.Select(k => k.Length).Distinct().OrderDescending()];
        MaxWordLength = words.Keys.Max(k => k.Length);
    }

    public string Language { get; }

    public bool CustomerService { get; }

    public bool German => Language == "de";

    public int MaxWordLength { get; }

    public static LanguagePack For(string language, bool customerService = true) => (language, customerService) switch
    {
        ("de", true) => GermanCx.Value,
        ("de", false) => GermanPlain.Value,
        (_, true) => EnglishCx.Value,
        _ => EnglishPlain.Value,
    };

    public WordInfo? Find(ReadOnlySpan<char> word) => _words.TryGetValue(word, out var info) ? info : null;

    /// <summary>
    /// The valence of a word the table does not hold as it is: an inflected form (plural, German adjective endings),
    /// a word matched by a prefix entry ("crash*"), or a German compound read by its last part (Zugausfall → Ausfall).
    /// NaN when nothing fits. <paramref name="isEvent"/> tells whether the entry that gave the valence names an event.
    /// </summary>
    public float InferValence(ReadOnlySpan<char> word, out bool isEvent)
    {
        isEvent = false;
        if (word.Length < 4)
        {
            return float.NaN;
        }

        var stem = StripEnding(word);
        if (stem.Length < word.Length && Find(stem) is { HasValence: true } inflected)
        {
            isEvent = inflected.Event;
            return inflected.Valence;
        }

        foreach (var length in _prefixLengths)
        {
            if (length <= word.Length && _prefixes.TryGetValue(word[..length], out var prefix))
            {
                isEvent = prefix.Event;
                return prefix.Valence;
            }
        }

        if (German && CustomerService && word.Length >= 7)
        {
            // A German compound: its head is the last part (Zug|ausfall), but a strong first part colours the whole
            // (Verspätungs|alarm); the stronger of the longest known head and the longest known first part counts.
            WordInfo? head = null;
            for (var start = 3; start <= word.Length - 4 && head is null; start++)
            {
                var tail = word[start..];
                var tailStem = StripEnding(tail);
                head = Find(tail) is { HasValence: true } found ? found
                    : tailStem.Length >= 4 && tailStem.Length < tail.Length && Find(tailStem) is { HasValence: true } stemmed ? stemmed
                    : null;
            }

            // Only a negative first part colours the whole: positive ones are mostly a word that merely begins the
            // same way (best|ellt, Super|sparpreis in advertising).
            WordInfo? first = null;
            for (var end = word.Length - 3; end >= 5 && first is null; end--)
            {
                var part = word[..end];
                first = Find(part) is { HasValence: true, Valence: < 0 } found ? found
                    : part[^1] == 's' && Find(part[..^1]) is { HasValence: true, Valence: < 0 } linked ? linked
                    : null;
            }

            var chosen = first is null ? head : head is null || MathF.Abs(first.Valence) > MathF.Abs(head.Valence) ? first : head;
            isEvent = chosen is { Event: true };
            return chosen?.Valence ?? float.NaN;
        }

        return float.NaN;
    }

    private ReadOnlySpan<char> StripEnding(ReadOnlySpan<char> word)
    {
        if (German)
        {
            foreach (var ending in GermanEndings)
            {
                if (word.Length - ending.Length >= 4 && word.EndsWith(ending, StringComparison.Ordinal))
                {
                    return word[..^ending.Length];
                }
            }

            return word;
        }

        if (word.EndsWith("'s", StringComparison.Ordinal))
        {
            return word[..^2];
        }

        return word.Length >= 5 && word[^1] == 's' && word[^2] != 's' ? word[..^1] : word;
    }

    private static readonly string[] GermanEndings = ["en", "em", "er", "es", "e", "n", "s"];

    private static LanguagePack Load(string language, bool customerService)
    {
        var words = new Dictionary<string, WordInfo>(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, (float Valence, bool Event)>(StringComparer.Ordinal);
        var phrases = new List<(string First, Phrase Phrase)>();
        var emotionPhrases = new List<(string First, Phrase Phrase)>();

        WordInfo Info(string word) => words.TryGetValue(word, out var info) ? info : words[word] = new WordInfo();

        void AddValence(string term, float valence, bool isEvent = false)
        {
            var parts = term.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Folding.Fold).ToArray();
            if (parts.Length == 0)
            {
                return;
            }

            if (parts.Length > 2 && parts[1] == "~")
            {
                var verb = Info(parts[0]);
                verb.Separable = [.. verb.Separable.Where(e => !e.Particle.SequenceEqual(parts[2..])), (parts[2..], valence, isEvent)];
                return;
            }

            if (parts.Length > 1)
            {
                phrases.RemoveAll(p => p.First == parts[0] && p.Phrase.Words.SequenceEqual(parts[1..]) && p.Phrase.HasValence);
                phrases.Add((parts[0], new Phrase(parts[1..], valence, Modifier.None, 0, -1, 0, isEvent)));
            }
            else if (parts[0].EndsWith('*'))
            {
                prefixes[parts[0][..^1]] = (valence, isEvent);
            }
            else
            {
                var info = Info(parts[0]);
                info.Valence = valence;
                info.Event = isEvent;
            }
        }

        // The general lexicon: VADER (English) or AFINN (German, −5…5, brought to VADER's scale; the last of
        // duplicate entries wins, as the afinn loader does). The German list is a word-by-word machine translation:
        // next to the customer-service lexicon it counts half, a hint rather than a verdict, and its positive words
        // (many mistranslated or incidental: Messe, Art, Roman, frei, groß) a fifth: German praise in service
        // feedback uses the small vocabulary the customer-service lexicon holds (danke, pünktlich, freundlich, super).
        if (language == "de")
        {
            foreach (var row in LexiconFiles.Rows("de-afinn.txt"))
            {
                var valence = LexiconFiles.Number(row[1]);
                AddValence(row[0], valence * (!customerService ? 0.8f : valence > 0 ? 0.2f : 0.4f), isEvent: true);
            }
        }
        else
        {
            foreach (var row in LexiconFiles.Rows("en-vader.txt"))
            {
                if (!row[0].Contains(' ', StringComparison.Ordinal) && !words.ContainsKey(Folding.Fold(row[0])))
                {
                    AddValence(row[0], LexiconFiles.Number(row[1]));
                }
            }
        }

        if (customerService)
        {
            foreach (var row in LexiconFiles.Rows($"{language}-cx.tsv"))
            {
                // An optional third column: "event" (names an event rather than judging it) and/or "negated" (the
                // valence applies only when the word is negated: "kein WLAN").
                var flags = row.Length > 2 ? row[2].Split(',', StringSplitOptions.TrimEntries) : [];
                if (flags.Contains("negated"))
                {
                    var info = Info(Folding.Fold(row[0]));
                    info.NegatedValence = LexiconFiles.Number(row[1]);
                    info.Event = flags.Contains("event");
                    continue;
                }

                AddValence(row[0], LexiconFiles.Number(row[1]), flags.Contains("event"));
            }
        }

        foreach (var row in LexiconFiles.Rows($"{language}-modifiers.tsv"))
        {
            var cue = row[0] switch
            {
                "personal" => Cue.Personal,
                "report" => Cue.Report,
                "offer" => Cue.Offer,
                _ => Cue.None,
            };
            if (cue != Cue.None)
            {
                Info(Folding.Fold(row[1])).Cue |= cue;
                continue;
            }

            var kind = row[0] switch
            {
                "booster" or "dampener" => Modifier.Booster,
                "negation" => Modifier.Negation,
                "contrast" => Modifier.Contrast,
                "concession" => Modifier.Concession,
                _ => throw new InvalidDataException($"Unknown modifier kind \"{row[0]}\"."),
            };
            var parts = row[1].Split(' ').Select(Folding.Fold).ToArray();
            var boost = LexiconFiles.Number(row[2]);
            if (parts.Length > 1)
            {
                phrases.Add((parts[0], new Phrase(parts[1..], float.NaN, kind, boost, -1, 0)));
            }
            else
            {
                var info = Info(parts[0]);
                info.Modifier = kind;
                info.Boost = boost;
            }
        }

        foreach (var word in LexiconFiles.Rows($"{language}-stopwords.txt"))
        {
            Info(Folding.Fold(word[0])).Stopword = true;
        }

        foreach (var row in LexiconFiles.Rows("emoji.tsv"))
        {
            AddValence(row[0].Replace("\uFE0F", "", StringComparison.Ordinal), LexiconFiles.Number(row[1]));
        }

        foreach (var row in LexiconFiles.Rows($"{language}-emotions.tsv"))
        {
            var emotion = Emotions.IndexOf(row[0]);
            var parts = row[1].Replace("\uFE0F", "", StringComparison.Ordinal).Split(' ').Select(Folding.Fold).ToArray();
            var weight = LexiconFiles.Number(row[2]);
            if (parts.Length > 1)
            {
                emotionPhrases.Add((parts[0], new Phrase(parts[1..], float.NaN, Modifier.None, 0, emotion, weight)));
            }
            else
            {
                var info = Info(parts[0]);
                info.Emotions = [.. info.Emotions, (emotion, weight)];
            }
        }

        foreach (var group in phrases.GroupBy(p => p.First))
        {
            Info(group.Key).Phrases = [.. group.Select(p => p.Phrase).OrderByDescending(p => p.Words.Length)];
        }

        foreach (var group in emotionPhrases.GroupBy(p => p.First))
        {
            Info(group.Key).EmotionPhrases = [.. group.Select(p => p.Phrase).OrderByDescending(p => p.Words.Length)];
        }

        return new LanguagePack(language, customerService, words, prefixes);
    }
}
