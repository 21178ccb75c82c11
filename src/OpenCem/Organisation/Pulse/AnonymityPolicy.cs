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
    /// <param name="trace">Told what is suppressed and why (for explaining a result).</param>
    public static HashSet<PulseGroup> Shown(PulseLattice lattice, int minimum, Action<string>? trace = null)
    {
        minimum = Math.Max(Floor, minimum);
        var shown = lattice.Counts.Where(c => c.Value >= minimum).Select(c => c.Key).ToHashSet();
        var lines = lattice.Lines();

        // Each pass works everything out again and takes back one group per problem, skipping problems that touch a
        // group already taken back in the pass (that one suppression may have settled them).
        while (true)
        {
            var taken = new HashSet<PulseGroup>();
            var periods = new HashSet<int>();
            foreach (var problem in Problems(lattice, minimum, shown, lines))
            {
                if (problem.Members.Any(taken.Contains) || periods.Contains(problem.Period))
                {
                    continue;
                }

                trace?.Invoke($"{problem.Why}: suppress {(problem.Group is { } g ? $"{g.Period}/{g.Values:x} (n={lattice.Count(g)})" : $"period {problem.Period}")}");
                if (problem.Group is { } group)
                {
                    taken.Add(group);
                }
                else
                {
                    periods.Add(problem.Period);
                }
            }

            if (taken.Count == 0 && periods.Count == 0)
            {
                break;
            }

            shown.ExceptWith(taken);
            shown.RemoveWhere(g => periods.Contains(g.Period));
        }

        return shown;
    }

    /// <summary>What a reader could work out, each with the groups involved and the shown group (or, failing that, the period) to take back.</summary>
    private static IEnumerable<(string Why, PulseGroup[] Members, PulseGroup? Group, int Period)> Problems(
        PulseLattice lattice, int minimum, HashSet<PulseGroup> shown, Dictionary<(PulseGroup Parent, int Split), List<PulseGroup>> lines)
    {
        var known = Known(shown, lines);
        foreach (var (group, _) in known)
        {
            if (lattice.Count(group) < minimum)
            {
                var line = known[group];
                yield return ($"{group.Period}/{group.Values:x} is worked out", line is { } l ? [.. l.Children, l.Parent] : [group], Hide(group, 0), group.Period);
            }
        }

        foreach (var (group, _) in known)
        {
            var n = lattice.Count(group);
            foreach (var ancestor in lattice.Ancestors(group))
            {
                var difference = lattice.Count(ancestor) - n;
                if (difference > 0 && difference < minimum && known.ContainsKey(ancestor))
                {
                    yield return ($"{ancestor.Period}/{ancestor.Values:x} minus {group.Period}/{group.Values:x} is {difference}", [group, ancestor],
                        Hide(group, 0) ?? Hide(ancestor, 0), ancestor.Period);
                    break;
                }
            }
        }

        foreach (var ((parent, _), children) in lines)
        {
            if (!known.ContainsKey(parent))
            {
                continue;
            }

            var hidden = children.Where(c => !known.ContainsKey(c)).Sum(lattice.Count);
            if (hidden > 0 && hidden < minimum)
            {
                // One more child goes (shown ones first, the smallest first); if none can, the parent.
                var target = children.Where(known.ContainsKey).OrderBy(c => shown.Contains(c) ? 0 : 1).ThenBy(lattice.Count)
                    .Select(c => Hide(c, 0)).FirstOrDefault(h => h is not null) ?? Hide(parent, 0);
                yield return ($"line {parent.Period}/{parent.Values:x} hides only {hidden}", [.. children, parent], target, parent.Period);
            }
        }

        // The shown group to suppress so that a known group is no longer known: itself, or a member of the line it was worked out from.
        PulseGroup? Hide(PulseGroup group, int depth)
        {
            if (shown.Contains(group))
            {
                return group;
            }

            if (depth > MaxDepth || known.GetValueOrDefault(group) is not { } line)
            {
                return null;
            }

            // Siblings first, the parent last: taking back a small sibling costs less than the larger group above.
            return line.Children.Where(g => g != group && lattice.Count(g) > 0).OrderBy(g => shown.Contains(g) ? 0 : 1).ThenBy(lattice.Count)
                .Append(line.Parent).Where(g => g != group).Select(g => Hide(g, depth + 1)).FirstOrDefault(h => h is not null);
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
