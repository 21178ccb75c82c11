using OpenCem.Value.Churn;
using Xunit.Abstractions;

namespace OpenCem.Tests.Value;

/// <summary>The churn model on a Telco-like table, in memory: held-out quality, trees against the baseline, no leakage.</summary>
public sealed class ChurnModelTests(ITestOutputHelper output)
{
    private static readonly Lazy<(ChurnTraining Training, ChurnFeatureSchema Schema, IReadOnlyList<LeftOut> LeftOut)> Telco = new(() =>
    {
        var label = ChurnLabel.Parse("trait:Churn=Yes").Label!;
        var facts = ChurnTelcoTable.Generate(7000, seed: 3).Select((row, i) =>
        {
            var f = new ChurnFacts(i + 1);
            foreach (var (name, value) in row)
            {
                f.Traits[name] = value;
            }

            // A trait copied from the label under another name: must never become a feature.
            f.Traits["churnFlag"] = row["Churn"] == "Yes" ? "1" : "0";
            f.Churned = label.Matches(row["Churn"]);
            return f;
        }).ToList();
        var (schema, leftOut) = ChurnFeatureSchema.Build(facts, label, ["customerID"]);
        var training = new ChurnTrainer().Train(facts.Select(schema.Row).ToList(), facts.Select(f => f.Churned).ToList(), schema.Columns.Select(c => c.Name).ToList());
        return (training, schema, leftOut);
    });

    [Fact]
    public void Train_TelcoLikeTable_HeldOutAucNearTheTelcoBenchmark()
    {
        var training = Telco.Value.Training;
        output.WriteLine($"held-out AUC {training.Auc:0.000}, cvAuc {training.CvAuc:0.000}; trees {training.Trees}; logistic {training.Baseline}; positives {training.Positives}");
        Assert.Equal(7000, training.N);
        Assert.Equal(1400, training.HeldOut);
        Assert.InRange(training.Auc, 0.80, 0.92);
        Assert.InRange(training.CvAuc, 0.80, 0.92);
        Assert.Equal(10, training.Calibration.Count);
        Assert.Equal(1400, training.Calibration.Sum(b => b.N));
        // Calibrated: the riskiest decile churns far more than the safest, and predictions follow the observed rates.
        Assert.True(training.Calibration[^1].ObservedRate > 4 * training.Calibration[0].ObservedRate);
        Assert.All(training.Calibration, b => Assert.InRange(b.MeanPredicted - b.ObservedRate, -0.12, 0.12));
    }

    [Fact]
    public void Train_NonLinearTruth_BoostedTreesAtLeastTheLogisticBaseline()
    {
        var training = Telco.Value.Training;
        Assert.True(training.Trees.Auc >= training.Baseline.Auc, $"trees {training.Trees.Auc} vs logistic {training.Baseline.Auc}");
        Assert.True(training.Trees.CvAuc >= training.Baseline.CvAuc, $"trees {training.Trees.CvAuc} vs logistic {training.Baseline.CvAuc}");
        Assert.Equal(ChurnTrainer.TreesName, training.Trainer);
    }

    [Fact]
    public void Train_TelcoLikeTable_ImportantFeaturesAreThePlantedCauses()
    {
        var top = Telco.Value.Training.Features.Take(5).Select(f => f.Name).ToList();
        Assert.Contains(top, n => n.StartsWith("Contract", StringComparison.Ordinal) || n == "tenure");
        Assert.Contains(top, n => n.StartsWith("TechSupport", StringComparison.Ordinal) || n.StartsWith("InternetService", StringComparison.Ordinal));
    }

    [Fact]
    public void BuildFeatures_LabelCopiesAndIdentifiers_NeverFeatures()
    {
        var (_, schema, leftOut) = Telco.Value;
        var sources = schema.Columns.Select(c => c.Source).ToHashSet();
        Assert.DoesNotContain("Churn", sources);
        Assert.DoesNotContain("churnFlag", sources);
        Assert.DoesNotContain("customerID", sources);
        Assert.Contains(new LeftOut("Churn", "the label"), leftOut);
        Assert.Contains(leftOut, l => l.Name == "churnFlag" && l.Reason.StartsWith("derived from the label", StringComparison.Ordinal));
        // TotalCharges is a number despite the blanks of new customers, with an indicator for them.
        Assert.Contains(schema.Columns, c => c.Name == "TotalCharges" && c.Kind == FeatureKind.Number);
        Assert.Contains(schema.Columns, c => c.Name == "Contract = Month-to-month" && c.Kind == FeatureKind.Category);
    }

    [Fact]
    public void BuildFeatures_UniqueTextTrait_IsIdentifierLike()
    {
        var label = ChurnLabel.Parse("trait:Churn=Yes").Label!;
        var facts = Enumerable.Range(0, 100).Select(i =>
        {
            var f = new ChurnFacts(i);
            f.Traits["email"] = $"person{i}@example.com";
            f.Traits["plan"] = i % 3 == 0 ? "gold" : "basic";
            f.Traits["Churn"] = i % 4 == 0 ? "Yes" : "No";
            f.Churned = i % 4 == 0;
            return f;
        }).ToList();
        var (schema, leftOut) = ChurnFeatureSchema.Build(facts, label, []);
        Assert.Contains(leftOut, l => l.Name == "email" && l.Reason.StartsWith("identifier-like", StringComparison.Ordinal));
        Assert.DoesNotContain(schema.Columns, c => c.Source == "email");
        Assert.Contains(schema.Columns, c => c.Source == "plan");
    }

    [Fact]
    public void TreeScorer_SameProbabilitiesAsMlNet_ContributionsAddUpToTheScore()
    {
        var label = ChurnLabel.Parse("trait:Churn=Yes").Label!;
        var facts = ChurnTelcoTable.Generate(1500, seed: 8).Select((row, i) =>
        {
            var f = new ChurnFacts(i);
            foreach (var (name, value) in row)
            {
                f.Traits[name] = value;
            }

            f.Churned = label.Matches(row["Churn"]);
            return f;
        }).ToList();
        var (schema, _) = ChurnFeatureSchema.Build(facts, label, ["customerID"]);
        var rows = facts.Select(f => new ChurnRow { Label = f.Churned, Features = schema.Row(f) }).ToList();
        var model = new ChurnTrainer { Trees = 40 }.Fit(new Microsoft.ML.MLContext(3), rows, schema.Count, ChurnTrainer.TreesName);
        var expected = model.Probabilities(rows);
        var direct = model.Explain(rows.Select(r => r.Features)).ToList();
        var withMl = model.ExplainWithMl(rows.Select(r => r.Features)).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(expected[i], direct[i].Risk, 4);
            Assert.Equal(expected[i], withMl[i].Risk, 4);
        }

        // The path contributions differ from customer to customer and explain the spread of the scores.
        var sums = direct.Select(d => d.Contributions.Sum()).ToList();
        var logits = direct.Select(d => Math.Log(d.Risk / (1 - d.Risk))).ToList();
        Assert.True(Correlation(sums, logits) > 0.99);
    }

    private static double Correlation(IReadOnlyList<float> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }

    [Theory]
    [InlineData("trait:Churn=Yes", "Churn", null, 0)]
    [InlineData("event:Contract Cancelled within 90", null, "Contract Cancelled", 90)]
    public void ParseLabel_BothForms_Read(string text, string? trait, string? ev, int days)
    {
        var (label, error) = ChurnLabel.Parse(text);
        Assert.Null(error);
        Assert.Equal((trait, ev, days), (label!.Trait, label.Event, label.Days));
    }

    [Theory]
    [InlineData("")]
    [InlineData("churn")]
    [InlineData("event:Contract Cancelled within 0")]
    [InlineData("trait:=Yes")]
    public void ParseLabel_Malformed_SaysWhy(string text)
    {
        var (label, error) = ChurnLabel.Parse(text);
        Assert.Null(label);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Auc_KnownRanking_IsMannWhitney()
    {
        Assert.Equal(1.0, ChurnMetrics.Auc([0.1, 0.2, 0.8, 0.9], [false, false, true, true]));
        Assert.Equal(0.5, ChurnMetrics.Auc([0.5, 0.5], [false, true]));
        Assert.Equal(0.75, ChurnMetrics.Auc([0.1, 0.6, 0.5, 0.9], [false, false, true, true]));
    }
}
