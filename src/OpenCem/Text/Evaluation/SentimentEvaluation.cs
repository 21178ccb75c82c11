using OpenCem.Text.Analysis;

namespace OpenCem.Text.Evaluation;

/// <summary>The analyser against a labelled set, next to the majority class and the plain VADER-style baseline, in one run.</summary>
public sealed record SentimentEvaluation(string Set, ClassificationReport Analyzer, ClassificationReport Majority, ClassificationReport Baseline)
{
    /// <param name="language">"en", "de" or null to detect per text.</param>
    public static SentimentEvaluation Run(string set, IReadOnlyList<LabelledText> rows, TextAnalyzer analyzer, string? language = null)
    {
        var truth = rows.Select(r => r.Label).ToList();
        var predicted = rows.Select(r => analyzer.AnalyzeSentiment(r.Text, language).Label).ToList();
        var baseline = rows.Select(r => TextAnalyzer.BaselineSentiment(r.Text, language).Label).ToList();
        var majorityLabel = truth.Count == 0 ? "neutral" : truth.GroupBy(t => t).OrderByDescending(g => g.Count()).First().Key;
        return new SentimentEvaluation(
            set,
            ClassificationReport.Compute("analyzer", truth, predicted),
            ClassificationReport.Compute($"majority ({majorityLabel})", truth, truth.Select(_ => majorityLabel).ToList()),
            ClassificationReport.Compute("vader-style baseline", truth, baseline));
    }
}
