namespace OpenCem.Text.Evaluation;

/// <summary>Precision, recall and F1 of one class.</summary>
public sealed record ClassScores(string Label, int Support, double Precision, double Recall, double F1);

/// <summary>
/// How well predicted labels match the true ones: accuracy (= micro-F1 for single-label classes), macro-F1 over
/// the classes present in the truth, per-class scores and the confusion matrix (rows truth, columns predicted).
/// </summary>
public sealed record ClassificationReport(string Name, int Count, double Accuracy, double MacroF1, IReadOnlyList<ClassScores> Classes, int[][] Confusion)
{
    public static readonly string[] Labels = ["negative", "neutral", "positive"];

    public static ClassificationReport Compute(string name, IReadOnlyList<string> truth, IReadOnlyList<string> predicted)
    {
        if (truth.Count != predicted.Count)
        {
            throw new ArgumentException("Truth and predictions differ in length.", nameof(predicted));
        }

        var confusion = Labels.Select(_ => new int[Labels.Length]).ToArray();
        for (var i = 0; i < truth.Count; i++)
        {
            confusion[Array.IndexOf(Labels, truth[i])][Array.IndexOf(Labels, predicted[i])]++;
        }

        var correct = Enumerable.Range(0, Labels.Length).Sum(c => confusion[c][c]);
        var classes = new List<ClassScores>();
        for (var c = 0; c < Labels.Length; c++)
        {
            var support = confusion[c].Sum();
            var predictedCount = confusion.Sum(row => row[c]);
            var precision = predictedCount == 0 ? 0 : (double)confusion[c][c] / predictedCount;
            var recall = support == 0 ? 0 : (double)confusion[c][c] / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            classes.Add(new ClassScores(Labels[c], support, precision, recall, f1));
        }

        var present = classes.Where(c => c.Support > 0).ToList();
        var macro = present.Count == 0 ? 0 : present.Average(c => c.F1);
        return new ClassificationReport(name, truth.Count, truth.Count == 0 ? 0 : (double)correct / truth.Count, macro, classes, confusion);
    }
}
