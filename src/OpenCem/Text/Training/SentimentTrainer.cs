using OpenCem.Text.Analysis;
using OpenCem.Text.Evaluation;

namespace OpenCem.Text.Training;

/// <summary>A comment with its weak label (from the score that came with it) and its language if known.</summary>
public sealed record TrainingExample(string Text, string Label, string? Language = null);

/// <summary>The result of a training run: the model and how it compares with the built-in analyser on held-out comments.</summary>
public sealed record TrainingResult(TrainedSentiment Model, int TrainCount, int TestCount, ClassificationReport BuiltIn, ClassificationReport Trained)
{
    public double AccuracyGain => Trained.Accuracy - BuiltIn.Accuracy;

    public double MacroF1Gain => Trained.MacroF1 - BuiltIn.MacroF1;

    /// <summary>Better when macro-F1 improves without losing accuracy (macro-F1 alone could trade the majority class away).</summary>
    public bool IsBetter => MacroF1Gain > 0 && AccuracyGain >= -0.005;
}

/// <summary>
/// Fits <see cref="TrainedSentiment"/>: multinomial logistic regression with L2 regularisation, trained by
/// stochastic gradient descent (AdaGrad steps) over the hashed words and the lexicon score; deterministic for a seed.
/// The held-out split (every fifth comment by a stable hash of its text) is never seen by the fit.
/// </summary>
public static class SentimentTrainer
{
    public const int MinimumExamples = 50;

    public static TrainingResult TrainAndEvaluate(IReadOnlyList<TrainingExample> examples, int epochs = 8, double l2 = 1e-6, int seed = 20240601)
    {
        if (examples.Count < MinimumExamples)
        {
            throw new ArgumentException($"Training needs at least {MinimumExamples} scored comments; there are {examples.Count}.", nameof(examples));
        }

        var featurised = examples.Select(Featurise).ToList();
        var test = new List<Featurised>();
        var train = new List<Featurised>();
        for (var i = 0; i < featurised.Count; i++)
        {
            (StableHash(examples[i].Text) % 5 == 0 ? test : train).Add(featurised[i]);
        }

        if (test.Count == 0 || train.Count == 0)
        {
            throw new ArgumentException("The comments are too few or too alike to hold some out for the evaluation.", nameof(examples));
        }

        var model = Fit(train, epochs, l2, seed);
        var truth = test.Select(t => TrainedSentiment.Labels[t.Label]).ToList();
        var builtIn = ClassificationReport.Compute("built-in", truth, test.Select(t => SentimentRules.Label(t.LexiconScore, customerService: true, t.Language)).ToList());
        var trained = ClassificationReport.Compute("trained", truth, test.Select(t => Predict(model, t)).ToList());
        return new TrainingResult(model, train.Count, test.Count, builtIn, trained);
    }

    /// <summary>Fits on all the examples (no held-out part), e.g. after an evaluation was satisfactory.</summary>
    public static TrainedSentiment Fit(IReadOnlyList<TrainingExample> examples, int epochs = 8, double l2 = 1e-6, int seed = 20240601) =>
        Fit(examples.Select(Featurise).ToList(), epochs, l2, seed);

    private sealed record Featurised(int[] Buckets, float[] Dense, int Label, double LexiconScore, string Language);

    private static Featurised Featurise(TrainingExample example)
    {
        var (score, scratch, language) = TextAnalyzer.LexiconScore(example.Text, example.Language);
        Span<int> buckets = stackalloc int[256];
        var count = FeatureHashing.Buckets(scratch, buckets);
        var dense = new float[TrainedSentiment.DenseFeatures];
        FeatureHashing.Dense(score, language, dense);
        var label = Array.IndexOf(TrainedSentiment.Labels, example.Label);
        if (label < 0)
        {
            throw new ArgumentException($"Unknown label \"{example.Label}\".", nameof(example));
        }

        return new Featurised(buckets[..count].ToArray(), dense, label, score, language);
    }

    private static TrainedSentiment Fit(List<Featurised> train, int epochs, double l2, int seed)
    {
        var classes = TrainedSentiment.Labels.Length;
        var stride = TrainedSentiment.Features + 1;
        var weights = new float[classes * stride];
        var squares = new float[weights.Length];
        const float rate = 0.5f;

        // Classes are weighted inversely to their frequency, so a rare class (positive feedback) is not drowned.
        var counts = new double[classes];
        foreach (var t in train)
        {
            counts[t.Label]++;
        }

        var classWeight = counts.Select(c => c == 0 ? 0 : train.Count / (classes * c)).ToArray();
        var order = Enumerable.Range(0, train.Count).ToArray();
        var random = new Random(seed);
        Span<double> p = stackalloc double[classes];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var index in order)
            {
                var example = train[index];
                FeatureHashing.Softmax(weights, example.Buckets, example.Dense, p);
                var scale = example.Buckets.Length == 0 ? 0 : 1 / MathF.Sqrt(example.Buckets.Length);
                for (var c = 0; c < classes; c++)
                {
                    var gradient = (float)((p[c] - (c == example.Label ? 1 : 0)) * classWeight[example.Label]);
                    var row = c * stride;
                    foreach (var b in example.Buckets)
                    {
                        Step(weights, squares, row + b, gradient * scale + (float)l2 * weights[row + b], rate);
                    }

                    for (var d = 0; d < example.Dense.Length; d++)
                    {
                        Step(weights, squares, row + TrainedSentiment.Buckets + d, gradient * example.Dense[d], rate);
                    }

                    Step(weights, squares, row + stride - 1, gradient, rate);
                }
            }
        }

        return new TrainedSentiment(weights);
    }

    private static void Step(float[] weights, float[] squares, int i, float gradient, float rate)
    {
        squares[i] += gradient * gradient;
        weights[i] -= rate * gradient / (MathF.Sqrt(squares[i]) + 1e-6f);
    }

    private static string Predict(TrainedSentiment model, Featurised example)
    {
        Span<double> p = stackalloc double[TrainedSentiment.Labels.Length];
        model.Probabilities(example.Buckets, example.Dense, p);
        return TrainedSentiment.Labels[p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2];
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}

/// <summary>Weak labels from scores: NPS 0–6 negative, 7–8 neutral, 9–10 positive; CSAT 1–2 / 3 / 4–5.</summary>
public static class WeakLabels
{
    public static string FromNps(int nps) => nps <= 6 ? "negative" : nps <= 8 ? "neutral" : "positive";

    public static string FromCsat(int csat) => csat <= 2 ? "negative" : csat == 3 ? "neutral" : "positive";
}
