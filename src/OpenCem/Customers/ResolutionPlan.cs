namespace OpenCem.Customers;

/// <summary>A record as resolution sees it: stored already (with an id and a profile) or arriving now.</summary>
public readonly record struct PlanRecord(long? Id, string Source, string Key, long? CustomerId, IReadOnlyList<Identifier> Identifiers);

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
        // Representatives are record indices, so an array maps them to profile numbers.
        var profileOf = new int[records.Count];
        var profileIndex = new int[records.Count];
        Array.Fill(profileIndex, -1);
        var profileCount = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var representative = resolution.ProfileOf[i];
            if (profileIndex[representative] < 0)
            {
                profileIndex[representative] = profileCount++;
            }

            profileOf[i] = profileIndex[representative];
        }


        // Every (profile, existing customer id) pairing, once per record or tracking identity that makes it.
        var votes = new List<(int Profile, long Customer)>();
        var identityProfile = new Dictionary<Identifier, int>();
        for (var i = 0; i < records.Count; i++)
        {
            var p = profileOf[i];
            if (records[i].CustomerId is { } customer)
            {
                votes.Add((p, customer));
            }

            foreach (var identifier in records[i].Identifiers)
            {
                // A tracking identity on records of several profiles stays with the first.
                if (IsTrackingType(identifier.Type) && identityProfile.TryAdd(identifier, p) && identities.TryGetValue(identifier, out var identity))
                {
                    votes.Add((p, identity.CustomerId));
                }
            }
        }

        // Each profile, in order, keeps its smallest existing id that no earlier profile kept.
        votes.Sort();
        var claimed = new HashSet<long>();
        var profiles = new long?[profileCount];
        for (var v = 0; v < votes.Count; v++)
        {
            var (p, customer) = votes[v];
            if (profiles[p] is null && claimed.Add(customer))
            {
                profiles[p] = customer;
            }
        }

        // An id nobody kept is merged away into the profile that holds most of what it had.
        var mergedAway = new Dictionary<long, int>();
        var lost = votes.Where(v => !claimed.Contains(v.Customer)).ToList();
        foreach (var group in lost.GroupBy(v => v.Customer))
        {
            mergedAway[group.Key] = group.GroupBy(v => v.Profile).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
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
            Profiles = [.. profiles],
            MergedAway = mergedAway,
            MovedIdentities = moved,
            NewIdentities = created,
            Resolution = resolution,
        };
    }
}
