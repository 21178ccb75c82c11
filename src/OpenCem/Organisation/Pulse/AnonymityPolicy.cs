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
/// (complementary suppression: otherwise removing one filter value reveals a small group) — else the smallest shown
/// child is suppressed too;</item>
/// <item>two known groups, one inside the other, must differ by none or at least the minimum (differencing) — else
/// the inner one is suppressed;</item>
/// <item>a known group must have at least the minimum.</item>
/// </list>
/// Where a rule cannot be met by suppressing a child, the parent or, last, every group of that period goes. Since
/// groups are only ever suppressed, the loop ends; with nothing shown nothing can be worked out.
/// </summary>
public static class AnonymityPolicy
{
    public const int DefaultMinimum = 5;

    /// <summary>No configuration may go below this.</summary>
    public const int Floor = 3;

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
                if (!known.Contains(parent))
                {
                    continue;
                }

                var hidden = children.Where(c => !known.Contains(c)).Sum(lattice.Count);
                if (hidden > 0 && hidden < minimum)
                {
                    Hide(Smallest(children.Where(shown.Contains), lattice), parent);
                }
            }

            foreach (var group in known)
            {
                var n = lattice.Count(group);
                if (n < minimum)
                {
                    // Worked out although small: take away a shown sibling in a line that gives it.
                    var line = lines.FirstOrDefault(l => l.Value.Contains(group) && known.Contains(l.Key.Parent));
                    Hide(line.Value is null ? null : Smallest(line.Value.Where(shown.Contains), lattice), line.Value is null ? group : line.Key.Parent);
                    continue;
                }

                foreach (var ancestor in lattice.Ancestors(group))
                {
                    var difference = lattice.Count(ancestor) - n;
                    if (difference > 0 && difference < minimum && known.Contains(ancestor))
                    {
                        Hide(shown.Contains(group) ? group : null, ancestor);
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

            // Suppresses the group, or else the fallback if it is shown, or else everything of the fallback's period.
            void Hide(PulseGroup? group, PulseGroup fallback)
            {
                if (group is { } g && shown.Contains(g))
                {
                    suppress.Add(g);
                }
                else if (shown.Contains(fallback))
                {
                    suppress.Add(fallback);
                }
                else
                {
                    periods.Add(fallback.Period);
                }
            }
        }
    }

    private static PulseGroup? Smallest(IEnumerable<PulseGroup> groups, PulseLattice lattice)
    {
        PulseGroup? smallest = null;
        foreach (var group in groups)
        {
            if (smallest is not { } s || lattice.Count(group) < lattice.Count(s))
            {
                smallest = group;
            }
        }

        return smallest;
    }

    /// <summary>The shown groups and everything that follows from them through the lines.</summary>
    public static HashSet<PulseGroup> Known(IReadOnlySet<PulseGroup> shown, Dictionary<(PulseGroup Parent, int Split), List<PulseGroup>> lines)
    {
        var known = new HashSet<PulseGroup>(shown);
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var ((parent, _), children) in lines)
            {
                var parentKnown = known.Contains(parent);
                var unknown = 0;
                var last = default(PulseGroup);
                foreach (var child in children)
                {
                    if (!known.Contains(child))
                    {
                        unknown++;
                        last = child;
                    }
                }

                if (parentKnown && unknown == 1)
                {
                    changed |= known.Add(last);
                }
                else if (!parentKnown && unknown == 0)
                {
                    changed |= known.Add(parent);
                }
            }
        }

        return known;
    }
}
