namespace OpenCem.Organisation.Pulse;

/// <summary>
/// Every group a pulse query can ask for, with its number of answers: each combination of any-or-one-value per
/// attribute, in each node of a period tree (quarters under years under all). Built from the finest cells (a quarter
/// and a value of every attribute); a group's count is the sum of the cells it covers. Pure.
/// </summary>
public sealed class PulseLattice
{
    private readonly int[] _parents;

    /// <param name="periodParents">Per period node, its parent node, or −1 for the root.</param>
    /// <param name="attributes">How many attributes (at most <see cref="PulseGroup.MaxAttributes"/>).</param>
    public PulseLattice(IReadOnlyList<int> periodParents, int attributes)
    {
        if (attributes is < 0 or > PulseGroup.MaxAttributes)
        {
            throw new ArgumentOutOfRangeException(nameof(attributes), $"at most {PulseGroup.MaxAttributes} attributes");
        }

        _parents = [.. periodParents];
        Attributes = attributes;
    }

    public int Attributes { get; }

    /// <summary>The non-empty groups and their counts.</summary>
    public Dictionary<PulseGroup, long> Counts { get; } = [];

    public int ParentPeriod(int period) => _parents[period];

    /// <summary>Adds <paramref name="n"/> answers of a finest cell (every attribute with a value, 1–255) to every group covering it.</summary>
    public void Add(int period, ReadOnlySpan<int> values, long n)
    {
        if (n <= 0)
        {
            return;
        }

        var cell = new PulseGroup(period, PulseGroup.Pack(values));
        for (var p = period; p >= 0; p = _parents[p])
        {
            for (var mask = 0; mask < 1 << Attributes; mask++)
            {
                var group = Generalise(cell with { Period = p }, mask);
                Counts[group] = Counts.GetValueOrDefault(group) + n;
            }
        }
    }

    public long Count(PulseGroup group) => Counts.GetValueOrDefault(group);

    /// <summary>Every group that strictly contains <paramref name="group"/>: a coarser period, fewer fixed attributes, or both.</summary>
    public IEnumerable<PulseGroup> Ancestors(PulseGroup group)
    {
        var fixedAttributes = 0;
        for (var a = 0; a < Attributes; a++)
        {
            fixedAttributes |= group.Value(a) != 0 ? 1 << a : 0;
        }

        for (var p = group.Period; p >= 0; p = _parents[p])
        {
            // Every subset of the fixed attributes released to "any".
            for (var mask = fixedAttributes; ; mask = (mask - 1) & fixedAttributes)
            {
                var ancestor = Generalise(group with { Period = p }, mask);
                if (ancestor != group)
                {
                    yield return ancestor;
                }

                if (mask == 0)
                {
                    break;
                }
            }
        }
    }

    /// <summary>
    /// The lines of the lattice: a group and one way of splitting it into disjoint children that add up to it (by the
    /// values of one attribute it leaves open, or a period into its child periods). Split −1 is the period split.
    /// </summary>
    public Dictionary<(PulseGroup Parent, int Split), List<PulseGroup>> Lines()
    {
        var lines = new Dictionary<(PulseGroup, int), List<PulseGroup>>();
        foreach (var group in Counts.Keys)
        {
            for (var a = 0; a < Attributes; a++)
            {
                if (group.Value(a) != 0)
                {
                    Append(lines, (group.With(a, 0), a), group);
                }
            }

            if (_parents[group.Period] is var parent and >= 0)
            {
                Append(lines, (group with { Period = parent }, -1), group);
            }
        }

        return lines;
    }

    private static void Append(Dictionary<(PulseGroup, int), List<PulseGroup>> lines, (PulseGroup, int) key, PulseGroup child)
    {
        if (!lines.TryGetValue(key, out var children))
        {
            lines[key] = children = [];
        }

        children.Add(child);
    }

    private PulseGroup Generalise(PulseGroup group, int mask)
    {
        for (var a = 0; a < Attributes; a++)
        {
            if ((mask & (1 << a)) != 0)
            {
                group = group.With(a, 0);
            }
        }

        return group;
    }
}
