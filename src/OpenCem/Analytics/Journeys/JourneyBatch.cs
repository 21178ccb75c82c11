using System.Data.Common;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Analytics.Journeys;

/// <summary>One transaction's work of the <see cref="JourneyProjector"/>: instances replaced, rollup deltas, in one go.</summary>
internal sealed class JourneyBatch(
    DbConnection connection, DbTransaction transaction, long workspaceId, IReadOnlyDictionary<string, JourneyInstanceBuilder> journeys, long now)
{
    private readonly Dictionary<string, JourneyTally> _deltas = new(StringComparer.Ordinal);
    private readonly List<long> _deleted = [];
    private readonly List<(StoredInstance Stored, bool Latest)> _inserted = [];
    private bool _ended;

    public async Task ApplyAsync(List<JourneyProjector.EventRow> batch, long upToId)
    {
        var groups = batch
            .Where(e => journeys.TryGetValue(e.JourneyKey, out var j) && j.Knows(e.Stage))
            .GroupBy(e => (e.CustomerId, e.JourneyKey))
            .ToList();
        var latest = (await JourneyStore.LatestAsync(connection, transaction, workspaceId, groups.Select(g => g.Key.CustomerId).Distinct().ToArray()))
            .ToDictionary(s => (s.CustomerId, s.JourneyKey));
        foreach (var group in groups)
        {
            var journey = journeys[group.Key.JourneyKey];
            var events = group.OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToList();
            var previous = latest.GetValueOrDefault(group.Key);
            if (previous is not null && !JourneyInstanceBuilder.CanAppend(previous.Instance, events[0].OccurredAt))
            {
                await RebuildAsync(journey, group.Key.CustomerId, upToId);
                continue;
            }

            if (previous is not null)
            {
                Tally(journey).Add(previous.Instance, journey, -1);
                _deleted.Add(previous.Instance.Id);
            }

            var started = journey.Append(previous?.Instance, events.Select(e => e.ToEvent()));
            var all = previous is null ? started : [previous.Instance, .. started];
            Store(journey, group.Key.CustomerId, all);
        }

        await FlushAsync();
    }

    /// <summary>Ends the open instances the gap has ended.</summary>
    public async Task ExpireAsync()
    {
        foreach (var journey in journeys.Values)
        {
            _ = Tally(journey);
        }

        var before = now - (long)journeys.Values.Select(j => j.Gap.TotalMilliseconds).DefaultIfEmpty(0).Min();
        foreach (var (stored, isLatest) in await JourneyStore.StaleAsync(connection, transaction, workspaceId, before, 100_000))
        {
            if (!journeys.TryGetValue(stored.JourneyKey, out var journey))
            {
                continue;
            }

            var tally = Tally(journey);
            tally.Add(stored.Instance, journey, -1);
            if (journey.Expire(stored.Instance, now))
            {
                await connection.ExecuteAsync("UPDATE journey_instances SET ended = 1 WHERE id = @Id", new { stored.Instance.Id }, transaction);
                _ended = true;
            }

            tally.Add(stored.Instance, journey, 1);
        }

        await FlushAsync();
    }

    private async Task RebuildAsync(JourneyInstanceBuilder journey, long customerId, long upToId)
    {
        foreach (var old in await JourneyStore.OfCustomerAsync(connection, transaction, workspaceId, customerId, journey.Journey.Key))
        {
            Tally(journey).Add(old.Instance, journey, -1);
            _deleted.Add(old.Instance.Id);
        }

        var events = await connection.QueryAsync<JourneyProjector.EventRow>(
            """
            SELECT id AS Id, customer_id AS CustomerId, journey_key AS JourneyKey, stage AS Stage, channel AS Channel, occurred_at AS OccurredAt
            FROM interactions WHERE workspace_id = @workspaceId AND customer_id = @customerId AND journey_key = @journeyKey AND stage IS NOT NULL AND id <= @upToId
            """,
            new { workspaceId, customerId, journeyKey = journey.Journey.Key, upToId }, transaction);
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

    private async Task FlushAsync()
    {
        if (_deleted.Count > 0 || _inserted.Count > 0)
        {
            await DataVersions.BumpAsync(connection, transaction, workspaceId, DataVersions.Journeys);
        }

        if (_ended)
        {
            await DataVersions.BumpAsync(connection, transaction, workspaceId, DataVersions.JourneyEnds);
        }

        _ended = false;
        await JourneyStore.DeleteAsync(connection, transaction, [.. _deleted]);
        await JourneyStore.InsertAsync(connection, transaction, workspaceId, _inserted);
        foreach (var (key, tally) in _deltas)
        {
            await JourneyStore.AddDeltasAsync(connection, transaction, workspaceId, key, tally);
        }

        _deleted.Clear();
        _inserted.Clear();
        _deltas.Clear();
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
