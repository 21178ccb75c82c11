using Microsoft.ML;
using Microsoft.ML.Data;

namespace OpenCem.Value.Churn;

/// <summary>The rows ML.NET reads: the label and the feature vector (its width set per model).</summary>
public sealed class ChurnRow
{
    public bool Label { get; set; }

    public float[] Features { get; set; } = [];
}

/// <summary>A customer's predicted churn probability and each feature's contribution to it (zero outside the strongest few).</summary>
public readonly record struct ChurnPrediction(float Risk, float[] Contributions);

/// <summary>
/// A trained churn model ready to score: the ML.NET chain that predicts (<see cref="Model"/>) and the same chain with
/// per-customer feature contributions (<see cref="Explaining"/>). Scoring streams rows through the chain.
/// </summary>
public sealed class ChurnPredictor(MLContext ml, ITransformer model, ITransformer explaining, int width, ChurnTreeScorer? trees = null)
{
    public const int ContributionsKept = 3;

    public ITransformer Model { get; } = model;

    public ITransformer Explaining { get; } = explaining;

    public int Width { get; } = width;

    public IDataView Load(IEnumerable<ChurnRow> rows) => ml.Data.LoadFromEnumerable(rows, Definition(Width));

    public static SchemaDefinition Definition(int width)
    {
        var definition = SchemaDefinition.Create(typeof(ChurnRow));
        definition[nameof(ChurnRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return definition;
    }

    /// <summary>Probabilities only (evaluation, permutation importance).</summary>
    public double[] Probabilities(IReadOnlyList<ChurnRow> rows) =>
        Model.Transform(Load(rows)).GetColumn<float>("Probability").Select(p => (double)p).ToArray();

    /// <summary>One customer's prediction, safe to call from many threads at once; null when the model has only ML.NET's streaming path.</summary>
    public Func<float[], ChurnPrediction>? ExplainOne => trees is null ? null : trees.Predict;

    /// <summary>Probabilities with contributions, streamed in the rows' order.</summary>
    public IEnumerable<ChurnPrediction> Explain(IEnumerable<float[]> features) => trees is null ? ExplainWithMl(features) : features.Select(trees.Predict);

    /// <summary>Probabilities with ML.NET's feature contributions (all contributions kept by the transform).</summary>
    public IEnumerable<ChurnPrediction> ExplainWithMl(IEnumerable<float[]> features)
    {
        var output = Explaining.Transform(Load(features.Select(f => new ChurnRow { Features = f })));
        var probability = output.Schema["Probability"];
        var contributions = output.Schema["FeatureContributions"];
        using var cursor = output.GetRowCursor([probability, contributions]);
        var getProbability = cursor.GetGetter<float>(probability);
        var getContributions = cursor.GetGetter<VBuffer<float>>(contributions);
        float risk = 0;
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getProbability(ref risk);
            getContributions(ref buffer);
            var dense = new float[Width];
            buffer.CopyTo(dense);
            yield return new ChurnPrediction(risk, dense);
        }
    }

    /// <summary>The explaining chain, serialised (stored with the model's version).</summary>
    public byte[] Serialise()
    {
        using var stream = new MemoryStream();
        ml.Model.Save(Explaining, Load([]).Schema, stream);
        return stream.ToArray();
    }
}
