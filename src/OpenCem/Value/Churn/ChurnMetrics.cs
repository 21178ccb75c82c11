namespace OpenCem.Value.Churn;

/// <summary>One decile of predicted risk: how many customers, their mean predicted risk and how many of them churned.</summary>
public sealed record CalibrationBin(int Decile, int N, double MeanPredicted, double ObservedRate);

/// <summary>ROC AUC and calibration of predicted churn probabilities. Pure.</summary>
public static class ChurnMetrics
{
    /// <summary>
    /// ROC AUC as the Mann–Whitney statistic: the chance that a churned customer scores above a staying one, ties
    /// counting half. 0.5 when only one class is present.
    /// </summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positives = labels.Count(l => l), negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return 0.5;
        }

        double rankSum = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            var rank = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++)
            {
                if (labels[order[k]])
                {
                    rankSum += rank;
                }
            }

            i = j + 1;
        }

        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>Customers sorted by predicted risk, cut into ten groups of (nearly) equal size.</summary>
    public static IReadOnlyList<CalibrationBin> Calibration(IReadOnlyList<double> predicted, IReadOnlyList<bool> labels, int bins = 10)
    {
        var order = Enumerable.Range(0, predicted.Count).OrderBy(i => predicted[i]).ToArray();
        var result = new List<CalibrationBin>();
        for (var b = 0; b < bins; b++)
        {
            var from = b * order.Length / bins;
            var to = (b + 1) * order.Length / bins;
            if (to <= from)
            {
                continue;
            }

            var members = order[from..to];
            result.Add(new CalibrationBin(b + 1, members.Length, members.Average(i => predicted[i]), members.Count(i => labels[i]) / (double)members.Length));
        }

        return result;
    }
}
