using System.Data.Common;
using OpenCem.Storage;

namespace OpenCem.Analytics.Journeys;

/// <summary>
/// One transaction's work of the <see cref="JourneyProjector"/>, in two steps. <see cref="PlanAsync"/> and
/// <see cref="PlanExpiryAsync"/> read what they need (the customers' latest instances, a late event's history) and work
/// out every change in memory, holding no write lock; <see cref="WriteAsync"/> then writes instances, rollup deltas and
/// data versions in the caller's transaction. Reading outside the transaction is safe because the projector is the only
/// writer of journey instances and runs one pass at a time; it keeps SQLite's one write lock free for ingestion while
/// the batch is read and folded. A continued instance is updated in place, not deleted and inserted again, so its
/// index entries stay where they are.
/// </summary>
internal sealed class JourneyBatch(DbConnection connection, long workspaceId, IReadOnlyDictionary<string, JourneyInstanceBuilder> journeys, long now)
{
    private readonly Dictionary<string, JourneyTally> _deltas = new(StringComparer.Ordinal);
    private readonly List<long> _deleted = [];
    private readonly List<(StoredInstance Stored, bool Latest)> _updated = [];
    private readonly List<(StoredInstance Stored, bool Latest)> _inserted = [];
    private readonly List<long> _ended = [];

    /// <summary>Whether the batch changes anything the journey endpoints show.</summary>
    public bool HasChanges => _deleted.Count > 0 || _updated.Count > 0 || _inserted.Count > 0 || _ended.Count > 0;

    public async Task PlanAsync(List<JourneyProjector.EventRow> batch, long upToId)
    {
        var groups = batch
            .Where(e => journeys.TryGetValue(e.JourneyKey, out var j) && j.Knows(e.Stage))
            .GroupBy(e => (e.CustomerId, e.JourneyKey))
            .ToList();
        var latest = (await JourneyStore.LatestAsync(connection, workspaceId, groups.Select(g => g.Key.CustomerId).Distinct().ToArray()))
            .ToDictionary(s => (s.CustomerId, s.JourneyKey));
        foreach (var group in groups)
        {
            var journey = journeys[group.Key.JourneyKey];
            var events = group.OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToList();
            var previous = latest.GetValueOrDefault(group.Key);
            if (previous is not null && !JourneyInstanceBuilder.CanAppend(previous.Instance, events[0].OccurredAt))
            {
                await PlanRebuildAsync(journey, group.Key.CustomerId, events[0].OccurredAt, upToId);
                continue;
            }

            if (previous is not null)
            {
                Tally(journey).Add(previous.Instance, journey, -1);
            }

            var started = journey.Append(previous?.Instance, events.Select(e => e.ToEvent()));
            if (previous is not null)
            {
                journey.Expire(previous.Instance, now);
                Tally(journey).Add(previous.Instance, journey, 1);
                _updated.Add((previous, started.Count == 0));
            }

            Store(journey, group.Key.CustomerId, started);
        }
    }

    /// <summary>Ends the open instances the gap has ended.</summary>
    public async Task PlanExpiryAsync()
    {
        foreach (var journey in journeys.Values)
        {
            _ = Tally(journey);
        }

        var before = now - (long)journeys.Values.Select(j => j.Gap.TotalMilliseconds).DefaultIfEmpty(0).Min();
        foreach (var stored in await JourneyStore.StaleAsync(connection, workspaceId, before, 100_000))
        {
            if (!journeys.TryGetValue(stored.JourneyKey, out var journey))
            {
                continue;
            }

            var tally = Tally(journey);
            tally.Add(stored.Instance, journey, -1);
            if (journey.Expire(stored.Instance, now))
            {
                _ended.Add(stored.Instance.Id);
            }

            tally.Add(stored.Instance, journey, 1);
        }
    }

    public async Task WriteAsync(DbTransaction transaction)
    {
        if (_deleted.Count > 0 || _updated.Count > 0 || _inserted.Count > 0)
        {
            await DataVersions.BumpAsync(connection, transaction, workspaceId, DataVersions.Journeys);
        }

        if (_ended.Count > 0)
        {
            await DataVersions.BumpAsync(connection, transaction, workspaceId, DataVersions.JourneyEnds);
        }

        await JourneyStore.DeleteAsync(connection, transaction, [.. _deleted]);
        await JourneyStore.EndAsync(connection, transaction, [.. _ended]);
        await JourneyStore.UpdateAsync(connection, transaction, _updated);
        await JourneyStore.InsertAsync(connection, transaction, workspaceId, _inserted);
        foreach (var (key, tally) in _deltas)
        {
            await JourneyStore.AddDeltasAsync(connection, transaction, workspaceId, key, tally);
        }
    }

    /// <summary>
    /// Rebuilds a customer's instances of a journey from the one the late interaction falls into: the instances before
    /// it are cut by earlier interactions only, so they stand, and the history read stays the size of the current
    /// instance instead of growing with the customer's whole past in the journey.
    /// </summary>
    private async Task PlanRebuildAsync(JourneyInstanceBuilder journey, long customerId, long lateAt, long upToId)
    {
        var stored = (await JourneyStore.OfCustomerAsync(connection, workspaceId, customerId, journey.Journey.Key))
            .OrderBy(s => s.Instance.StartedAt).ThenBy(s => s.Instance.Id).ToList();
        var from = RebuildFrom(stored, lateAt);
        for (var i = from; i < stored.Count; i++)
        {
            Tally(journey).Add(stored[i].Instance, journey, -1);
            _deleted.Add(stored[i].Instance.Id);
        }

        var since = from < stored.Count && from > 0 ? stored[from].Instance.StartedAt : long.MinValue;
        var events = await JourneyStore.EventsOfCustomerAsync(connection, workspaceId, customerId, journey.Journey.Key, since, upToId);
        Store(journey, customerId, journey.Build(events.Select(e => (e.ToEvent(), e.Id)), now));
    }

    /// <summary>
    /// The first stored instance (in time order) a late interaction at <paramref name="lateAt"/> can change: the last
    /// one started before it, stepped back while the previous instance saw interactions at or after its start (ties on
    /// the millisecond are ordered by id, which the instances do not keep).
    /// </summary>
    internal static int RebuildFrom(IReadOnlyList<StoredInstance> instances, long lateAt)
    {
        var from = instances.Count;
        while (from > 0 && instances[from - 1].Instance.StartedAt >= lateAt)
        {
            from--;
        }

        from = Math.Max(0, from - 1);
        while (from > 0 && instances[from - 1].Instance.SeenAt >= instances[from].Instance.StartedAt)
        {
            from--;
        }

        return from;
    }

    private void Store(JourneyInstanceBuilder journey, long customerId, List<JourneyInstance> instances)
    {
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            journey.Expire(instance, now);
            Tally(journey).Add(instance, journey, 1);
            _inserted.Add((new StoredInstance(journey.Journey.Key, customerId, instance), i == instances.Count - 1));
        }
    }

    private JourneyTally Tally(JourneyInstanceBuilder journey)
    {
        if (!_deltas.TryGetValue(journey.Journey.Key, out var tally))
        {
            tally = new JourneyTally();
            _deltas[journey.Journey.Key] = tally;
        }

        return tally;
    }
}
