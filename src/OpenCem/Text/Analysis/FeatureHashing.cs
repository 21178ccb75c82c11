namespace OpenCem.Text.Analysis;

/// <summary>The trained model's features: hashed words and word pairs of a scanned text, and the lexicon score.</summary>
internal static class FeatureHashing
{
    /// <summary>Writes the distinct buckets of the text's words and word pairs (at most <paramref name="buckets"/>.Length); returns how many.</summary>
    public static int Buckets(Scratch scratch, Span<int> buckets)
    {
        var count = 0;
        uint previous = 0;
        var previousSentence = -1;
        for (var i = 0; i < scratch.TokenCount && count + 2 <= buckets.Length; i++)
        {
            var hash = Hash(scratch.Text(i));
            Add(buckets, ref count, (int)(hash % TrainedSentiment.Buckets));
            if (scratch.Tokens[i].Sentence == previousSentence)
            {
                Add(buckets, ref count, (int)(((previous * 0x9E3779B1u) ^ hash) % TrainedSentiment.Buckets));
            }

            previous = hash;
            previousSentence = scratch.Tokens[i].Sentence;
        }

        return count;
    }

    public static void Dense(double lexiconScore, string language, Span<float> dense)
    {
        dense[0] = (float)lexiconScore;
        dense[1] = (float)(lexiconScore * Math.Abs(lexiconScore));
        var label = SentimentRules.Label(lexiconScore, customerService: true, language);
        dense[2] = label == "negative" ? 1 : 0;
        dense[3] = label == "neutral" ? 1 : 0;
        dense[4] = label == "positive" ? 1 : 0;
    }

    /// <summary>Class probabilities of a linear softmax over the features (each bucket present counts 1/sqrt(n)).</summary>
    public static void Softmax(float[] weights, ReadOnlySpan<int> buckets, ReadOnlySpan<float> dense, Span<double> p)
    {
        var stride = TrainedSentiment.Features + 1;
        var scale = buckets.Length == 0 ? 0 : 1 / MathF.Sqrt(buckets.Length);
        var max = double.MinValue;
        for (var c = 0; c < p.Length; c++)
        {
            var row = weights.AsSpan(c * stride, stride);
            var z = (double)row[^1];
            var sparse = 0f;
            foreach (var b in buckets)
            {
                sparse += row[b];
            }

            z += sparse * scale;
            for (var d = 0; d < dense.Length; d++)
            {
                z += row[TrainedSentiment.Buckets + d] * dense[d];
            }

            p[c] = z;
            max = Math.Max(max, z);
        }

        var sum = 0.0;
        for (var c = 0; c < p.Length; c++)
        {
            p[c] = Math.Exp(p[c] - max);
            sum += p[c];
        }

        for (var c = 0; c < p.Length; c++)
        {
            p[c] /= sum;
        }
    }

    private static void Add(Span<int> buckets, ref int count, int bucket)
    {
        if (buckets[..count].IndexOf(bucket) < 0)
        {
            buckets[count++] = bucket;
        }
    }

    private static uint Hash(ReadOnlySpan<char> word)
    {
        var hash = 2166136261u;
        foreach (var c in word)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
