namespace OpenCem.Text.Analysis;

/// <summary>
/// Lexicon and rules, VADER-style: each sentiment word's valence, changed by the three words before it (boosters,
/// dampeners, negation), by capitals, by a contrast in its sentence, and by being part of a question; summed,
/// emphasised by exclamation marks, and normalised to −1…1. Leaves each token's contribution in
/// <see cref="Scratch.Scores"/> for the themes' clause sentiment. German customer-service text is first read for
/// whose voice it is (<see cref="Stance"/>): public feedback about a railway mixes travellers' complaints with news,
/// announcements and advertising that name the same events without judging them.
/// </summary>
internal static class SentimentScorer
{
    public static double Score(Scratch scratch, LanguagePack pack)
    {
        Resolve(scratch, pack);
        var stance = pack.German && pack.CustomerService ? Stance.Read(scratch) : Stance.None;
        var tokens = scratch.Tokens;
        var allCapsText = AllCaps(scratch);
        var sum = 0.0;
        var exclamations = 0;
        var previousSentenceSum = 0.0;
        for (var s = 0; s < scratch.SentenceCount; s++)
        {
            var sentence = scratch.Sentences[s];
            exclamations += sentence.Exclamations;
            var contrast = -1;
            for (var j = sentence.First; j < sentence.End; j++)
            {
                if (scratch.Spans[j] > 0 && scratch.Modifiers[j] == Modifier.Contrast && IsContrast(scratch, pack, j, sentence))
                {
                    contrast = j;
                }
            }

            var sentenceSum = 0.0;
            var asking = stance.German && sentence.Question && sentence.End > sentence.First && !AsksWhy(scratch, sentence, german: true);
            for (var j = sentence.First; j < sentence.End; j++)
            {
                scratch.Scores[j] = 0;
                var valence = scratch.Valences[j];
                var onlyNegated = false;
                if (stance.German && float.IsNaN(valence) && scratch.Spans[j] == 1 && scratch.Infos[j] is { } info && !float.IsNaN(info.NegatedValence))
                {
                    // "kein WLAN", "der Techniker kam nicht": a service word carries its failure only when negated.
                    valence = info.NegatedValence;
                    onlyNegated = true;
                }

                if (scratch.Spans[j] == 0 || float.IsNaN(valence) || valence == 0)
                {
                    continue;
                }

                if (scratch.Modifiers[j] == Modifier.Negation && NextCarriesValence(scratch, j, sentence.End))
                {
                    // "no" before a sentiment word only negates it ("no problem").
                    continue;
                }

                var v = valence;
                if (tokens[j].AllCaps && !allCapsText)
                {
                    v += MathF.Sign(v) * SentimentRules.CapsBoost;
                }

                var negated = false;
                var steps = 0;

                // An emoji is the author's tone on the whole clause, not a word that "nicht" before it negates.
                for (var k = j - 1; k >= sentence.First && steps < 3 && tokens[j].Kind == TokenKind.Word; k--)
                {
                    if (scratch.Spans[k] == 0)
                    {
                        continue;
                    }

                    if (tokens[k].ClauseEnd || scratch.Modifiers[k] == Modifier.Contrast)
                    {
                        break;
                    }

                    if (scratch.Modifiers[k] == Modifier.Booster)
                    {
                        v += MathF.Sign(v) * scratch.Boosts[k] * (steps == 0 ? 1f : steps == 1 ? 0.95f : 0.9f);
                    }
                    else if (scratch.Modifiers[k] == Modifier.Negation)
                    {
                        negated = true;
                    }
                    else if (scratch.Modifiers[k] == Modifier.Concession && v < 0)
                    {
                        v *= SentimentRules.Concession;
                    }

                    steps++;
                }

                if (!negated && pack.German && tokens[j].Kind == TokenKind.Word && NegatedAfter(scratch, j, sentence.End))
                {
                    negated = true;
                }

                if (onlyNegated)
                {
                    if (!negated)
                    {
                        continue;
                    }
                }
                else if (negated && scratch.Spans[j] == 1)
                {
                    // A phrase carries its own polarity ("not acceptable", "no one called back"); it is not negated again.
                    v *= SentimentRules.NegationFactor;
                }

                if (pack.CustomerService && sentence.Question && v > 0)
                {
                    v *= SentimentRules.QuestionPositive;
                }

                if (contrast >= 0)
                {
                    v *= j < contrast ? SentimentRules.BeforeContrast : SentimentRules.AfterContrast;
                }

                if (stance.German)
                {
                    v *= stance.Weight(scratch.Events[j], v, asking);
                }

                scratch.Scores[j] = v;
                sentenceSum += v;
            }

            if (pack.CustomerService)
            {
                sentenceSum += Sarcasm(scratch, sentence, contrast, stance.German && s + 1 < scratch.SentenceCount ? scratch.Sentences[s + 1] : null);
            }

            if (contrast == sentence.First && s > 0)
            {
                // "... . But ..." weighs the sentence before less, as "but" inside one sentence does.
                sum -= previousSentenceSum * (1 - SentimentRules.BeforeContrast);
            }

            if (pack.CustomerService && sentence.Question && sentence.End > sentence.First && AsksWhy(scratch, sentence, pack.German))
            {
                scratch.Scores[sentence.First] += SentimentRules.WhyQuestion;
                sentenceSum += SentimentRules.WhyQuestion;
            }

            sum += sentenceSum;
            previousSentenceSum = sentenceSum;
        }

        if (pack.CustomerService && scratch.SentenceCount > 2)
        {
            // A long text mentions many things in passing; its stance is closer to the mean of its sentences than to
            // the sum. German long texts are mostly news and blog posts read with the noisy general lexicon: the mean itself.
            sum *= stance.German ? 2.0 / scratch.SentenceCount : Math.Sqrt(2.0 / scratch.SentenceCount);
        }

        if (sum != 0)
        {
            sum += Math.Sign(sum) * Math.Min(exclamations, 4) * SentimentRules.ExclamationBoost;
        }

        return SentimentRules.Normalise(sum);
    }

    /// <summary>
    /// "Thanks for the three-hour delay", "great, cancelled again": praise followed in the same sentence by a
    /// service failure (and no "but" between) is sarcasm; the praise turns negative. Returns the change of the sum.
    /// German complaints often put the thanks in a sentence of its own ("Danke, Deutsche Bahn. Wieder 40 Minuten zu
    /// spät."): a short sentence of praise is read against the failure in the sentence after it (<paramref name="next"/>).
    /// </summary>
    private static double Sarcasm(Scratch scratch, Sentence sentence, int contrast, Sentence? next)
    {
        var change = 0.0;
        for (var j = sentence.First; j < sentence.End; j++)
        {
            if (scratch.Scores[j] <= 0 || (contrast >= 0 && j < contrast) || !IsPraise(scratch, j))
            {
                continue;
            }

            var failure = false;
            for (var k = j + 1; k < sentence.End && !failure; k++)
            {
                if (scratch.Modifiers[k] == Modifier.Contrast)
                {
                    break;
                }

                failure = scratch.Scores[k] < -1;
            }

            if (!failure && next is { } after && sentence.End - sentence.First <= SentimentRules.ShortPraise)
            {
                for (var k = after.First; k < after.End && !failure; k++)
                {
                    if (scratch.Modifiers[k] == Modifier.Contrast)
                    {
                        break;
                    }

                    failure = scratch.Spans[k] > 0 && scratch.Valences[k] < -1;
                }
            }

            if (failure)
            {
                var flipped = -0.5f * scratch.Scores[j];
                change += flipped - scratch.Scores[j];
                scratch.Scores[j] = flipped;
            }
        }

        return change;
    }

    private static bool IsPraise(Scratch scratch, int j) => scratch.Spans[j] == 1
        ? scratch.Text(j) is "thanks" or "thank" or "thx" or "great" or "awesome" or "wonderful" or "fantastic" or "love" or "nice"
            or "perfect" or "brilliant" or "danke" or "toll" or "super" or "klasse" or "prima" or "glueckwunsch" or "grossartig"
            or "herrlich" or "wunderbar" or "genial" or "bravo" or "spitze"
        : scratch.Text(j) is "vielen" or "herzlichen" or "besten";

    /// <summary>Finds each token's entry, reads phrases as one unit, and infers the valence of unknown words.</summary>
    private static void Resolve(Scratch scratch, LanguagePack pack)
    {
        var count = scratch.TokenCount;
        for (var i = 0; i < count; i++)
        {
            scratch.Infos[i] = pack.Find(scratch.Text(i));
            scratch.Spans[i] = 1;
            scratch.Valences[i] = float.NaN;
            scratch.Modifiers[i] = Modifier.None;
            scratch.Scores[i] = 0;
            scratch.Events[i] = false;
        }

        for (var i = 0; i < count; i++)
        {
            var info = scratch.Infos[i];
            if (info is { Phrases.Length: > 0 } && MatchPhrase(scratch, i, info.Phrases) is { } phrase)
            {
                var span = phrase.Words.Length + 1;
                scratch.Valences[i] = phrase.Valence;
                scratch.Modifiers[i] = phrase.Modifier;
                scratch.Boosts[i] = phrase.Boost;
                scratch.Events[i] = phrase.Event;
                scratch.Spans[i] = span;
                for (var k = i + 1; k < i + span; k++)
                {
                    scratch.Spans[k] = 0;
                    scratch.Valences[k] = phrase.Valence;
                }

                i += span - 1;
                continue;
            }

            if (info is { Separable.Length: > 0 } && MatchSeparable(scratch, i, info) is { } separable)
            {
                scratch.Valences[i] = separable.Valence;
                scratch.Events[i] = separable.Event;
                scratch.Spans[separable.Particle] = 0;
                scratch.Valences[separable.Particle] = separable.Valence;
                continue;
            }

            if (info is not null)
            {
                scratch.Valences[i] = info.Valence;
                scratch.Modifiers[i] = info.Modifier;
                scratch.Boosts[i] = info.Boost;
                scratch.Events[i] = info.Event;
                if (info.HasValence || info.Modifier != Modifier.None || info.Stopword || !float.IsNaN(info.NegatedValence))
                {
                    continue;
                }
            }

            if (scratch.Tokens[i].Kind == TokenKind.Word)
            {
                scratch.Valences[i] = pack.InferValence(scratch.Text(i), out var isEvent);
                scratch.Events[i] = isEvent;
            }
        }
    }

    /// <summary>The longest phrase that starts at token <paramref name="i"/> within its sentence.</summary>
    public static Phrase? MatchPhrase(Scratch scratch, int i, Phrase[] phrases)
    {
        var sentence = scratch.Tokens[i].Sentence;
        foreach (var phrase in phrases)
        {
            var words = phrase.Words;
            if (i + words.Length >= scratch.TokenCount + 1)
            {
                continue;
            }

            var matched = true;
            for (var w = 0; w < words.Length && matched; w++)
            {
                var k = i + 1 + w;
                matched = k < scratch.TokenCount && scratch.Tokens[k].Sentence == sentence && WordMatches(scratch.Text(k), words[w]);
            }

            if (matched)
            {
                return phrase;
            }
        }

        return null;
    }

    /// <summary>The particle of a separable verb at the end of the verb's clause, within six tokens.</summary>
    private static (int Particle, float Valence, bool Event)? MatchSeparable(Scratch scratch, int i, WordInfo info)
    {
        var sentence = scratch.Tokens[i].Sentence;
        for (var k = i + 1; k < scratch.TokenCount && k <= i + 6 && scratch.Tokens[k].Sentence == sentence; k++)
        {
            if (scratch.Tokens[k - 1].ClauseEnd)
            {
                return null;
            }

            // The clause also ends before a conjunction: "der Zug fällt aus und ich stehe am Bahnsteig".
            var clauseEnds = scratch.Tokens[k].ClauseEnd || k + 1 >= scratch.TokenCount || scratch.Tokens[k + 1].Sentence != sentence
                || scratch.Text(k + 1) is "und" or "oder" or "aber" or "weil" or "denn" or "obwohl" or "sodass" or "dass";
            if (clauseEnds)
            {
                foreach (var (particle, valence, isEvent) in info.Separable)
                {
                    var start = k - particle.Length + 1;
                    if (start > i && particle.Select((word, w) => scratch.Text(start + w).SequenceEqual(word)).All(m => m))
                    {
                        return (k, valence, isEvent);
                    }
                }

                return null;
            }
        }

        return null;
    }

    public static bool WordMatches(ReadOnlySpan<char> token, string word) =>
        word.EndsWith('*') ? token.StartsWith(word.AsSpan(0, word.Length - 1), StringComparison.Ordinal) : token.SequenceEqual(word);

    private static bool NextCarriesValence(Scratch scratch, int j, int end)
    {
        var next = j + scratch.Spans[j];
        return next < end && !scratch.Tokens[j].ClauseEnd && !float.IsNaN(scratch.Valences[next]) && scratch.Valences[next] != 0;
    }

    /// <summary>German puts "nicht" after the verb: "das hilft nicht", "gefällt mir nicht".</summary>
    private static bool NegatedAfter(Scratch scratch, int j, int end)
    {
        var k = j + scratch.Spans[j];
        for (var steps = 0; steps < 3 && k < end && !scratch.Tokens[k - 1].ClauseEnd; steps++, k++)
        {
            if (scratch.Modifiers[k] == Modifier.Negation)
            {
                return scratch.Text(k) is "nicht" or "nie" or "niemals" or "keineswegs";
            }

            if (!(scratch.Text(k) is "mir" or "mich" or "uns" or "dir" or "ihm" or "ihr" or "es" or "das" or "sich" or "wirklich" or "leider"
                or "mal" or "wieder" or "heute" or "schon" or "gar" or "einfach" or "auch" or "immer"))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>German "doch" and "aber" are also particles ("das ist doch gut"); they contrast at the start of a clause.</summary>
    private static bool IsContrast(Scratch scratch, LanguagePack pack, int j, Sentence sentence) =>
        !pack.German || !(scratch.Text(j) is "doch" or "aber") || j == sentence.First || scratch.Tokens[j - 1].ClauseEnd;

    private static bool IsWhy(Scratch scratch, int first) => scratch.Text(first) is "why" or "warum" or "wieso" or "weshalb";

    /// <summary>
    /// A why-question. German tweets put it after a conjunction or an address ("und warum ist der Zug schon wieder
    /// weg?", "Bahn, wieso hält ..."): within the first four words.
    /// </summary>
    private static bool AsksWhy(Scratch scratch, Sentence sentence, bool german)
    {
        var last = german ? Math.Min(sentence.End, sentence.First + 4) : sentence.First + 1;
        for (var k = sentence.First; k < last; k++)
        {
            if (IsWhy(scratch, k))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AllCaps(Scratch scratch)
    {
        var words = 0;
        for (var i = 0; i < scratch.TokenCount; i++)
        {
            if (scratch.Tokens[i].Kind == TokenKind.Word && scratch.Tokens[i].Length > 1)
            {
                if (!scratch.Tokens[i].AllCaps)
                {
                    return false;
                }

                words++;
            }
        }

        return words > 0;
    }
}
