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
        var latest = (await JourneyStore.LatestAsync(connection, null, workspaceId, groups.Select(g => g.Key.CustomerId).Distinct().ToArray()))
            .ToDictionary(s => (s.CustomerId, s.JourneyKey));
        foreach (var group in groups)
        {
            var journey = journeys[group.Key.JourneyKey];
            var events = group.OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToList();
            var previous = latest.GetValueOrDefault(group.Key);
            if (previous is not null && !JourneyInstanceBuilder.CanAppend(previous.Instance, events[0].OccurredAt))
            {
                await PlanRebuildAsync(journey, group.Key.CustomerId, upToId);
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
        foreach (var (stored, _) in await JourneyStore.StaleAsync(connection, null, workspaceId, before, 100_000))
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

    private async Task PlanRebuildAsync(JourneyInstanceBuilder journey, long customerId, long upToId)
    {
        foreach (var old in await JourneyStore.OfCustomerAsync(connection, null, workspaceId, customerId, journey.Journey.Key))
        {
            Tally(journey).Add(old.Instance, journey, -1);
            _deleted.Add(old.Instance.Id);
        }

        var events = await JourneyStore.EventsOfCustomerAsync(connection, workspaceId, customerId, journey.Journey.Key, upToId);
        Store(journey, customerId, journey.Build(events.Select(e => (e.ToEvent(), e.Id)), now));
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
