namespace OpenCem.Customers;

/// <summary>Two records linked because they share an identifier.</summary>
public readonly record struct RecordLink(int RecordA, int RecordB, Identifier Identifier);

/// <summary>Two records that share an identifier but were kept apart, and why.</summary>
public readonly record struct BlockedLink(int RecordA, int RecordB, Identifier Identifier, string Reason);

/// <summary>The outcome of resolving a set of records.</summary>
public sealed class Resolution
{
    internal Resolution(int[] profileOf, List<RecordLink> links, List<BlockedLink> blocked, List<(Identifier Identifier, int Records)> shared)
    {
        ProfileOf = profileOf;
        Links = links;
        Blocked = blocked;
        Shared = shared;
    }

    /// <summary>For each record, the smallest record index of its profile: equal values mean one person.</summary>
    public IReadOnlyList<int> ProfileOf { get; }

    /// <summary>The links that joined records, in the order they were made.</summary>
    public IReadOnlyList<RecordLink> Links { get; }

    public IReadOnlyList<BlockedLink> Blocked { get; }

    /// <summary>Identifiers carried by too many records to mean one person; they link nothing.</summary>
    public IReadOnlyList<(Identifier Identifier, int Records)> Shared { get; }
}

/// <summary>
/// Deterministic identity resolution: records that share a value of a matching identifier type belong to one
/// profile, transitively (union-find). Guards against over-merging: an identifier carried by more than
/// <see cref="IdentitySettings.MaxRecordsPerIdentifier"/> records links nothing; two different values of a
/// unique identifier type (per source or global) never meet in one profile; records a user split apart stay
/// apart. Identifier types are matched in the configured order, strongest first, and records in input order, so
/// the same input always gives the same profiles. Pure: no I/O.
/// </summary>
public static class IdentityGraph
{
    public const string SharedReason = "shared";
    public const string UniqueConflictReason = "conflicting";
    public const string SplitReason = "split";

    /// <param name="sources">The source of each record.</param>
    /// <param name="identifiers">The identifiers of each record.</param>
    /// <param name="settings">Matching rules.</param>
    /// <param name="keptApart">Pairs of records a user split apart.</param>
    /// <param name="knownCounts">How many records carry an identifier in the whole workspace, when the input is only a part of it.</param>
    public static Resolution Resolve(
        IReadOnlyList<string> sources,
        IReadOnlyList<IReadOnlyList<Identifier>> identifiers,
        IdentitySettings settings,
        IReadOnlyCollection<(int A, int B)>? keptApart = null,
        IReadOnlyDictionary<Identifier, int>? knownCounts = null)
    {
        var n = sources.Count;
        var postings = Postings.Build(identifiers, settings);
        var state = new UnionState(n, sources, identifiers, settings, keptApart);
        var links = new List<RecordLink>();
        var blocked = new List<BlockedLink>();
        var shared = new List<(Identifier, int)>();

        foreach (var type in postings.TypesInOrder)
        {
            foreach (var id in postings.IdentifiersOf(type))
            {
                var records = postings.RecordsOf(id);
                var identifier = postings.Identifier(id);
                var count = Math.Max(records.Length, knownCounts?.GetValueOrDefault(identifier) ?? 0);
                if (count > settings.MaxRecordsPerIdentifier)
                {
                    shared.Add((identifier, count));
                    continue;
                }

                for (var i = 1; i < records.Length; i++)
                {
                    var anchor = records[0];
                    var other = records[i];
                    switch (state.TryUnion(anchor, other))
                    {
                        case UnionResult.Joined:
                            links.Add(new RecordLink(anchor, other, identifier));
                            break;
                        case UnionResult.Conflict:
                            blocked.Add(new BlockedLink(anchor, other, identifier, UniqueConflictReason));
                            break;
                        case UnionResult.Split:
                            blocked.Add(new BlockedLink(anchor, other, identifier, SplitReason));
                            break;
                    }
                }
            }
        }

        return new Resolution(state.Profiles(), links, blocked, shared);
    }

    private enum UnionResult
    {
        Joined,
        Already,
        Conflict,
        Split,
    }

    /// <summary>Identifier → records, as flat arrays: millions of records without millions of lists.</summary>
    private sealed class Postings
    {
        private readonly List<Identifier> _identifiers = [];
        private readonly Dictionary<string, List<int>> _identifiersByType = [];
        private int[] _starts = [];
        private int[] _ends = [];
        private int[] _records = [];

        public List<string> TypesInOrder { get; } = [];

        public static Postings Build(IReadOnlyList<IReadOnlyList<Identifier>> identifiers, IdentitySettings settings)
        {
            var postings = new Postings();
            foreach (var type in settings.IdentifierTypes.Where(t => t.Match).Select(t => t.Type))
            {
                postings._identifiersByType[type] = [];
                postings.TypesInOrder.Add(type);
            }

            // Pass 1: number the identifiers in first-seen order and count their records. One dictionary per type,
            // keyed by the value alone, sized up front: this loop runs once per identifier of every record.
            var total = 0;
            for (var r = 0; r < identifiers.Count; r++)
            {
                total += identifiers[r].Count;
            }

            var byType = new Dictionary<string, (Dictionary<string, int> Ids, List<int> Order)>();
            foreach (var type in postings.TypesInOrder)
            {
                byType[type] = (new Dictionary<string, int>(Math.Min(total, 1 << 20), StringComparer.Ordinal), postings._identifiersByType[type]);
            }

            var counts = new List<int>(total);
            var idOfSlot = new int[total];
            var slot = 0;
            for (var r = 0; r < identifiers.Count; r++)
            {
                foreach (var identifier in identifiers[r])
                {
                    var id = -1;
                    if (byType.TryGetValue(identifier.Type, out var ofType))
                    {
                        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(ofType.Ids, identifier.Value, out var exists);
                        if (!exists)
                        {
                            entry = counts.Count;
                            postings._identifiers.Add(identifier);
                            ofType.Order.Add(entry);
                            counts.Add(0);
                        }

                        id = entry;
                        counts[id]++;
                    }

                    idOfSlot[slot++] = id;
                }
            }

            // Pass 2: lay the records of each identifier out contiguously.
            postings._starts = new int[counts.Count];
            for (var i = 1; i < counts.Count; i++)
            {
                postings._starts[i] = postings._starts[i - 1] + counts[i - 1];
            }

            postings._ends = (int[])postings._starts.Clone();
            postings._records = new int[idOfSlot.Length];
            slot = 0;
            for (var r = 0; r < identifiers.Count; r++)
            {
                for (var k = 0; k < identifiers[r].Count; k++)
                {
                    var id = idOfSlot[slot++];
                    // A record listing the same identifier twice counts once.
                    if (id >= 0 && (postings._ends[id] == postings._starts[id] || postings._records[postings._ends[id] - 1] != r))
                    {
                        postings._records[postings._ends[id]++] = r;
                    }
                }
            }

            return postings;
        }

        public List<int> IdentifiersOf(string type) => _identifiersByType[type];

        public Identifier Identifier(int id) => _identifiers[id];

        public ReadOnlySpan<int> RecordsOf(int id) => _records.AsSpan(_starts[id], _ends[id] - _starts[id]);
    }

    /// <summary>
    /// Union-find by size with the over-merging guards kept per component root. A root's unique identifier values
    /// live in flat arrays (most records have one, e.g. their customer number); only roots with several go to a list.
    /// </summary>
    private sealed class UnionState
    {
        private readonly int[] _parent;
        private readonly int[] _size;
        private readonly int[] _uniqueKey;
        private readonly string?[] _uniqueValue;
        private readonly Dictionary<int, List<(int Key, string Value)>> _moreUnique = [];
        private readonly Dictionary<int, HashSet<int>> _apart = [];

        public UnionState(int n, IReadOnlyList<string> sources, IReadOnlyList<IReadOnlyList<Identifier>> identifiers, IdentitySettings settings, IReadOnlyCollection<(int A, int B)>? keptApart)
        {
            _parent = new int[n];
            _size = new int[n];
            _uniqueKey = new int[n];
            _uniqueValue = new string?[n];
            for (var i = 0; i < n; i++)
            {
                _parent[i] = i;
                _size[i] = 1;
            }

            var uniqueTypes = settings.IdentifierTypes.Where(t => t.Unique != UniqueScope.None).ToDictionary(t => t.Type, t => t.Unique);
            var keys = new Dictionary<(string Type, string Scope), int>();
            if (uniqueTypes.Count > 0)
            {
                for (var r = 0; r < n; r++)
                {
                    foreach (var identifier in identifiers[r])
                    {
                        if (uniqueTypes.TryGetValue(identifier.Type, out var scope))
                        {
                            var scoped = (identifier.Type, scope == UniqueScope.Source ? sources[r] : "");
                            if (!keys.TryGetValue(scoped, out var key))
                            {
                                keys[scoped] = key = keys.Count;
                            }

                            AddUnique(r, key, identifier.Value);
                        }
                    }
                }
            }

            foreach (var (a, b) in keptApart ?? [])
            {
                if (a >= 0 && b >= 0 && a < n && b < n)
                {
                    (_apart.TryGetValue(a, out var sa) ? sa : _apart[a] = []).Add(b);
                    (_apart.TryGetValue(b, out var sb) ? sb : _apart[b] = []).Add(a);
                }
            }
        }

        /// <summary>Records a unique value on a root; a record's own second value of a key is kept, not compared.</summary>
        private void AddUnique(int root, int key, string value)
        {
            if (_uniqueValue[root] is null)
            {
                _uniqueKey[root] = key;
                _uniqueValue[root] = value;
                return;
            }

            if (_uniqueKey[root] == key || (_moreUnique.TryGetValue(root, out var more) && more.Exists(m => m.Key == key)))
            {
                return;
            }

            (_moreUnique.TryGetValue(root, out var list) ? list : _moreUnique[root] = []).Add((key, value));
        }

        private IEnumerable<(int Key, string Value)> UniqueOf(int root)
        {
            if (_uniqueValue[root] is { } value)
            {
                yield return (_uniqueKey[root], value);
            }

            if (_moreUnique.TryGetValue(root, out var more))
            {
                foreach (var item in more)
                {
                    yield return item;
                }
            }
        }

        private string? ValueOf(int root, int key)
        {
            if (_uniqueValue[root] is { } value && _uniqueKey[root] == key)
            {
                return value;
            }

            if (_moreUnique.TryGetValue(root, out var more))
            {
                foreach (var (k, v) in more)
                {
                    if (k == key)
                    {
                        return v;
                    }
                }
            }

            return null;
        }

        public int Find(int x)
        {
            while (_parent[x] != x)
            {
                _parent[x] = _parent[_parent[x]];
                x = _parent[x];
            }

            return x;
        }

        public UnionResult TryUnion(int a, int b)
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra == rb)
            {
                return UnionResult.Already;
            }

            if (KeptApart(ra, rb))
            {
                return UnionResult.Split;
            }

            if (_uniqueValue[ra] is not null && _uniqueValue[rb] is not null)
            {
                foreach (var (key, value) in UniqueOf(rb))
                {
                    if (ValueOf(ra, key) is { } other && other != value)
                    {
                        return UnionResult.Conflict;
                    }
                }
            }

            if (_size[ra] < _size[rb])
            {
                (ra, rb) = (rb, ra);
            }

            _parent[rb] = ra;
            _size[ra] += _size[rb];
            if (_uniqueValue[rb] is not null)
            {
                foreach (var (key, value) in UniqueOf(rb).ToList())
                {
                    AddUnique(ra, key, value);
                }

                _uniqueValue[rb] = null;
                _moreUnique.Remove(rb);
            }

            if (_apart.Remove(rb, out var apartB))
            {
                (_apart.TryGetValue(ra, out var apartA) ? apartA : _apart[ra] = []).UnionWith(apartB);
            }

            return UnionResult.Joined;
        }

        private bool KeptApart(int ra, int rb)
        {
            if (_apart.Count == 0)
            {
                return false;
            }

            return Crosses(ra, rb) || Crosses(rb, ra);

            bool Crosses(int root, int otherRoot) =>
                _apart.TryGetValue(root, out var apart) && apart.Any(r => Find(r) == otherRoot);
        }

        public int[] Profiles()
        {
            var n = _parent.Length;
            var smallest = new int[n];
            Array.Fill(smallest, -1);
            var profile = new int[n];
            for (var i = 0; i < n; i++)
            {
                var root = Find(i);
                if (smallest[root] < 0)
                {
                    smallest[root] = i;
                }

                profile[i] = smallest[root];
            }

            return profile;
        }
    }
}
