using System.Globalization;

namespace OpenCem.Value.Churn;

/// <summary>
/// Builds the feature vectors of <see cref="ChurnFeatureSchema.Row"/> for many customers with the columns grouped by
/// where they read from, worked out once per scoring run: each trait is looked up and parsed once per customer (not
/// once per column), and a category is found by its value instead of comparing the trait with every category's
/// column. The vectors are the same to the bit (a test compares them). Pure.
/// </summary>
public sealed class ChurnFeatureRows
{
    private readonly int _width;
    private readonly TraitColumns[] _traits;
    private readonly (int Column, string Source)[] _counts;
    private readonly (int Column, string Source, double Fill)[] _measures;
    private readonly (int Column, string Source)[] _measureMissing;
    private readonly (int Column, double Fill)[] _tenure;
    private readonly Dictionary<string, int[]> _lifecycle;

    public ChurnFeatureRows(ChurnFeatureSchema schema)
    {
        _width = schema.Count;
        var traits = new Dictionary<string, TraitColumns>(StringComparer.Ordinal);
        TraitColumns Trait(string source) => traits.TryGetValue(source, out var t) ? t : traits[source] = new TraitColumns(source);
        var counts = new List<(int, string)>();
        var measures = new List<(int, string, double)>();
        var measureMissing = new List<(int, string)>();
        var tenure = new List<(int, double)>();
        var lifecycle = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var measureSources = schema.Columns.Where(c => c.Kind == FeatureKind.Measure).Select(c => c.Source).ToHashSet(StringComparer.Ordinal);
        for (var j = 0; j < schema.Count; j++)
        {
            var column = schema.Columns[j];
            switch (column.Kind)
            {
                case FeatureKind.Number:
                    Trait(column.Source).Numbers.Add((j, column.Fill));
                    break;
                case FeatureKind.Category:
                    Trait(column.Source).Categories.Add((j, column.Category ?? ""));
                    break;
                case FeatureKind.Count:
                    counts.Add((j, column.Source));
                    break;
                case FeatureKind.Measure:
                    measures.Add((j, column.Source, column.Fill));
                    break;
                case FeatureKind.Tenure:
                    tenure.Add((j, column.Fill));
                    break;
                case FeatureKind.Lifecycle:
                    if (column.Category is { } stage)
                    {
                        (lifecycle.TryGetValue(stage, out var list) ? list : lifecycle[stage] = []).Add(j);
                    }

                    break;
                case FeatureKind.Missing:
                    // Missing when neither a measure nor a numeric trait of that name is known: both are checked.
                    measureMissing.Add((j, column.Source));
                    Trait(column.Source).Missing.Add(j);
                    break;
            }
        }

        _traits = [.. traits.Values];
        foreach (var trait in _traits)
        {
            trait.Freeze();
        }

        (_counts, _measures, _measureMissing, _tenure) = ([.. counts], [.. measures], [.. measureMissing], [.. tenure]);
        _lifecycle = lifecycle.ToDictionary(l => l.Key, l => l.Value.ToArray(), StringComparer.Ordinal);
    }

    public int Width => _width;

    /// <summary>The customer's feature vector, equal to <see cref="ChurnFeatureSchema.Row"/>.</summary>
    public float[] Row(ChurnFacts facts)
    {
        var row = new float[_width];
        foreach (var (column, source) in _measureMissing)
        {
            row[column] = facts.Measures.ContainsKey(source) ? 0 : 1;
        }

        foreach (var trait in _traits)
        {
            trait.Fill(facts, row);
        }

        foreach (var (column, source) in _counts)
        {
            row[column] = (float)facts.Counts.GetValueOrDefault(source);
        }

        foreach (var (column, source, fill) in _measures)
        {
            row[column] = (float)(facts.Measures.TryGetValue(source, out var m) ? m : fill);
        }

        foreach (var (column, fill) in _tenure)
        {
            row[column] = (float)(facts.TenureDays ?? fill);
        }

        if (_lifecycle.TryGetValue(facts.Lifecycle, out var stages))
        {
            foreach (var column in stages)
            {
                row[column] = 1;
            }
        }

        return row;
    }

    private sealed class TraitColumns(string source)
    {
        private Dictionary<string, int[]> _byCategory = [];

        public List<(int Column, double Fill)> Numbers { get; } = [];

        public List<(int Column, string Category)> Categories { get; } = [];

        public List<int> Missing { get; } = [];

        public void Freeze() => _byCategory = Categories.GroupBy(c => c.Category, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Column).ToArray(), StringComparer.OrdinalIgnoreCase);

        public void Fill(ChurnFacts facts, float[] row)
        {
            var known = facts.Traits.TryGetValue(source, out var text);
            var number = known && (Numbers.Count > 0 || Missing.Count > 0) ? Number(text!) : null;
            foreach (var (column, fill) in Numbers)
            {
                row[column] = (float)(number ?? fill);
            }

            if (number is not null)
            {
                // Only clears: the measure pass set 1 where no measure of this name is known.
                foreach (var column in Missing)
                {
                    row[column] = 0;
                }
            }

            if (known && _byCategory.Count > 0 && _byCategory.TryGetValue(text!.Trim(), out var columns))
            {
                foreach (var column in columns)
                {
                    row[column] = 1;
                }
            }
        }

        private static double? Number(string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
    }
}
