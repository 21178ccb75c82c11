using System.Data.Common;
using Dapper;
using OpenCem.Customers;

namespace OpenCem.Feedback.Responses;

/// <summary>
/// The profiles behind the respondents of one import, looked up in bulk and kept while nobody changes who is who:
/// the workspace's identity generation is read first, and when it moved (a record import, a merge, a split) everything
/// is looked up again. Identifiers are found a chunk at a time (<see cref="RespondentLookup.FindIdentifiersAsync"/>),
/// or, when a file names a good part of the workspace, by loading all identifiers of that type at once.
/// </summary>
internal sealed class RespondentMap(long workspaceId)
{
    /// <summary>From this many new identifiers of a type on, loading the whole type may beat looking each up...</summary>
    public const int WholeTypeThreshold = 1_000;

    /// <summary>... when the workspace has at most this many profiles per identifier to look up (an index probe costs about as much as reading this many rows in order).</summary>
    public const int WholeTypeRatio = 20;

    private readonly Dictionary<string, TypeMap> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<long, long?> _customerIds = [];
    private long? _generation;
    private long? _expectedGeneration;

    /// <summary>
    /// This import gave the respondents with these identifiers profiles of their own. Identity resolution advances the
    /// generation once for that; when the next lookup finds it advanced by exactly that, nobody else moved profiles
    /// meanwhile and only these identifiers need looking up again (a record whose identifiers nobody had cannot join
    /// an existing profile). Any other change of generation drops everything.
    /// </summary>
    public void Created(IEnumerable<Identifier> identifiers, ResolveOutcome? outcome)
    {
        _expectedGeneration = outcome is null || outcome.ProfilesMerged > 0 ? null : _generation + (outcome.GenerationAdvanced ? 1 : 0);
        foreach (var identifier in identifiers)
        {
            var map = Map(identifier.Type);
            map.Unknown.Remove(identifier.Value);
            map.Recheck.Add(identifier.Value);
        }
    }

    /// <summary>
    /// Sets the <see cref="ResponseItem.CustomerId"/> of every row to its respondent's profile as it is now (null for
    /// anonymous respondents and those nobody knows), looking up in bulk what this import has not met yet.
    /// </summary>
    public async Task ResolveAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<ImportRow> rows)
    {
        var counters = (await connection.QueryAsync<(string Name, long Value)>(
            "SELECT name, value FROM workspace_counters WHERE workspace_id = @workspaceId AND name IN (@generation, 'customers')",
            new { workspaceId, generation = IdentityGeneration.CounterName }, transaction)).ToDictionary(c => c.Name, c => c.Value);
        var generation = counters.GetValueOrDefault(IdentityGeneration.CounterName);
        if (generation != _generation && generation != _expectedGeneration)
        {
            _types.Clear();
            _customerIds.Clear();
        }

        _generation = generation;
        _expectedGeneration = null;

        // Most rows name someone met before: one dictionary look-up each. The others are collected and looked up together.
        List<ResponseItem>? unresolved = null;
        Dictionary<string, HashSet<string>>? unseen = null;
        HashSet<long>? ids = null;
        foreach (var (_, item) in rows)
        {
            var respondent = item.Respondent;
            item.CustomerId = respondent.IsAnonymous ? null : Find(respondent);
            if (item.CustomerId is not null || respondent.IsAnonymous)
            {
                continue;
            }

            (unresolved ??= []).Add(item);
            foreach (var identifier in respondent.Identifiers)
            {
                if (Map(identifier.Type).NeedsLookup(identifier.Value))
                {
                    unseen ??= new(StringComparer.Ordinal);
                    if (!unseen.TryGetValue(identifier.Type, out var values))
                    {
                        unseen[identifier.Type] = values = new HashSet<string>(StringComparer.Ordinal);
                    }

                    values.Add(identifier.Value);
                }
            }

            if (respondent.CustomerId is { } id && !_customerIds.ContainsKey(id))
            {
                (ids ??= []).Add(id);
            }
        }

        if (unresolved is null)
        {
            return;
        }

        var customers = counters.GetValueOrDefault("customers");
        foreach (var (type, values) in unseen ?? [])
        {
            var map = Map(type);
            if (!map.Whole && values.Count >= WholeTypeThreshold && customers <= (long)values.Count * WholeTypeRatio)
            {
                var all = new Dictionary<Identifier, long>();
                await RespondentLookup.LoadIdentifiersAsync(connection, transaction, workspaceId, type, all);
                map.Known.Clear();
                map.Unknown.Clear();
                map.Recheck.Clear();
                foreach (var (identifier, customer) in all)
                {
                    map.Known[identifier.Value] = customer;
                }

                map.Whole = true;
                continue;
            }

            var found = await RespondentLookup.FindIdentifiersAsync(connection, transaction, workspaceId, values.Select(v => new Identifier(type, v)));
            foreach (var value in values)
            {
                if (found.TryGetValue(new Identifier(type, value), out var customer))
                {
                    map.Known[value] = customer;
                }
                else
                {
                    map.Unknown.Add(value);
                }

                map.Recheck.Remove(value);
            }
        }

        if (ids is not null)
        {
            var current = await RespondentLookup.CurrentIdsAsync(connection, transaction, workspaceId, ids.ToList());
            foreach (var id in ids)
            {
                _customerIds[id] = current.TryGetValue(id, out var now) ? now : null;
            }
        }

        foreach (var item in unresolved)
        {
            item.CustomerId = Find(item.Respondent);
        }
    }

    /// <summary>
    /// The profile of a respondent as far as looked up: its customerId when that is a profile (merged-away ids
    /// followed), else the first of its identifiers that belongs to one; null when none does.
    /// </summary>
    private long? Find(Respondent respondent)
    {
        if (respondent.CustomerId is { } id && _customerIds.GetValueOrDefault(id) is { } current)
        {
            return current;
        }

        var identifiers = respondent.Identifiers;
        for (var i = 0; i < identifiers.Count; i++)
        {
            if (_types.TryGetValue(identifiers[i].Type, out var map) && map.Known.TryGetValue(identifiers[i].Value, out var customer))
            {
                return customer;
            }
        }

        return null;
    }

    private TypeMap Map(string type)
    {
        if (!_types.TryGetValue(type, out var map))
        {
            _types[type] = map = new TypeMap();
        }

        return map;
    }

    /// <summary>What is known of one identifier type; string keys, so lookups hash one short string.</summary>
    private sealed class TypeMap
    {
        public Dictionary<string, long> Known { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Unknown { get; } = new(StringComparer.Ordinal);

        /// <summary>Values this import created profiles for, not looked up since.</summary>
        public HashSet<string> Recheck { get; } = new(StringComparer.Ordinal);

        /// <summary>Every identifier of the type was loaded: one that is not in <see cref="Known"/> has no profile.</summary>
        public bool Whole { get; set; }

        public bool NeedsLookup(string value) =>
            !Known.ContainsKey(value) && (Recheck.Contains(value) || (!Whole && !Unknown.Contains(value)));
    }
}
