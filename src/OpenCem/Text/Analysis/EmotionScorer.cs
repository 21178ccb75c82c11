namespace OpenCem.Text.Analysis;

/// <summary>
/// Emotions from the emotion word lists (words and phrases, not when negated) and two rules: strong negative
/// sentiment shouted (capitals, several "!") is anger; exclamation marks intensify whatever is felt.
/// Intensity 0–1; emotions below <see cref="MinimumIntensity"/> are left out.
/// </summary>
internal static class EmotionScorer
{
    public const double MinimumIntensity = 0.2;

    private static readonly EmotionScore[] None = [];

    /// <summary>Runs after <see cref="SentimentScorer.Score"/> on the same scratch (it reads the resolved tokens).</summary>
    public static IReadOnlyList<EmotionScore> Score(Scratch scratch, double sentiment)
    {
        var sums = scratch.EmotionSums;
        Array.Clear(sums);
        var any = false;
        var exclamations = 0;
        var shouted = false;
        for (var s = 0; s < scratch.SentenceCount; s++)
        {
            exclamations += scratch.Sentences[s].Exclamations;
        }

        for (var i = 0; i < scratch.TokenCount; i++)
        {
            shouted |= scratch.Tokens[i].AllCaps && scratch.Scores[i] < 0;
            var info = scratch.Infos[i];
            if (info is null || Negated(scratch, i))
            {
                continue;
            }

            if (info.EmotionPhrases.Length > 0 && SentimentScorer.MatchPhrase(scratch, i, info.EmotionPhrases) is { } phrase)
            {
                sums[phrase.Emotion] += phrase.EmotionWeight;
                any = true;
            }

            // A word inside a negative phrase ("thanks for nothing") does not carry its own emotion.
            var insideNegativePhrase = scratch.Spans[i] != 1 && scratch.Valences[i] < 0;
            foreach (var (emotion, weight) in info.Emotions)
            {
                if (!(insideNegativePhrase && emotion >= 5))
                {
                    sums[emotion] += weight;
                    any = true;
                }
            }
        }

        if (sentiment <= -0.6 && (shouted || exclamations >= 2))
        {
            sums[0] += 0.5;
            any = true;
        }

        if (!any)
        {
            return None;
        }

        var result = new List<EmotionScore>(3);
        var emphasis = 1 + 0.15 * Math.Min(exclamations, 3);
        for (var e = 0; e < sums.Length; e++)
        {
            var intensity = Math.Min(1, sums[e] * emphasis);
            if (intensity >= MinimumIntensity)
            {
                result.Add(new EmotionScore(Emotions.Names[e], Math.Round(intensity, 3)));
            }
        }

        result.Sort((a, b) => b.Intensity.CompareTo(a.Intensity));
        return result;
    }

    private static bool Negated(Scratch scratch, int i)
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
}
