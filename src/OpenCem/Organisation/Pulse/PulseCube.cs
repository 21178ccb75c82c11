using OpenCem.Analytics.Metrics;

namespace OpenCem.Organisation.Pulse;

/// <summary>One rollup row of an employee survey: a question's answers of one month, segment and score bucket.</summary>
public sealed record PulseRollupRow(string Question, long Month, IReadOnlyDictionary<string, string> Segment, long Score, long N, double Total, double TotalSquares);

/// <summary>
/// An employee survey's answers per closed quarter and combination of employee attributes (the survey's
/// single-choice questions; "" when not answered), per question: the finest cells every pulse figure is a sum of.
/// Pure.
/// </summary>
public sealed class PulseCube
{
    private readonly Dictionary<string, Dictionary<PulseGroup, MetricTally>> _cells = new(StringComparer.Ordinal);

    private PulseCube(IReadOnlyList<string> attributes, List<List<string>> values, IReadOnlyList<PulsePeriod> periods)
    {
        Attributes = attributes;
        Values = values;
        Periods = periods;
    }

    /// <summary>The attribute names (questions of the survey, without <c>answer.</c>).</summary>
    public IReadOnlyList<string> Attributes { get; }

    /// <summary>Per attribute, its values; value index i + 1 in a <see cref="PulseGroup"/> is Values[a][i].</summary>
    public IReadOnlyList<IReadOnlyList<string>> Values { get; }

    public IReadOnlyList<PulsePeriod> Periods { get; }

    /// <param name="choices">Per attribute, the values it offers: listed in every report whether answered or not, so a listed value never tells that someone chose it.</param>
    public static PulseCube Build(IReadOnlyList<string> attributes, IReadOnlyList<IReadOnlyList<string>> choices, IEnumerable<PulseRollupRow> rows, long now)
    {
        var list = rows.ToList();
        var periods = PulsePeriods.Tree(list.Select(r => r.Month), now);
        var quarters = new Dictionary<long, int>();
        for (var i = 0; i < periods.Count; i++)
        {
            if (periods[i].Level == PulseLevel.Quarter)
            {
                quarters[periods[i].Start] = i;
            }
        }

        var values = attributes.Select((_, a) => choices[a].Append("").Distinct(StringComparer.Ordinal).Take(PulseGroup.MaxValues - 1).ToList()).ToList();
        var cube = new PulseCube(attributes, values, periods);
        Span<int> indexes = stackalloc int[attributes.Count];
        foreach (var row in list)
        {
            if (!quarters.TryGetValue(PulsePeriods.QuarterStart(row.Month), out var quarter))
            {
                continue;
            }

            for (var a = 0; a < attributes.Count; a++)
            {
                var value = row.Segment.GetValueOrDefault(MetricDimensions.AnswerPrefix + attributes[a]) ?? "";
                var index = values[a].IndexOf(value);
                if (index < 0)
                {
                    if (values[a].Count >= PulseGroup.MaxValues - 1)
                    {
                        value = "";
                        index = values[a].IndexOf(value);
                    }

                    if (index < 0)
                    {
                        values[a].Add(value);
                        index = values[a].Count - 1;
                    }
                }

                indexes[a] = index + 1;
            }

            if (!cube._cells.TryGetValue(row.Question, out var cells))
            {
                cube._cells[row.Question] = cells = [];
            }

            var cell = new PulseGroup(quarter, PulseGroup.Pack(indexes));
            var tally = cells.GetValueOrDefault(cell);
            tally.Add(row.Score, row.N, row.Total, row.TotalSquares);
            cells[cell] = tally;
        }

        return cube;
    }

    public IEnumerable<string> Questions => _cells.Keys;

    /// <summary>The lattice of one question's answer counts.</summary>
    public PulseLattice Lattice(string question)
    {
        var lattice = new PulseLattice(Periods.Select(p => p.Parent).ToList(), Attributes.Count);
        Span<int> indexes = stackalloc int[Attributes.Count];
        foreach (var (cell, tally) in _cells.GetValueOrDefault(question) ?? [])
        {
            for (var a = 0; a < Attributes.Count; a++)
            {
                indexes[a] = cell.Value(a);
            }

            lattice.Add(cell.Period, indexes, tally.N);
        }

        return lattice;
    }

    /// <summary>
    /// The groups of one question that <see cref="AnonymityPolicy"/> lets be shown at <paramref name="minimum"/>;
    /// remembered (<see cref="ShownMemo"/>) until the question's answers change. Every employee read path asks here.
    /// </summary>
    public IReadOnlySet<PulseGroup> Shown(string question, int minimum)
    {
        var cells = _cells.GetValueOrDefault(question) ?? [];
        var key = new ShownKey(minimum, Attributes.Count, [.. Periods.Select(p => p.Parent)], cells.Select(c => (c.Key, c.Value.N)));
        return ShownMemo.Shown(key, () => Lattice(question));
    }

    /// <summary>The sums of the cells a group covers.</summary>
    public MetricTally Tally(string question, PulseGroup group)
    {
        var total = default(MetricTally);
        foreach (var (cell, tally) in _cells.GetValueOrDefault(question) ?? [])
        {
            if (Covers(group, cell))
            {
                total.Add(tally);
            }
        }

        return total;
    }

    private bool Covers(PulseGroup group, PulseGroup cell)
    {
        if (cell.Period != group.Period && Periods[cell.Period].Parent != group.Period)
        {
            return false;
        }

        for (var a = 0; a < Attributes.Count; a++)
        {
            if (group.Value(a) != 0 && group.Value(a) != cell.Value(a))
            {
                return false;
            }
        }

        return true;
    }
}
