using System.IO.Compression;

namespace OpenCem.Text.Analysis;

/// <summary>
/// A sentiment model fitted on a company's own scored comments: a multinomial logistic regression over hashed
/// word unigrams and bigrams plus the lexicon score, so it learns the company's language on top of the built-in
/// rules (the blend is learned, not fixed). Immutable and thread-safe; <see cref="ToBytes"/> is what is stored.
/// </summary>
public sealed class TrainedSentiment
{
    /// <summary>Hash buckets for words and word pairs.</summary>
    public const int Buckets = 1 << 16;

    /// <summary>Dense features after the buckets: lexicon score, its square, and the three lexicon labels.</summary>
    public const int DenseFeatures = 5;

    public const int Features = Buckets + DenseFeatures;

    public static readonly string[] Labels = ["negative", "neutral", "positive"];

    private const int FormatVersion = 1;
    private static readonly byte[] Magic = "OCTS"u8.ToArray();

    /// <param name="weights">Per class (negative, neutral, positive) <see cref="Features"/> weights then the bias.</param>
    internal TrainedSentiment(float[] weights)
    {
        if (weights.Length != Labels.Length * (Features + 1))
        {
            throw new ArgumentException($"A model has {Labels.Length * (Features + 1)} weights, not {weights.Length}.", nameof(weights));
        }

        Weights = weights;
        Fingerprint = TextAnalyzer.Fingerprint(Convert.ToBase64String(ToBytes()));
    }

    internal float[] Weights { get; }

    /// <summary>A short hash of the weights, part of <see cref="TextAnalyzer.Version"/>.</summary>
    public string Fingerprint { get; }

    public byte[] ToBytes()
    {
        using var output = new MemoryStream();
        output.Write(Magic);
        output.Write(BitConverter.GetBytes(FormatVersion));
        using (var zip = new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            var bytes = new byte[Weights.Length * sizeof(float)];
            Buffer.BlockCopy(Weights, 0, bytes, 0, bytes.Length);
            zip.Write(bytes);
        }

        return output.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not a model of this format.</exception>
    public static TrainedSentiment FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 8 || !bytes.AsSpan(0, 4).SequenceEqual(Magic) || BitConverter.ToInt32(bytes, 4) != FormatVersion)
        {
            throw new InvalidDataException("These bytes are not an OpenCem sentiment model (format 1).");
        }

        var weights = new float[Labels.Length * (Features + 1)];
        try
        {
            using var zip = new BrotliStream(new MemoryStream(bytes, 8, bytes.Length - 8), CompressionMode.Decompress);
            var raw = new byte[weights.Length * sizeof(float)];
            zip.ReadExactly(raw);
            Buffer.BlockCopy(raw, 0, weights, 0, raw.Length);
        }
        catch (Exception exception) when (exception is EndOfStreamException or IOException)
        {
            throw new InvalidDataException("The model's weights are incomplete.", exception);
        }

        return new TrainedSentiment(weights);
    }

    /// <summary>Sentiment of the scanned text: the class with the highest probability, score P(positive) − P(negative).</summary>
    internal SentimentScore Predict(Scratch scratch, double lexiconScore, string language)
    {
        Span<int> buckets = stackalloc int[256];
        var count = FeatureHashing.Buckets(scratch, buckets);
        Span<float> dense = stackalloc float[DenseFeatures];
        FeatureHashing.Dense(lexiconScore, language, dense);
        Span<double> p = stackalloc double[Labels.Length];
        Probabilities(buckets[..count], dense, p);
        var best = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
        return new SentimentScore(Math.Round(p[2] - p[0], 4), Labels[best]);
    }

    internal void Probabilities(ReadOnlySpan<int> buckets, ReadOnlySpan<float> dense, Span<double> p) =>
        FeatureHashing.Softmax(Weights, buckets, dense, p);
}
