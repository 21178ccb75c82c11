using System.Globalization;

namespace OpenCem.Value.Churn;

public enum FeatureKind
{
    Number,
    Category,
    Count,
    Measure,
    Tenure,
    Lifecycle,
    Missing,
}

/// <summary>One column of the feature vector: where its value comes from and what fills it when unknown.</summary>
public sealed record FeatureColumn(string Name, FeatureKind Kind, string Source, string? Category, double Fill);

/// <summary>A trait or feature left out of the model, and why (the label itself, excluded, identifier-like, derived from the label).</summary>
public sealed record LeftOut(string Name, string Reason);

/// <summary>
/// Turns <see cref="ChurnFacts"/> into numbers, the same way for training and for scoring. Built from the training
/// customers: traits whose values parse as numbers (at least 95 % of the non-blank ones, so a few blanks such as a
/// new customer's empty TotalCharges become "missing") are numbers, other traits one column per frequent value (at
/// most <see cref="MaxCategories"/>); unknown measures are filled with the mean and get a "(missing)" indicator.
/// Never features: the label's trait, the excluded names, identifier-like traits (a different value for nearly
/// every customer) and any column that alone separates churned from staying customers (AUC ≥ 0.995: derived from
/// the label). Pure.
/// </summary>
public sealed class ChurnFeatureSchema
{
    public const int MaxCategories = 20;
    private const double LeakAuc = 0.995;

    public ChurnFeatureSchema(IReadOnlyList<FeatureColumn> columns) => Columns = columns;

    public IReadOnlyList<FeatureColumn> Columns { get; }

    public static (ChurnFeatureSchema Schema, IReadOnlyList<LeftOut> LeftOut) Build(IReadOnlyList<ChurnFacts> facts, ChurnLabel label, IReadOnlyCollection<string> exclude)
    {
        var excluded = new HashSet<string>(exclude, StringComparer.OrdinalIgnoreCase);
        var leftOut = new List<LeftOut>();
        var columns = new List<FeatureColumn>();
        var n = facts.Count;
        foreach (var trait in facts.SelectMany(f => f.Traits.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (label.Trait is { } labelTrait && string.Equals(trait, labelTrait, StringComparison.OrdinalIgnoreCase))
            {
                leftOut.Add(new LeftOut(trait, "the label"));
                continue;
            }

            if (excluded.Contains(trait))
            {
                leftOut.Add(new LeftOut(trait, "excluded"));
                continue;
            }

            var values = facts.Select(f => f.Traits.TryGetValue(trait, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null).Where(v => v is not null).Select(v => v!).ToList();
            if (values.Count < Math.Max(2, n / 100))
            {
                continue;
            }

            var numbers = values.Select(Number).Where(v => v is not null).Select(v => v!.Value).ToList();
            var distinct = values.Distinct(StringComparer.Ordinal).Count();
            if (numbers.Count >= 0.95 * values.Count)
            {
                if (distinct == values.Count && values.Count > 50 && numbers.All(v => v == Math.Floor(v)))
                {
                    leftOut.Add(new LeftOut(trait, "identifier-like (a different whole number for every customer)"));
                    continue;
                }

                columns.Add(new FeatureColumn(trait, FeatureKind.Number, trait, null, numbers.Average()));
                if (values.Count < n)
                {
                    columns.Add(new FeatureColumn(trait + " (missing)", FeatureKind.Missing, trait, null, 0));
                }

                continue;
            }

            if (distinct >= 0.9 * values.Count && values.Count > 20)
            {
                leftOut.Add(new LeftOut(trait, "identifier-like (a different value for nearly every customer)"));
                continue;
            }

            var minimum = Math.Max(5, n / 200);
            foreach (var value in values.GroupBy(v => v, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() >= minimum)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(MaxCategories))
            {
                columns.Add(new FeatureColumn($"{trait} = {value.Key}", FeatureKind.Category, trait, value.Key, 0));
            }
        }

        columns.Add(new FeatureColumn(ChurnFeatureNames.TenureDays, FeatureKind.Tenure, ChurnFeatureNames.TenureDays, null,
            facts.Select(f => f.TenureDays).Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty(0).Average()));
        foreach (var stage in facts.Select(f => f.Lifecycle).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            columns.Add(new FeatureColumn($"{ChurnFeatureNames.Lifecycle} = {stage}", FeatureKind.Lifecycle, ChurnFeatureNames.Lifecycle, stage, 0));
        }

        foreach (var count in facts.SelectMany(f => f.Counts.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (excluded.Contains(count))
            {
                leftOut.Add(new LeftOut(count, "excluded"));
            }
            else if (facts.Count(f => f.Counts.GetValueOrDefault(count) != 0) >= 5)
            {
                columns.Add(new FeatureColumn(count, FeatureKind.Count, count, null, 0));
            }
        }

        foreach (var measure in facts.SelectMany(f => f.Measures.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var known = facts.Where(f => f.Measures.ContainsKey(measure)).Select(f => f.Measures[measure]).ToList();
            if (excluded.Contains(measure))
            {
                leftOut.Add(new LeftOut(measure, "excluded"));
                continue;
            }

            if (known.Count < 5)
            {
                continue;
            }

            columns.Add(new FeatureColumn(measure, FeatureKind.Measure, measure, null, known.Average()));
            if (known.Count < n)
            {
                columns.Add(new FeatureColumn(measure + " (missing)", FeatureKind.Missing, measure, null, 0));
            }
        }

        var draft = new ChurnFeatureSchema(columns);
        var rows = facts.Select(draft.Row).ToList();
        var labels = facts.Select(f => f.Churned).ToArray();
        var keep = new List<FeatureColumn>();
        var leaking = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < columns.Count; j++)
        {
            var column = rows.Select(r => (double)r[j]).ToArray();
            if (column.Min() == column.Max())
            {
                continue;
            }

            var auc = ChurnMetrics.Auc(column, labels);
            if (labels.Distinct().Count() == 2 && (auc >= LeakAuc || auc <= 1 - LeakAuc))
            {
                leaking.Add(columns[j].Source);
            }
        }

        for (var j = 0; j < columns.Count; j++)
        {
            if (leaking.Contains(columns[j].Source))
            {
                continue;
            }

            var first = rows.Count > 0 ? rows[0][j] : 0;
            if (rows.Exists(r => r[j] != first))
            {
                keep.Add(columns[j]);
            }
        }

        leftOut.AddRange(leaking.Order(StringComparer.Ordinal).Select(s => new LeftOut(s, "derived from the label (it alone separates churned from staying customers)")));
        return (new ChurnFeatureSchema(keep), leftOut);
    }

    public int Count => Columns.Count;

    /// <summary>The customer's feature vector.</summary>
    public float[] Row(ChurnFacts facts)
    {
        var row = new float[Columns.Count];
        for (var j = 0; j < row.Length; j++)
        {
            row[j] = (float)Value(Columns[j], facts);
        }

        return row;
    }

    /// <summary>The text of a column's value for a customer, as shown among the reasons.</summary>
    public static string Display(FeatureColumn column, ChurnFacts facts) => column.Kind switch
    {
        FeatureKind.Category => facts.Traits.TryGetValue(column.Source, out var v) ? v : "",
        FeatureKind.Lifecycle => facts.Lifecycle,
        _ => Value(column, facts).ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static double Value(FeatureColumn column, ChurnFacts facts) => column.Kind switch
    {
        FeatureKind.Number => facts.Traits.TryGetValue(column.Source, out var text) && Number(text) is { } v ? v : column.Fill,
        FeatureKind.Category => facts.Traits.TryGetValue(column.Source, out var text) && string.Equals(text.Trim(), column.Category, StringComparison.OrdinalIgnoreCase) ? 1 : 0,
        FeatureKind.Count => facts.Counts.GetValueOrDefault(column.Source),
        FeatureKind.Measure => facts.Measures.TryGetValue(column.Source, out var m) ? m : column.Fill,
        FeatureKind.Tenure => facts.TenureDays ?? column.Fill,
        FeatureKind.Lifecycle => facts.Lifecycle == column.Category ? 1 : 0,
        FeatureKind.Missing => facts.Measures.ContainsKey(column.Source) || (facts.Traits.TryGetValue(column.Source, out var t) && Number(t) is not null) ? 0 : 1,
        _ => 0,
    };

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
}
