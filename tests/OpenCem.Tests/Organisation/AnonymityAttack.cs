using OpenCem.Organisation.Pulse;

namespace OpenCem.Tests.Organisation;

/// <summary>
/// An attacker who sees the shown groups' counts and knows the structure (the periods and every attribute's values):
/// it subtracts and adds along every line of the full lattice (empty groups included, as the API lists them) until
/// nothing new follows, then looks for a small group it knows, or two groups it knows, one inside the other, that
/// differ by a small number. Written apart from <see cref="AnonymityPolicy"/>, so it checks the policy rather than repeating it.
/// </summary>
internal static class AnonymityAttack
{
    /// <summary>A description of the first group of fewer than <paramref name="minimum"/> that can be isolated, or null.</summary>
    public static string? Isolate(IReadOnlyDictionary<PulseGroup, long> shown, IReadOnlyList<int> periodParents, IReadOnlyList<int> valueCounts, int minimum)
    {
        var groups = AllGroups(periodParents.Count, valueCounts);
        var lines = new List<(PulseGroup Parent, List<PulseGroup> Children)>();
        foreach (var group in groups)
        {
            for (var a = 0; a < valueCounts.Count; a++)
            {
                if (group.Value(a) == 0)
                {
                    lines.Add((group, [.. Enumerable.Range(1, valueCounts[a]).Select(v => group.With(a, v))]));
                }
            }

            var children = Enumerable.Range(0, periodParents.Count).Where(p => periodParents[p] == group.Period).Select(p => group with { Period = p }).ToList();
            if (children.Count > 0)
            {
                lines.Add((group, children));
            }
        }

        var known = new Dictionary<PulseGroup, long>(shown);
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (parent, children) in lines)
            {
                var unknown = children.Where(c => !known.ContainsKey(c)).ToList();
                if (known.TryGetValue(parent, out var total) && unknown.Count == 1)
                {
                    known[unknown[0]] = total - children.Where(known.ContainsKey).Sum(c => known[c]);
                    changed = true;
                }
                else if (!known.ContainsKey(parent) && unknown.Count == 0)
                {
                    known[parent] = children.Sum(c => known[c]);
                    changed = true;
                }
            }
        }

        foreach (var (group, n) in known)
        {
            if (n > 0 && n < minimum)
            {
                return $"group {Describe(group)} has {n}";
            }

            foreach (var (other, m) in known)
            {
                if (Inside(group, other, periodParents, valueCounts.Count) && m - n > 0 && m - n < minimum)
                {
                    return $"{Describe(other)} minus {Describe(group)} leaves {m - n}";
                }
            }
        }

        return null;
    }

    public static List<PulseGroup> AllGroups(int periods, IReadOnlyList<int> valueCounts)
    {
        var all = Enumerable.Range(0, periods).Select(p => new PulseGroup(p, 0)).ToList();
        for (var a = 0; a < valueCounts.Count; a++)
        {
            var attribute = a;
            all = [.. all.SelectMany(g => Enumerable.Range(0, valueCounts[attribute] + 1).Select(v => g.With(attribute, v)))];
        }

        return all;
    }

    /// <summary>Whether <paramref name="inner"/> is a strict subset of <paramref name="outer"/>.</summary>
    private static bool Inside(PulseGroup inner, PulseGroup outer, IReadOnlyList<int> periodParents, int attributes)
    {
        if (inner == outer)
        {
            return false;
        }

        var period = inner.Period;
        while (period != outer.Period && period >= 0)
        {
            period = periodParents[period];
        }

        return period == outer.Period && Enumerable.Range(0, attributes).All(a => outer.Value(a) == 0 || outer.Value(a) == inner.Value(a));
    }

    private static string Describe(PulseGroup group) => $"(period {group.Period}, values {group.Values:x})";
}
