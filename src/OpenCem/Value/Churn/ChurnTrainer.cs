using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace OpenCem.Value.Churn;

public sealed record FeatureImportance(string Name, double Importance);

/// <summary>The figures of one trainer: AUC on the held-out customers and mean AUC over the folds of the training part.</summary>
public sealed record TrainerScore(string Trainer, double Auc, double CvAuc);

public sealed record ChurnTraining(
    string Trainer,
    double Auc,
    double CvAuc,
    TrainerScore Trees,
    TrainerScore Baseline,
    int N,
    int Positives,
    int HeldOut,
    IReadOnlyList<CalibrationBin> Calibration,
    IReadOnlyList<FeatureImportance> Features,
    ChurnPredictor Predictor);

/// <summary>
/// Trains and judges churn models on held-out data only: a stratified split keeps <see cref="HeldOutShare"/> of the
/// customers (churned and staying alike) aside; on the rest, gradient-boosted trees (ML.NET FastTree) and a plain L-BFGS
/// logistic regression on standardised features are each cross-validated (<see cref="Folds"/> stratified folds); the one
/// with the better cross-validated AUC is kept, fitted on the whole training part and judged on the held-out customers
/// (AUC, a calibration table by decile, and permutation importance: how much the held-out AUC falls when one feature's
/// values are shuffled among customers). Pure (no I/O); deterministic for a given seed.
/// </summary>
public sealed class ChurnTrainer(int seed = 17)
{
    public const double HeldOutShare = 0.2;
    public const int Folds = 5;
    public const string TreesName = "fastTree";
    public const string BaselineName = "logisticRegression";

    public int Trees { get; init; } = 150;

    public ChurnTraining Train(IReadOnlyList<float[]> features, IReadOnlyList<bool> labels, IReadOnlyList<string> names, IProgress<double>? progress = null)
    {
        var width = names.Count;
        var ml = new MLContext(seed);
        var (train, test) = Split(labels, HeldOutShare, new Random(seed));
        ChurnRow Row(int i) => new() { Label = labels[i], Features = features[i] };
        var trainRows = train.Select(Row).ToList();
        var testRows = test.Select(Row).ToList();
        var testLabels = test.Select(i => labels[i]).ToList();

        var treesCv = CrossValidate(ml, trainRows, width, TreesName, new Random(seed + 1));
        progress?.Report(0.4);
        var baselineCv = CrossValidate(ml, trainRows, width, BaselineName, new Random(seed + 1));
        progress?.Report(0.6);
        var trees = Fit(ml, trainRows, width, TreesName);
        var baseline = Fit(ml, trainRows, width, BaselineName);
        var treesAuc = ChurnMetrics.Auc(trees.Probabilities(testRows), testLabels);
        var baselineAuc = ChurnMetrics.Auc(baseline.Probabilities(testRows), testLabels);
        progress?.Report(0.75);

        // Chosen on the training part only (cross-validation), never on the held-out customers.
        var chosenTrees = treesCv >= baselineCv;
        var chosen = chosenTrees ? trees : baseline;
        var predicted = chosen.Probabilities(testRows);
        var auc = chosenTrees ? treesAuc : baselineAuc;
        var importance = PermutationImportance(chosen, testRows, testLabels, auc, names, new Random(seed + 2));
        progress?.Report(0.9);
        return new ChurnTraining(
            chosenTrees ? TreesName : BaselineName, auc, chosenTrees ? treesCv : baselineCv,
            new TrainerScore(TreesName, treesAuc, treesCv), new TrainerScore(BaselineName, baselineAuc, baselineCv),
            labels.Count, labels.Count(l => l), test.Count, ChurnMetrics.Calibration(predicted, testLabels), importance, chosen);
    }

    /// <summary>Indexes split into training and held-out parts, the same share of each class in both.</summary>
    public static (List<int> Train, List<int> Test) Split(IReadOnlyList<bool> labels, double share, Random random)
    {
        var train = new List<int>();
        var test = new List<int>();
        foreach (var cls in new[] { true, false })
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == cls).ToArray();
            random.Shuffle(members);
            var cut = (int)Math.Round(members.Length * share);
            test.AddRange(members[..cut]);
            train.AddRange(members[cut..]);
        }

        train.Sort();
        test.Sort();
        return (train, test);
    }

    private double CrossValidate(MLContext ml, List<ChurnRow> rows, int width, string trainer, Random random)
    {
        var fold = new int[rows.Count];
        foreach (var cls in new[] { true, false })
        {
            var members = Enumerable.Range(0, rows.Count).Where(i => rows[i].Label == cls).ToArray();
            random.Shuffle(members);
            for (var k = 0; k < members.Length; k++)
            {
                fold[members[k]] = k % Folds;
            }
        }

        var aucs = new List<double>();
        for (var k = 0; k < Folds; k++)
        {
            var fit = rows.Where((_, i) => fold[i] != k).ToList();
            var check = rows.Where((_, i) => fold[i] == k).ToList();
            if (fit.Select(r => r.Label).Distinct().Count() < 2 || check.Select(r => r.Label).Distinct().Count() < 2)
            {
                continue;
            }

            var model = Fit(ml, fit, width, trainer);
            aucs.Add(ChurnMetrics.Auc(model.Probabilities(check), check.Select(r => r.Label).ToList()));
        }

        return aucs.Count == 0 ? 0.5 : aucs.Average();
    }

    public ChurnPredictor Fit(MLContext ml, List<ChurnRow> rows, int width, string trainer)
    {
        var data = ml.Data.LoadFromEnumerable(rows, ChurnPredictor.Definition(width));
        if (trainer == TreesName)
        {
            var trees = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfLeaves = 16,
                NumberOfTrees = Trees,
                MinimumExampleCountPerLeaf = 20,
                LearningRate = 0.05,
                FeatureFraction = 0.8,
                Shrinkage = 1,
            }).Fit(data);
            var explain = ml.Transforms.CalculateFeatureContribution(trees, ChurnPredictor.ContributionsKept, ChurnPredictor.ContributionsKept, normalize: false)
                .Fit(trees.Transform(data));
            return new ChurnPredictor(ml, trees, new TransformerChain<ITransformer>(trees, explain), width, ChurnTreeScorer.From(trees.Model, width));
        }

        var normaliser = ml.Transforms.NormalizeMeanVariance("Features").Fit(data);
        var normalised = normaliser.Transform(data);
        var linear = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L1Regularization = 0,
            L2Regularization = 1,
        }).Fit(normalised);
        // On standardised features a contribution is coefficient × (x − mean) / sd: how far this customer's value moves the log-odds.
        var contributions = ml.Transforms.CalculateFeatureContribution(linear, ChurnPredictor.ContributionsKept, ChurnPredictor.ContributionsKept, normalize: false)
            .Fit(linear.Transform(normalised));
        return new ChurnPredictor(ml, new TransformerChain<ITransformer>(normaliser, linear), new TransformerChain<ITransformer>(normaliser, linear, contributions), width);
    }

    private static List<FeatureImportance> PermutationImportance(
        ChurnPredictor model, List<ChurnRow> rows, List<bool> labels, double auc, IReadOnlyList<string> names, Random random)
    {
        var result = new List<FeatureImportance>();
        for (var j = 0; j < names.Count; j++)
        {
            var values = rows.Select(r => r.Features[j]).ToArray();
            random.Shuffle(values);
            var shuffled = rows.Select((r, i) =>
            {
                var copy = (float[])r.Features.Clone();
                copy[j] = values[i];
                return new ChurnRow { Label = r.Label, Features = copy };
            }).ToList();
            result.Add(new FeatureImportance(names[j], Math.Round(auc - ChurnMetrics.Auc(model.Probabilities(shuffled), labels), 5)));
        }

        return result.OrderByDescending(f => f.Importance).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
    }
}
