using System.Text.Json.Nodes;
using OpenCem.Customers.Storage;

namespace OpenCem.Customers;

/// <summary>How an arriving record combines with the stored one of the same key.</summary>
public enum UpsertMode
{
    /// <summary>The arriving record replaces the stored one (imports: the source's current truth).</summary>
    Replace,

    /// <summary>Traits are merged and tracking identifiers accumulate (identify and alias calls).</summary>
    Accumulate,
}

/// <summary>A record arriving from a source, with the line it came from.</summary>
public sealed record IncomingRecord(SourceRecord Record, long Line, UpsertMode Mode = UpsertMode.Replace);

/// <summary>What a resolution run did.</summary>
public sealed class ResolveOutcome
{
    public int Created { get; set; }

    public int Updated { get; set; }

    public int Unchanged { get; set; }

    public List<RecordRejection> Rejections { get; } = [];

    public int ProfilesCreated { get; set; }

    /// <summary>Profiles that ceased to exist because their records joined another profile.</summary>
    public int ProfilesMerged { get; set; }

    /// <summary>Links between records used by this run's resolution.</summary>
    public int RecordsLinked { get; set; }

    /// <summary>Arriving records that share their profile with other records.</summary>
    public int RecordsMerged { get; set; }

    /// <summary>Tracking identities with their (new) profile, for the ingestion writer's cache.</summary>
    public List<(Identifier Identifier, TrackingIdentity Identity)> Identities { get; } = [];

    /// <summary>Merged-away profile ids and the profile that absorbed them.</summary>
    public Dictionary<long, long> Redirects { get; } = [];

    /// <summary>Whether the run advanced the workspace's <see cref="IdentityGeneration"/> by one.</summary>
    public bool GenerationAdvanced { get; set; }

    /// <summary>Where the run spent its time, phase by phase, for benchmarks and diagnosis.</summary>
    public List<(string Phase, TimeSpan Elapsed)> Phases { get; } = [];

    private long _mark = System.Diagnostics.Stopwatch.GetTimestamp();

    internal void Mark(string phase)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        Phases.Add((phase, System.Diagnostics.Stopwatch.GetElapsedTime(_mark, now)));
        _mark = now;
    }
}

/// <summary>
/// Brings source records into profiles: upserts them, re-resolves the part of the identity graph they touch (or
/// the whole workspace), and applies the plan — new profiles, merges with redirects, moved tracking identities
/// and their interactions, surviving traits. Runs inside the caller's transaction; everything or nothing.
/// </summary>
internal sealed class ProfileResolver(IdentityRepository db, long ws, IdentitySettings settings, long now)
{
    private readonly IdentifierNormaliser _normaliser = new(settings);

    /// <param name="incoming">Records to upsert; a key repeated in the list counts once, the last one winning.</param>
    /// <param name="full">Re-resolve the whole workspace (rebuilds and large imports) instead of the neighbourhood.</param>
    /// <param name="cancellationToken">Cancels between statements.</param>
    public async Task<ResolveOutcome> ApplyAsync(IReadOnlyList<IncomingRecord> incoming, bool full, CancellationToken cancellationToken)
    {
        var outcome = new ResolveOutcome();
        // A whole-workspace run reads every stored record once and matches keys in memory.
        var stored = full ? await db.AllRecordsAsync(ws) : null;
        var changes = await StageAsync(incoming, outcome, stored);
        outcome.Mark("stage");
        if (changes.Count == 0 && !full)
        {
            return outcome;
        }

        var identifiersChanged = full || changes.Any(c => c.Stored is null || !SameIdentifiers(c.OldIdentifiers, c.Record.Identifiers));
        if (!identifiersChanged)
        {
            // Traits only: nobody moves; store the records and recompute their profiles' traits.
            await db.UpdateRecordsAsync(changes.Select(c => c.Record).ToList());
            await RecomputeProfilesAsync(changes.Select(c => c.Record.CustomerId).Distinct().ToList(), cancellationToken);
            return outcome;
        }

        var graph = stored is not null ? await LoadWorkspaceAsync(changes, stored) : await LoadNeighbourhoodAsync(changes);
        outcome.Mark("load");
        await ApplyPlanAsync(graph, changes, outcome, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Re-resolves the whole workspace with the current rules: identifiers are normalised again from each record's
    /// source spelling, profiles re-formed (splits kept), and every profile's traits chosen again.
    /// </summary>
    public async Task<ResolveOutcome> RebuildAsync(CancellationToken cancellationToken)
    {
        var outcome = new ResolveOutcome();
        var reader = new SourceRecordReader(settings);
        var graph = new Graph();
        var changes = new List<Change>();
        foreach (var record in await db.AllRecordsAsync(ws, withTraits: true))
        {
            var renormalised = Renormalise(reader, record);
            if (!SameIdentifiers(record.Identifiers, renormalised))
            {
                var updated = new StoredRecord
                {
                    Id = record.Id,
                    Source = record.Source,
                    Key = record.Key,
                    CustomerId = record.CustomerId,
                    Identifiers = renormalised,
                    TraitsJson = record.TraitsJson,
                    UpdatedAt = record.UpdatedAt,
                    ReceivedAt = record.ReceivedAt,
                };
                changes.Add(new Change(updated, record, record.Identifiers, 0));
                graph.Records.Add(updated);
                outcome.Updated++;
            }
            else
            {
                graph.Records.Add(record);
                outcome.Unchanged++;
            }
        }

        graph.Identities = await db.AllTrackingIdentitiesAsync(ws);
        graph.Splits = await db.SplitsAsync(ws, null);
        await ApplyPlanAsync(graph, changes, outcome, cancellationToken, recomputeAll: true);
        return outcome;
    }

    /// <summary>Re-resolves the given stored records and everything they touch (after a split was recorded).</summary>
    public async Task<ResolveOutcome> ReResolveAsync(IReadOnlyList<StoredRecord> records, CancellationToken cancellationToken)
    {
        var outcome = new ResolveOutcome();
        var changes = records.Select(r => new Change(r, r, r.Identifiers, 0)).ToList();
        var graph = await LoadNeighbourhoodAsync(changes);
        await ApplyPlanAsync(graph, changes, outcome, cancellationToken);
        return outcome;
    }

    /// <summary>The record's identifiers under the current rules; tracking identifiers are kept as they are.</summary>
    private static List<Identifier> Renormalise(SourceRecordReader reader, StoredRecord record)
    {
        var fields = JsonNode.Parse(record.TraitsJson ?? "{}") as JsonObject ?? [];
        fields["id"] = record.Key;
        var (read, error) = reader.Read(record.Source, fields);
        if (error is not null || read is null)
        {
            return record.Identifiers.ToList();
        }

        var identifiers = read.Identifiers.ToList();
        identifiers.AddRange(record.Identifiers.Where(i => ResolutionPlan.IsTrackingType(i.Type) || !read.Identifiers.Any(r => r.Type == i.Type) && IsCustom(i.Type)));
        return identifiers.Distinct().ToList();

        static bool IsCustom(string type) => type is not (IdentifierKinds.Email or IdentifierKinds.Phone or IdentifierKinds.CustomerNumber);
    }

    private sealed record Change(StoredRecord Record, StoredRecord? Stored, IReadOnlyList<Identifier> OldIdentifiers, long Line);

    private sealed class Graph
    {
        public List<StoredRecord> Records { get; } = [];

        public Dictionary<Identifier, TrackingIdentity> Identities { get; set; } = [];

        public List<(long A, long B)> Splits { get; set; } = [];

        public Dictionary<Identifier, int>? Counts { get; set; }
    }

    /// <summary>Compares arriving records with stored ones; returns those that change something.</summary>
    private async Task<List<Change>> StageAsync(IReadOnlyList<IncomingRecord> incoming, ResolveOutcome outcome, List<StoredRecord>? all)
    {
        var byKey = all?.ToDictionary(r => (r.Source, r.Key));
        var changes = new List<Change>();
        var erased = await db.TombstonedAsync(ws, incoming.SelectMany(i => i.Record.Identifiers).ToList());
        foreach (var bySource in incoming.GroupBy(i => i.Record.Source))
        {
            var latest = new Dictionary<string, IncomingRecord>();
            foreach (var item in bySource)
            {
                if (item.Record.Identifiers.FirstOrDefault(erased.Contains) is { Type: not null } gone)
                {
                    outcome.Rejections.Add(new RecordRejection(item.Line, item.Record.Key, $"{gone.Type} belongs to a person erased on request"));
                    continue;
                }

                if (latest.TryGetValue(item.Record.Key, out var earlier))
                {
                    // Identify calls of one user add up; an imported line is superseded by a later one of the same key.
                    outcome.Unchanged++;
                    latest[item.Record.Key] = item.Mode == UpsertMode.Accumulate ? Accumulate(earlier, item) : item;
                    continue;
                }

                latest[item.Record.Key] = item;
            }

            var stored = byKey is null ? await db.RecordsByKeyAsync(ws, bySource.Key, latest.Keys.ToList()) : await MatchAsync(byKey, bySource.Key, latest.Keys);
            foreach (var (key, item) in latest)
            {
                var existing = stored.GetValueOrDefault(key);
                var record = Combine(item, existing);
                if (existing is null)
                {
                    outcome.Created++;
                    changes.Add(new Change(record, null, [], item.Line));
                }
                else if ((item.Mode == UpsertMode.Replace && record.UpdatedAt < existing.UpdatedAt)
                    || (SameIdentifiers(existing.Identifiers, record.Identifiers) && existing.TraitsJson == record.TraitsJson))
                {
                    outcome.Unchanged++;
                }
                else
                {
                    outcome.Updated++;
                    changes.Add(new Change(record, existing, existing.Identifiers, item.Line));
                }
            }
        }

        return changes;
    }

    /// <summary>Two calls about one user in arrival order, as one.</summary>
    private static IncomingRecord Accumulate(IncomingRecord earlier, IncomingRecord later)
    {
        var traits = TraitMerge.Merge(earlier.Record.TraitsJson, later.Record.TraitsJson);
        var identifiers = earlier.Record.Identifiers.Concat(later.Record.Identifiers).Distinct().ToList();
        var updatedAt = new[] { earlier.Record.UpdatedAt, later.Record.UpdatedAt }.Max();
        return later with { Record = later.Record with { Identifiers = identifiers, TraitsJson = traits, UpdatedAt = updatedAt } };
    }

    /// <summary>The stored records among these keys, with their traits, from the records already in memory.</summary>
    private async Task<Dictionary<string, StoredRecord>> MatchAsync(Dictionary<(string, string), StoredRecord> all, string source, IEnumerable<string> keys)
    {
        var found = new Dictionary<string, StoredRecord>();
        foreach (var key in keys)
        {
            if (all.TryGetValue((source, key), out var record))
            {
                found[key] = record;
            }
        }

        if (found.Count > 0)
        {
            var traits = await db.TraitsOfRecordIdsAsync(ws, found.Values.Select(r => r.Id).ToList());
            foreach (var record in found.Values)
            {
                record.TraitsJson = traits.GetValueOrDefault(record.Id, "{}");
            }
        }

        return found;
    }

    private StoredRecord Combine(IncomingRecord item, StoredRecord? existing)
    {
        var record = item.Record;
        var updatedAt = (record.UpdatedAt ?? DateTimeOffset.FromUnixTimeMilliseconds(now)).ToUnixTimeMilliseconds();
        var identifiers = record.Identifiers;
        var traits = record.TraitsJson;
        if (item.Mode == UpsertMode.Accumulate && existing is not null)
        {
            traits = TraitMerge.Merge(existing.TraitsJson, traits);
            var merged = existing.Identifiers.Where(i => ResolutionPlan.IsTrackingType(i.Type)).ToList();
            merged.AddRange(record.Identifiers.Where(i => ResolutionPlan.IsTrackingType(i.Type)));
            merged.AddRange(IdentifiersInTraits(traits));
            identifiers = merged.Distinct().ToList();
            updatedAt = Math.Max(updatedAt, existing.UpdatedAt);
        }
        else if (item.Mode == UpsertMode.Accumulate)
        {
            identifiers = record.Identifiers.Concat(IdentifiersInTraits(traits)).Distinct().ToList();
        }

        return new StoredRecord
        {
            Id = existing?.Id ?? 0,
            Source = record.Source,
            Key = record.Key,
            CustomerId = existing?.CustomerId ?? 0,
            Identifiers = identifiers,
            TraitsJson = traits,
            UpdatedAt = updatedAt,
            ReceivedAt = now,
        };
    }

    /// <summary>The identifiers a tracking client sends as traits; a malformed one is kept as a trait only.</summary>
    private IEnumerable<Identifier> IdentifiersInTraits(string traitsJson)
    {
        if (JsonNode.Parse(traitsJson) is not JsonObject traits)
        {
            yield break;
        }

        foreach (var type in new[] { IdentifierKinds.Email, IdentifierKinds.Phone, IdentifierKinds.CustomerNumber })
        {
            if (traits[type] is JsonValue value && value.TryGetValue<string>(out var raw) && _normaliser.Normalise(type, raw) is ({ } normalised, null))
            {
                yield return new Identifier(type, normalised);
            }
        }
    }

    private static bool SameIdentifiers(IReadOnlyList<Identifier> a, IReadOnlyList<Identifier> b) =>
        a.Count == b.Count && a.ToHashSet().SetEquals(b);

    private async Task<Graph> LoadWorkspaceAsync(List<Change> changes, List<StoredRecord> all)
    {
        var graph = new Graph();
        var replaced = changes.Where(c => c.Stored is not null).ToDictionary(c => c.Stored!.Id, c => c.Record);
        foreach (var record in all)
        {
            graph.Records.Add(replaced.GetValueOrDefault(record.Id) ?? record);
        }

        graph.Records.AddRange(changes.Where(c => c.Stored is null).Select(c => c.Record));
        graph.Identities = await db.AllTrackingIdentitiesAsync(ws);
        graph.Splits = await db.SplitsAsync(ws, null);
        return graph;
    }

    /// <summary>
    /// The records that resolution of the changed ones can touch: those sharing an identifier with them (unless the
    /// identifier is shared too widely to count), all records of those profiles, and the profiles of tracking
    /// identities among them. Workspace-wide identifier counts keep the guards exact on this part.
    /// </summary>
    private async Task<Graph> LoadNeighbourhoodAsync(List<Change> changes)
    {
        var limit = settings.MaxRecordsPerIdentifier + 1;
        var matching = settings.IdentifierTypes.Where(t => t.Match).Select(t => t.Type).ToHashSet();
        var seeds = changes.SelectMany(c => c.Record.Identifiers.Concat(c.OldIdentifiers)).Where(i => matching.Contains(i.Type)).Distinct().ToList();
        var customers = changes.Where(c => c.Stored is not null).Select(c => c.Stored!.CustomerId).ToHashSet();
        var recordIds = new HashSet<long>();
        var stored = new Dictionary<Identifier, List<long>>();
        var (seedRecords, identities) = await db.RecordsAndIdentitiesWithAsync(ws, seeds, limit);
        foreach (var (seed, ids) in seedRecords)
        {
            stored[seed] = ids;
            if (ids.Count < limit)
            {
                recordIds.UnionWith(ids);
            }
        }

        customers.UnionWith(identities.Values.Select(i => i.CustomerId));
        var graph = new Graph();
        var replaced = changes.Where(c => c.Stored is not null).ToDictionary(c => c.Stored!.Id, c => c.Record);
        foreach (var record in (await db.RecordsOfCustomersAndRecordsAsync(ws, customers, recordIds)).OrderBy(r => r.Id))
        {
            graph.Records.Add(replaced.GetValueOrDefault(record.Id) ?? record);
        }

        graph.Records.AddRange(changes.Where(c => c.Stored is null).Select(c => c.Record));
        var all = graph.Records.SelectMany(r => r.Identifiers).Where(i => matching.Contains(i.Type)).Distinct().ToList();
        var (moreRecords, moreIdentities) = await db.RecordsAndIdentitiesWithAsync(ws, all.Where(i => !stored.ContainsKey(i)).ToList(), limit);
        foreach (var (identifier, ids) in moreRecords)
        {
            stored[identifier] = ids;
        }

        graph.Counts = Counts(stored, changes);
        foreach (var (identifier, identity) in moreIdentities)
        {
            identities[identifier] = identity;
        }

        graph.Identities = identities;
        graph.Splits = await db.SplitsAsync(ws, graph.Records.Where(r => r.Id != 0).Select(r => r.Id).ToList());
        return graph;
    }

    /// <summary>Stored counts adjusted for the identifiers the changed records gain or lose.</summary>
    private static Dictionary<Identifier, int> Counts(Dictionary<Identifier, List<long>> stored, List<Change> changes)
    {
        var counts = stored.ToDictionary(s => s.Key, s => s.Value.Count);
        foreach (var change in changes)
        {
            var before = change.OldIdentifiers.ToHashSet();
            var after = change.Record.Identifiers.ToHashSet();
            foreach (var gained in after.Except(before))
            {
                counts[gained] = counts.GetValueOrDefault(gained) + 1;
            }

            foreach (var lost in before.Except(after))
            {
                counts[lost] = Math.Max(0, counts.GetValueOrDefault(lost) - 1);
            }
        }

        return counts;
    }

    private async Task ApplyPlanAsync(Graph graph, List<Change> changes, ResolveOutcome outcome, CancellationToken cancellationToken, bool recomputeAll = false)
    {
        var records = graph.Records;
        var apart = new List<(int, int)>();
        if (graph.Splits.Count > 0)
        {
            var index = new Dictionary<long, int>();
            for (var i = 0; i < records.Count; i++)
            {
                if (records[i].Id != 0)
                {
                    index[records[i].Id] = i;
                }
            }

            apart = graph.Splits.Where(s => index.ContainsKey(s.A) && index.ContainsKey(s.B)).Select(s => (index[s.A], index[s.B])).ToList();
        }

        outcome.Mark("index");
        var plan = ResolutionPlan.Make(
            records.Select(r => new PlanRecord(r.Id == 0 ? null : r.Id, r.Source, r.Key, r.CustomerId == 0 ? null : r.CustomerId, r.Identifiers)).ToList(),
            graph.Identities,
            apart,
            settings,
            graph.Counts);

        outcome.Mark("plan");

        // New profiles get ids first, so records can point at them.
        var missing = plan.Profiles.Count(p => p is null);
        var newIds = await BulkRecordWriter.ReserveIdsAsync(db, "customers", missing, cancellationToken);
        var profileIds = new long[plan.Profiles.Count];
        for (int p = 0, next = 0; p < profileIds.Length; p++)
        {
            profileIds[p] = plan.Profiles[p] ?? newIds[next++];
        }

        outcome.ProfilesCreated = missing;
        outcome.ProfilesMerged = plan.MergedAway.Count;

        var changed = changes.Select(c => c.Record).ToHashSet();
        var newRecords = records.Where(r => r.Id == 0).ToList();
        var recordIds = await BulkRecordWriter.ReserveIdsAsync(db, "source_records", newRecords.Count, cancellationToken);
        for (var i = 0; i < newRecords.Count; i++)
        {
            newRecords[i].Id = recordIds[i];
        }

        var moves = new List<(long, long)>();
        var dirty = new HashSet<long>(newIds);
        for (var i = 0; i < records.Count; i++)
        {
            var target = profileIds[plan.ProfileOf[i]];
            var record = records[i];
            if (record.CustomerId != target)
            {
                if (record.CustomerId != 0)
                {
                    dirty.Add(record.CustomerId);
                    if (!changed.Contains(record))
                    {
                        moves.Add((record.Id, target));
                    }
                }

                record.CustomerId = target;
                dirty.Add(target);
            }
            else if (changed.Contains(record))
            {
                dirty.Add(target);
            }
        }

        foreach (var (from, p) in plan.MergedAway)
        {
            dirty.Remove(from);
            dirty.Add(profileIds[p]);
        }

        if (recomputeAll)
        {
            dirty.UnionWith(profileIds);
        }

        outcome.Mark("assign");
        var profiles = await SurvivingTraitsAsync(records, dirty);
        outcome.Mark("survivorship");
        var fresh = newIds.ToHashSet();
        // Without merges the personas can be looked up before the writes, which then go in one round trip on PostgreSQL.
        var kept = plan.MergedAway.Count == 0 ? await KeepPersonasAsync(profiles, fresh) : null;
        db.Deferring = true;
        await BulkRecordWriter.InsertCustomersAsync(db, ws, newIds.Select(id => profiles.GetValueOrDefault(id) ?? ProfileTraits.Empty(id)).ToList(), now, cancellationToken);
        await BulkRecordWriter.InsertRecordsAsync(db, ws, newRecords, cancellationToken);
        await db.UpdateRecordsAsync(changes.Where(c => c.Stored is not null).Select(c => c.Record).ToList());
        await db.UpdateRecordCustomersAsync(moves);
        outcome.Mark("write profiles and records");
        await WriteIdentifierRowsAsync(changes, cancellationToken);
        outcome.Mark("write identifiers");

        foreach (var (identifier, identity, p) in plan.MovedIdentities)
        {
            await db.MoveIdentityAsync(ws, identity, profileIds[p]);
            outcome.Identities.Add((identifier, identity with { CustomerId = profileIds[p] }));
        }

        var created = await db.InsertIdentitiesAsync(ws, plan.NewIdentities.Select(n => (n.Identifier, profileIds[n.Profile])).ToList(), now);
        for (var i = 0; i < created.Count; i++)
        {
            outcome.Identities.Add((plan.NewIdentities[i].Identifier, created[i]));
        }

        foreach (var (from, p) in plan.MergedAway.OrderBy(m => m.Key))
        {
            await db.MergeAwayAsync(ws, from, profileIds[p], now);
            outcome.Redirects[from] = profileIds[p];
        }

        outcome.RecordsLinked = plan.Resolution.Links.Count;
        var sizes = new int[plan.Profiles.Count];
        foreach (var p in plan.ProfileOf)
        {
            sizes[p]++;
        }

        for (var i = 0; i < records.Count; i++)
        {
            if (changed.Contains(records[i]) && sizes[plan.ProfileOf[i]] > 1)
            {
                outcome.RecordsMerged++;
            }
        }

        // After the merges above wrote their redirects: a profile keeps its persona, or takes one of the profiles merged into it.
        if (kept is null)
        {
            await db.FlushAsync();
            kept = await KeepPersonasAsync(profiles, fresh);
        }

        outcome.Mark("move identities and merges");
        await BulkRecordWriter.UpdateProfilesAsync(db, kept, now, cancellationToken);
        await db.AddCountersAsync(ws, (OpenCem.Storage.DataVersions.Traits, 1), ("customers", missing - plan.MergedAway.Count), (IdentityGeneration.CounterName, 1));
        await db.FlushAsync();
        db.Deferring = false;
        outcome.GenerationAdvanced = true;
        outcome.Mark("update profiles");
    }

    /// <summary>The recomputed traits of the stored (not new) profiles, each keeping its persona.</summary>
    private async Task<IReadOnlyList<ProfileTraits>> KeepPersonasAsync(Dictionary<long, ProfileTraits> profiles, HashSet<long> fresh) =>
        await Personas.PersonaTraits.KeepAsync(db.Connection, db.Transaction, ws, profiles.Values.Where(p => !fresh.Contains(p.CustomerId)).ToList());

    /// <summary>The surviving traits of the given profiles, from the records now assigned to them.</summary>
    private async Task<Dictionary<long, ProfileTraits>> SurvivingTraitsAsync(List<StoredRecord> records, HashSet<long> profiles)
    {
        var members = records.Where(r => profiles.Contains(r.CustomerId)).ToList();
        var unloaded = members.Where(r => r.TraitsJson is null).Select(r => r.Id).ToList();
        if (unloaded.Count > 0)
        {
            var traits = await db.TraitsOfRecordIdsAsync(ws, unloaded);
            foreach (var record in members.Where(r => r.TraitsJson is null))
            {
                record.TraitsJson = traits.GetValueOrDefault(record.Id, "{}");
            }
        }

        return Survive(members, profiles);
    }

    /// <summary>Chooses the traits of each profile; profiles are independent, so both cores share the work.</summary>
    private Dictionary<long, ProfileTraits> Survive(IEnumerable<StoredRecord> members, IEnumerable<long> profiles)
    {
        var byProfile = members.GroupBy(r => r.CustomerId).ToDictionary(g => g.Key, g => g.ToList());
        var ids = profiles.ToArray();
        var results = new ProfileTraits[ids.Length];
        Parallel.For(0, ids.Length, i => results[i] = SurviveOne(ids[i], byProfile.GetValueOrDefault(ids[i]) ?? []));
        return results.ToDictionary(p => p.CustomerId);
    }

    private static readonly JsonObject Empty = [];

    private ProfileTraits SurviveOne(long customerId, List<StoredRecord> records)
    {
        if (records.Count == 1)
        {
            // One record: its traits survive as they are, without building them again.
            var only = records[0];
            var json = only.TraitsJson ?? "{}";
            var origin = new TraitOrigin(only.Source, only.Key, DateTimeOffset.FromUnixTimeMilliseconds(only.UpdatedAt));
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var names = document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                ? document.RootElement.EnumerateObject().Where(p => p.Value.ValueKind != System.Text.Json.JsonValueKind.Null).Select(p => (p.Name, origin)).ToList()
                : [];
            return new ProfileTraits(customerId, json, TraitOrigins.Encode(names), ProfileNames.SearchName(document.RootElement));
        }

        var (traitsJson, originsJson, searchName) = Survivorship.ApplyJson(
            records.Select(r => (new TraitCandidate(r.Source, r.Key, DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt), Empty), r.TraitsJson ?? "{}")).ToList(),
            settings);
        return new ProfileTraits(customerId, traitsJson, originsJson, searchName);
    }

    private async Task WriteIdentifierRowsAsync(List<Change> changes, CancellationToken cancellationToken)
    {
        var added = new List<(Identifier, long)>();
        var removed = new List<(Identifier, long)>();
        foreach (var change in changes)
        {
            var before = change.OldIdentifiers.ToHashSet();
            var after = change.Record.Identifiers.ToHashSet();
            added.AddRange(after.Except(before).Select(i => (i, change.Record.Id)));
            removed.AddRange(before.Except(after).Select(i => (i, change.Record.Id)));
        }

        await db.DeleteRecordIdentifiersAsync(ws, removed);
        await BulkRecordWriter.InsertRecordIdentifiersAsync(db, ws, added, cancellationToken);
    }

    /// <summary>Recomputes the surviving traits of stored profiles from their stored records.</summary>
    private async Task RecomputeProfilesAsync(List<long> customerIds, CancellationToken cancellationToken)
    {
        var members = await db.RecordsOfCustomersAsync(ws, customerIds);
        var updated = await Personas.PersonaTraits.KeepAsync(db.Connection, db.Transaction, ws, Survive(members, customerIds).Values.ToList());
        await BulkRecordWriter.UpdateProfilesAsync(db, updated, now, cancellationToken);
        await db.AddCounterAsync(ws, OpenCem.Storage.DataVersions.Traits, 1);
    }
}
