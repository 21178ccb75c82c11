using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using OpenCem.Customers;

namespace OpenCem.Value.Churn;

/// <summary>
/// Scores every customer of a workspace with a trained model, <see cref="ChunkSize"/> customers at a time (read facts,
/// build features, predict with contributions, store), so memory stays bounded however many customers there are.
/// </summary>
public static class ChurnScorer
{
    public const int ChunkSize = 20_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<long> ScoreAllAsync(
        DbConnection connection, long ws, long modelId, ChurnFeatureSchema schema, ChurnPredictor predictor, LifecycleRules rules, long now,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var ids = await ChurnFactsReader.CustomerIdsAsync(connection, ws);
        var touchpoints = await ChurnFactsReader.TouchpointKeysAsync(connection, ws);
        long scored = 0;
        for (var start = 0; start < ids.Count; start += ChunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = ids.Skip(start).Take(ChunkSize).ToList();
            var facts = await ChurnFactsReader.ReadAsync(connection, ws, chunk[0], chunk[^1], long.MaxValue, now, rules, touchpoints);
            var ordered = chunk.Where(facts.ContainsKey).Select(id => facts[id]).ToList();
            var scores = Score(schema, predictor, ordered);
            await ChurnScoreWriter.WriteAsync(connection, ws, modelId, now, scores, cancellationToken);
            scored += scores.Count;
            progress?.Report((double)(start + chunk.Count) / ids.Count);
        }

        await Equity.EquityTotalsStore.RefreshAsync(connection, null, ws, now);
        return scored;
    }

    /// <summary>Predicts and explains the customers' risk, in their order. Pure apart from the model.</summary>
    public static List<ChurnScore> Score(ChurnFeatureSchema schema, ChurnPredictor predictor, IReadOnlyList<ChurnFacts> customers)
    {
        var scores = new List<ChurnScore>(customers.Count);
        var i = 0;
        foreach (var prediction in predictor.Explain(customers.Select(schema.Row)))
        {
            var f = customers[i++];
            scores.Add(new ChurnScore(
                f.CustomerId,
                Math.Round(prediction.Risk, 5),
                JsonSerializer.Serialize(ChurnReasons.Top(schema, f, prediction.Contributions), Json),
                f.Lifecycle,
                TenureBand(f.TenureDays),
                string.Join(',', f.PoorTouchpoints.Order().Select(t => t.ToString(CultureInfo.InvariantCulture)))));
        }

        return scores;
    }

    /// <summary>The tenure band used to compare like with like.</summary>
    public static string TenureBand(double? days) => days switch
    {
        null => "unknown",
        < 182 => "under 6 months",
        < 365 => "6-12 months",
        < 730 => "1-2 years",
        < 1461 => "2-4 years",
        _ => "4 years or more",
    };
}
