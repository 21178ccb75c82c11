namespace OpenCem.Customers;

/// <summary>A record as resolution sees it: stored already (with an id and a profile) or arriving now.</summary>
public sealed record PlanRecord(long? Id, string Source, string Key, long? CustomerId, IReadOnlyList<Identifier> Identifiers);

/// <summary>A tracking identity (userId or anonymousId) that interactions point to.</summary>
public readonly record struct TrackingIdentity(long Id, long CustomerId);

/// <summary>
/// What a resolution run changes: which profile each record belongs to, which existing profile ids survive, which
/// are merged away, and which tracking identities move. Profile ids stay stable: a profile keeps the smallest
/// existing id among its records and tracking identities, so merges and re-runs rewrite as little as possible.
/// </summary>
public sealed class ResolutionPlan
{
    /// <summary>For each input record, the index of its profile in <see cref="Profiles"/>.</summary>
    public required int[] ProfileOf { get; init; }

    /// <summary>Each profile's existing customer id, or null for a new profile.</summary>
    public required List<long?> Profiles { get; init; }

    /// <summary>Existing customer ids no profile kept, with the profile that absorbed them.</summary>
    public required Dictionary<long, int> MergedAway { get; init; }

    /// <summary>Tracking identities whose profile changes, with the profile they move to.</summary>
    public required List<(Identifier Identifier, TrackingIdentity Identity, int Profile)> MovedIdentities { get; init; }

    /// <summary>Tracking identifiers on records with no identity yet: events for them will join the profile.</summary>
    public required List<(Identifier Identifier, int Profile)> NewIdentities { get; init; }

    public required Resolution Resolution { get; init; }

    public static bool IsTrackingType(string type) => type is IdentifierKinds.UserId or IdentifierKinds.AnonymousId;

    /// <param name="records">Stored and arriving records; stored ones first keeps the order stable across runs.</param>
    /// <param name="identities">The stored tracking identities for the tracking identifiers these records carry.</param>
    /// <param name="keptApart">Pairs of record indices a user split apart.</param>
    /// <param name="settings">Matching rules.</param>
    /// <param name="knownCounts">Workspace-wide record counts of identifiers, when the records are a neighbourhood.</param>
    public static ResolutionPlan Make(
        IReadOnlyList<PlanRecord> records,
        IReadOnlyDictionary<Identifier, TrackingIdentity> identities,
        IReadOnlyCollection<(int A, int B)> keptApart,
        IdentitySettings settings,
        IReadOnlyDictionary<Identifier, int>? knownCounts = null)
    {
        var resolution = IdentityGraph.Resolve(
            records.Select(r => r.Source).ToList(),
            records.Select(r => r.Identifiers).ToList(),
            settings,
            keptApart,
            knownCounts);

        // Profiles in the order of their first record.
        var profileOf = new int[records.Count];
        var profileIndex = new Dictionary<int, int>();
        for (var i = 0; i < records.Count; i++)
        {
            var representative = resolution.ProfileOf[i];
            if (!profileIndex.TryGetValue(representative, out var p))
            {
                profileIndex[representative] = p = profileIndex.Count;
            }

            profileOf[i] = p;
        }

        var profileCount = profileIndex.Count;
        var candidates = new Dictionary<int, List<long>>();
        var votes = new Dictionary<long, Dictionary<int, int>>();

        var identityProfile = new Dictionary<Identifier, int>();
        for (var i = 0; i < records.Count; i++)
        {
            var p = profileOf[i];
            if (records[i].CustomerId is { } customer)
            {
                Vote(customer, p);
            }

            foreach (var identifier in records[i].Identifiers)
            {
                // A tracking identity on records of several profiles stays with the first.
                if (IsTrackingType(identifier.Type) && identityProfile.TryAdd(identifier, p) && identities.TryGetValue(identifier, out var identity))
                {
                    Vote(identity.CustomerId, p);
                }
            }
        }

        // Each profile keeps its smallest existing id that no earlier profile kept.
        var claimed = new HashSet<long>();
        var profiles = new List<long?>(profileCount);
        for (var p = 0; p < profileCount; p++)
        {
            long? kept = null;
            var own = candidates.GetValueOrDefault(p) ?? [];
            own.Sort();
            foreach (var candidate in own)
            {
                if (claimed.Add(candidate))
                {
                    kept = candidate;
                    break;
                }
            }

            profiles.Add(kept);
        }

        var mergedAway = new Dictionary<long, int>();
        foreach (var (customer, byProfile) in votes)
        {
            if (!claimed.Contains(customer))
            {
                mergedAway[customer] = byProfile.OrderByDescending(v => v.Value).ThenBy(v => v.Key).First().Key;
            }
        }

        var moved = new List<(Identifier, TrackingIdentity, int)>();
        var created = new List<(Identifier, int)>();
        foreach (var (identifier, p) in identityProfile)
        {
            if (identities.TryGetValue(identifier, out var identity))
            {
                if (profiles[p] != identity.CustomerId)
                {
                    moved.Add((identifier, identity, p));
                }
            }
            else
            {
                created.Add((identifier, p));
            }
        }

        return new ResolutionPlan
        {
            ProfileOf = profileOf,
            Profiles = profiles,
            MergedAway = mergedAway,
            MovedIdentities = moved,
            NewIdentities = created,
            Resolution = resolution,
        };

        void Vote(long customer, int p)
        {
            (candidates.TryGetValue(p, out var list) ? list : candidates[p] = []).Add(customer);
            var byProfile = votes.TryGetValue(customer, out var v) ? v : votes[customer] = [];
            byProfile[p] = byProfile.GetValueOrDefault(p) + 1;
        }
    }
}
