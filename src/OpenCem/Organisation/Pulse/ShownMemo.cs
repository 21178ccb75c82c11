using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace OpenCem.Organisation.Pulse;

/// <summary>
/// Remembers <see cref="AnonymityPolicy.Shown"/> by its whole input: the minimum, the period tree and every finest
/// cell's count. The policy is a pure function of these, so a remembered answer is never stale: a new response
/// changes a count, hence the key, and the policy runs again. Filters and groupings are not part of the input (they
/// only pick cells from the shown set), so one run serves every query on a survey's question until its answers change.
/// Bounded: when full, it starts over.
/// </summary>
public static class ShownMemo
{
    public const int Capacity = 256;

    private static readonly ConcurrentDictionary<ShownKey, FrozenSet<PulseGroup>> Entries = new();

    public static IReadOnlySet<PulseGroup> Shown(ShownKey key, Func<PulseLattice> lattice)
    {
        if (Entries.TryGetValue(key, out var shown))
        {
            return shown;
        }

        shown = AnonymityPolicy.Shown(lattice(), key.Minimum).ToFrozenSet();
        if (Entries.Count >= Capacity)
        {
            Entries.Clear();
        }

        Entries[key] = shown;
        return shown;
    }
}

/// <summary>The input of the anonymity policy for one question: compared in full, never by hash alone.</summary>
public sealed class ShownKey : IEquatable<ShownKey>
{
    private readonly int[] _parents;
    private readonly (PulseGroup Cell, long N)[] _cells;
    private readonly int _hash;

    /// <param name="cells">The finest cells with their counts, in any order (sorted here).</param>
    public ShownKey(int minimum, int attributes, IReadOnlyList<int> periodParents, IEnumerable<(PulseGroup Cell, long N)> cells)
    {
        Minimum = Math.Max(AnonymityPolicy.Floor, minimum);
        Attributes = attributes;
        _parents = [.. periodParents];
        _cells = [.. cells.Where(c => c.N > 0).OrderBy(c => c.Cell.Period).ThenBy(c => c.Cell.Values)];
        var hash = new HashCode();
        hash.Add(Minimum);
        hash.Add(attributes);
        foreach (var parent in _parents)
        {
            hash.Add(parent);
        }

        foreach (var (cell, n) in _cells)
        {
            hash.Add(cell);
            hash.Add(n);
        }

        _hash = hash.ToHashCode();
    }

    public int Minimum { get; }

    public int Attributes { get; }

    public bool Equals(ShownKey? other) => other is not null && (ReferenceEquals(this, other) || (_hash == other._hash && Minimum == other.Minimum
        && Attributes == other.Attributes && _parents.AsSpan().SequenceEqual(other._parents) && _cells.AsSpan().SequenceEqual(other._cells)));

    public override bool Equals(object? obj) => Equals(obj as ShownKey);

    public override int GetHashCode() => _hash;
}
