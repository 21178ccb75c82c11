namespace OpenCem.Organisation.Pulse;

/// <summary>
/// Which groups of employee answers may be shown, so that no group of fewer than the minimum can be seen or worked
/// out. Pure, and the one place every employee read path asks. The rules, applied until nothing changes:
/// <list type="number">
/// <item>a group with fewer answers than the minimum is suppressed (primary suppression);</item>
/// <item>what a reader knows is the shown groups plus what follows from them: in a line (a group and its children
/// by one attribute, or a period and its sub-periods) a known parent with one unknown child gives the child, and
/// known children give the parent;</item>
/// <item>in every line with a known parent, the unknown children together must hold none or at least the minimum
/// (complementary suppression: otherwise removing one filter value reveals a small group) — else one more child goes;</item>
/// <item>two known groups, one inside the other, must differ by none or at least the minimum (differencing) — else
/// the inner one goes;</item>
/// <item>a known group must have at least the minimum.</item>
/// </list>
/// A group that must go but was worked out rather than shown goes by suppressing the smallest shown group of the line
/// it was worked out from (or, failing that, every group of its period). Groups are only ever suppressed, so the loop
/// ends; with nothing shown nothing can be worked out.
/// </summary>
public static class AnonymityPolicy
{
    public const int DefaultMinimum = 5;

    /// <summary>No configuration may go below this.</summary>
    public const int Floor = 3;

    private const int MaxDepth = 6;

    public static int Effective(int? configured) => Math.Max(Floor, configured ?? DefaultMinimum);

    /// <summary>The groups of <paramref name="lattice"/> that may be shown (every other group is suppressed).</summary>
    public static HashSet<PulseGroup> Shown(PulseLattice lattice, int minimum)
    {
        minimum = Math.Max(Floor, minimum);
        var shown = lattice.Counts.Where(c => c.Value >= minimum).Select(c => c.Key).ToHashSet();
        var lines = lattice.Lines();
        while (true)
        {
            var known = Known(shown, lines);
            var suppress = new HashSet<PulseGroup>();
            var periods = new HashSet<int>();
            foreach (var ((parent, _), children) in lines)
            {
                if (!known.ContainsKey(parent))
                {
                    continue;
                }

                var hidden = children.Where(c => !known.ContainsKey(c)).Sum(lattice.Count);
                if (hidden > 0 && hidden < minimum)
                {
                    // The smallest known child goes too (shown ones first: they are the cheapest to take back).
                    var candidates = children.Where(known.ContainsKey).OrderBy(c => shown.Contains(c) ? 0 : 1).ThenBy(lattice.Count).ToList();
                    if (!candidates.Any(c => Hide(c, 0)))
                    {
                        periods.Add(parent.Period);
                    }
                }
            }

            foreach (var (group, _) in known)
            {
                var n = lattice.Count(group);
                if (n < minimum)
                {
                    if (!Hide(group, 0))
                    {
                        periods.Add(group.Period);
                    }

                    continue;
                }

                foreach (var ancestor in lattice.Ancestors(group))
                {
                    var difference = lattice.Count(ancestor) - n;
                    if (difference > 0 && difference < minimum && known.ContainsKey(ancestor))
                    {
                        if (!Hide(group, 0) && !Hide(ancestor, 0))
                        {
                            periods.Add(ancestor.Period);
                        }

                        break;
                    }
                }
            }

            if (suppress.Count == 0 && periods.Count == 0)
            {
                return shown;
            }

            shown.ExceptWith(suppress);
            shown.RemoveWhere(g => periods.Contains(g.Period));

            // Takes a known group away: suppresses it if shown, else the smallest shown group of the line it was worked out from.
            bool Hide(PulseGroup group, int depth)
            {
                if (suppress.Contains(group))
                {
                    return true;
                }

                if (shown.Contains(group))
                {
                    suppress.Add(group);
                    return true;
                }

                if (depth > MaxDepth || known.GetValueOrDefault(group) is not { } line)
                {
                    return false;
                }

                var others = line.Children.Append(line.Parent).Where(g => g != group && lattice.Count(g) > 0)
                    .OrderBy(g => shown.Contains(g) ? 0 : 1).ThenBy(lattice.Count).ToList();
                return others.Any(g => Hide(g, depth + 1));
            }
        }
    }

    /// <summary>
    /// The shown groups and everything that follows from them through the lines, each worked-out group with the line
    /// it came from (null for a shown group).
    /// </summary>
    public static Dictionary<PulseGroup, (PulseGroup Parent, List<PulseGroup> Children)?> Known(
        IReadOnlySet<PulseGroup> shown, Dictionary<(PulseGroup Parent, int Split), List<PulseGroup>> lines)
    {
        var known = shown.ToDictionary(g => g, _ => ((PulseGroup, List<PulseGroup>)?)null);
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var ((parent, _), children) in lines)
            {
                var parentKnown = known.ContainsKey(parent);
                var unknown = 0;
                var last = default(PulseGroup);
                foreach (var child in children)
                {
                    if (!known.ContainsKey(child))
                    {
                        unknown++;
                        last = child;
                    }
                }

                if (parentKnown && unknown == 1)
                {
                    changed |= known.TryAdd(last, (parent, children));
                }
                else if (!parentKnown && unknown == 0)
                {
                    changed |= known.TryAdd(parent, (parent, children));
                }
            }
        }

        return known;
    }
}
