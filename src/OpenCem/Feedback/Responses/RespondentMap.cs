using System.Data.Common;
using Dapper;
using OpenCem.Customers;

namespace OpenCem.Feedback.Responses;

/// <summary>
/// The profiles behind the respondents of one import, looked up in bulk and kept while nobody changes who is who:
/// the workspace's identity generation is read first, and when it moved (a record import, a merge, the profiles this
/// import created) everything is looked up again. Identifiers are found a chunk at a time
/// (<see cref="RespondentLookup.FindIdentifiersAsync"/>), or, when a file names a good part of the workspace, by
/// loading all identifiers of that type at once.
/// </summary>
internal sealed class RespondentMap(long workspaceId)
{
    /// <summary>From this many new identifiers of a type on, loading the whole type may beat looking each up.</summary>
    public const int WholeTypeThreshold = 5_000;

    private readonly Dictionary<Identifier, long> _known = [];
    private readonly HashSet<Identifier> _unknown = [];
    private readonly HashSet<string> _wholeTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<long, long?> _customerIds = [];
    private long? _generation;

    /// <summary>Makes sure every respondent of these rows is looked up, against the profiles as they are now.</summary>
    public async Task RefreshAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<ImportRow> rows)
    {
        var counters = (await connection.QueryAsync<(string Name, long Value)>(
            "SELECT name, value FROM workspace_counters WHERE workspace_id = @workspaceId AND name IN (@generation, 'customers')",
            new { workspaceId, generation = IdentityGeneration.CounterName }, transaction)).ToDictionary(c => c.Name, c => c.Value);
        var generation = counters.GetValueOrDefault(IdentityGeneration.CounterName);
        if (generation != _generation)
        {
            _known.Clear();
            _unknown.Clear();
            _wholeTypes.Clear();
            _customerIds.Clear();
            _generation = generation;
        }

        var customers = counters.GetValueOrDefault("customers");
        var unseen = new HashSet<Identifier>();
        var ids = new HashSet<long>();
        foreach (var row in rows)
        {
            var respondent = row.Item.Respondent;
            foreach (var identifier in respondent.Identifiers)
            {
                if (!_wholeTypes.Contains(identifier.Type) && !_known.ContainsKey(identifier) && !_unknown.Contains(identifier))
                {
                    unseen.Add(identifier);
                }
            }

            if (respondent.CustomerId is { } id && !_customerIds.ContainsKey(id))
            {
                ids.Add(id);
            }
        }

        foreach (var type in unseen.GroupBy(i => i.Type))
        {
            var count = type.Count();
            if (count >= WholeTypeThreshold && count * 10L >= customers)
            {
                await RespondentLookup.LoadIdentifiersAsync(connection, transaction, workspaceId, type.Key, _known);
                _wholeTypes.Add(type.Key);
                continue;
            }

            var found = await RespondentLookup.FindIdentifiersAsync(connection, transaction, workspaceId, type);
            foreach (var identifier in type)
            {
                if (found.TryGetValue(identifier, out var customer))
                {
                    _known[identifier] = customer;
                }
                else
                {
                    _unknown.Add(identifier);
                }
            }
        }

        if (ids.Count > 0)
        {
            var current = await RespondentLookup.CurrentIdsAsync(connection, transaction, workspaceId, ids.ToList());
            foreach (var id in ids)
            {
                _customerIds[id] = current.TryGetValue(id, out var now) ? now : null;
            }
        }
    }

    /// <summary>
    /// The profile of a respondent that <see cref="RefreshAsync"/> looked up: its customerId when that is a profile
    /// (merged-away ids followed), else the first of its identifiers that belongs to one; null when none does.
    /// </summary>
    public long? Find(Respondent respondent)
    {
        if (respondent.CustomerId is { } id && _customerIds.GetValueOrDefault(id) is { } current)
        {
            return current;
        }

        foreach (var identifier in respondent.Identifiers)
        {
            if (_known.TryGetValue(identifier, out var customer))
            {
                return customer;
            }
        }

        return null;
    }
}
