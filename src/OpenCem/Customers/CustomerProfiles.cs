using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Customers.Storage;
using OpenCem.Storage;

namespace OpenCem.Customers;

/// <summary>
/// The read side of Customer 360: profiles by id (following merges), search by any identifier or name, and why
/// a profile holds its records. Every read is an index lookup on the customer, never a scan of a table.
/// </summary>
public sealed class CustomerProfiles(Database database, IdentityService identity, TimeProvider time)
{
    private const int SearchLimit = 20;

    /// <summary>The profile id that now holds this id (itself, or the profile it was merged into), or null.</summary>
    public async Task<long?> ResolveIdAsync(long workspaceId, long customerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ResolveIdAsync(connection, workspaceId, customerId);
    }

    private static async Task<long?> ResolveIdAsync(DbConnection connection, long ws, long id)
    {
        if (await connection.ExecuteScalarAsync<long?>("SELECT id FROM customers WHERE workspace_id = @ws AND id = @id AND erased_at IS NULL", new { ws, id }) is { } found)
        {
            return found;
        }

        return await connection.ExecuteScalarAsync<long?>(
            """
            SELECT c.id FROM customer_redirects r JOIN customers c ON c.id = r.customer_id
            WHERE r.workspace_id = @ws AND r.old_customer_id = @id AND c.erased_at IS NULL
            """,
            new { ws, id });
    }

    public async Task<CustomerProfile?> GetAsync(long workspaceId, long customerId, CancellationToken cancellationToken = default)
    {
        var settings = await identity.GetSettingsAsync(workspaceId, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await ResolveIdAsync(connection, workspaceId, customerId) is not { } id)
        {
            return null;
        }

        var row = await connection.QuerySingleAsync<(long CreatedAt, long UpdatedAt, string? Traits, string? Sources)>(
            "SELECT created_at, updated_at, traits, trait_sources FROM customers WHERE id = @id", new { id });
        var traits = row.Traits is null ? [] : JsonNode.Parse(row.Traits) as JsonObject ?? [];
        var origins = row.Sources is null ? [] : TraitOrigins.Decode(row.Sources);
        var records = await RecordsAsync(connection, workspaceId, id);
        var identities = Identities(records, await TrackingIdentitiesAsync(connection, workspaceId, id));
        var value = await ValueAsync(connection, workspaceId, id, settings.Lifecycle, CustomerSince(traits, settings.Lifecycle));
        var merged = (await connection.QueryAsync<long>(
            "SELECT old_customer_id FROM customer_redirects WHERE workspace_id = @workspaceId AND customer_id = @id ORDER BY old_customer_id", new { workspaceId, id })).ToList();

        return new CustomerProfile(
            id,
            ProfileNames.DisplayName(traits),
            DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt),
            identities,
            records.Select(r => r.View).ToList(),
            traits,
            origins,
            ProfileTraitsReader.Preferences(traits),
            ProfileTraitsReader.Consent(traits),
            value.Lifecycle,
            ProfileTraitsReader.Text(traits, "loyaltyState", "loyalty"),
            value.Value,
            await ScoresAsync(connection, workspaceId, id),
            merged,
            await PredictionAsync(connection, workspaceId, id));
    }

    /// <summary>The stored CLV and churn figures of the customer (one primary-key read), or null before any fit or model.</summary>
    private static async Task<ProfilePrediction?> PredictionAsync(DbConnection connection, long ws, long id)
    {
        var row = await connection.QuerySingleOrDefaultAsync<PredictionRow>(
            """
            SELECT clv AS Clv, p_alive AS ProbabilityAlive, expected_purchases AS ExpectedPurchases, churn_risk AS ChurnRisk,
                   churn_model_id AS ChurnModelId, churn_reasons AS ChurnReasons
            FROM customer_values WHERE workspace_id = @ws AND customer_id = @id
            """,
            new { ws, id });
        return row is null
            ? null
            : new ProfilePrediction(row.Clv, row.ProbabilityAlive, row.ExpectedPurchases, row.ChurnRisk, row.ChurnModelId, Value.Churn.ChurnQuery.Reasons(row.ChurnReasons));
    }

    private sealed class PredictionRow
    {
        public double? Clv { get; set; }
        public double? ProbabilityAlive { get; set; }
        public double? ExpectedPurchases { get; set; }
        public double? ChurnRisk { get; set; }
        public long? ChurnModelId { get; set; }
        public string? ChurnReasons { get; set; }
    }

    /// <summary>Finds profiles by e-mail, phone, customer number, any identifier, or part of the name.</summary>
    public async Task<IReadOnlyList<CustomerMatch>> SearchAsync(long workspaceId, string query, CancellationToken cancellationToken = default)
    {
        var settings = await identity.GetSettingsAsync(workspaceId, cancellationToken);
        var normaliser = new IdentifierNormaliser(settings);
        var found = new Dictionary<long, string>();
        await using var connection = await database.OpenAsync(cancellationToken);
        var q = query.Trim();
        foreach (var rule in settings.IdentifierTypes)
        {
            if (normaliser.Normalise(rule.Type, q) is not ({ } value, null))
            {
                continue;
            }

            var customers = ResolutionPlan.IsTrackingType(rule.Type)
                ? await connection.QueryAsync<long>(
                    "SELECT customer_id FROM customer_identities WHERE workspace_id = @workspaceId AND kind = @kind AND value = @value",
                    new { workspaceId, kind = rule.Type, value })
                : await connection.QueryAsync<long>(
                    """
                    SELECT DISTINCT r.customer_id FROM record_identifiers i JOIN source_records r ON r.id = i.record_id
                    WHERE i.workspace_id = @workspaceId AND i.kind = @kind AND i.value = @value
                    """,
                    new { workspaceId, kind = rule.Type, value });
            foreach (var customer in customers.Take(SearchLimit))
            {
                found.TryAdd(customer, rule.Type);
            }
        }

        if (found.Count < SearchLimit && q.Length >= 2)
        {
            var pattern = "%" + q.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            foreach (var customer in await connection.QueryAsync<long>(
                "SELECT id FROM customers WHERE workspace_id = @workspaceId AND search_name LIKE @pattern ESCAPE '\\' ORDER BY id LIMIT @limit",
                new { workspaceId, pattern, limit = SearchLimit }))
            {
                found.TryAdd(customer, "name");
            }
        }

        var matches = new List<CustomerMatch>();
        foreach (var (id, matchedOn) in found.Take(SearchLimit))
        {
            var traitsJson = await connection.ExecuteScalarAsync<string?>("SELECT traits FROM customers WHERE id = @id", new { id });
            var traits = traitsJson is null ? [] : JsonNode.Parse(traitsJson) as JsonObject ?? [];
            matches.Add(new CustomerMatch(
                id,
                ProfileNames.DisplayName(traits),
                ProfileTraitsReader.Text(traits, "email"),
                ProfileTraitsReader.Text(traits, "phone"),
                ProfileTraitsReader.Text(traits, "customerNumber"),
                matchedOn));
        }

        return matches;
    }

    /// <summary>Which identifiers linked the profile's records and when; what was kept apart and why.</summary>
    public async Task<MergeExplanation?> ExplainAsync(long workspaceId, long customerId, CancellationToken cancellationToken = default)
    {
        var settings = await identity.GetSettingsAsync(workspaceId, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await ResolveIdAsync(connection, workspaceId, customerId) is not { } id)
        {
            return null;
        }

        var records = await RecordsAsync(connection, workspaceId, id);
        var counts = new Dictionary<Identifier, int>();
        foreach (var identifier in records.SelectMany(r => r.Identifiers).Distinct())
        {
            counts[identifier] = await connection.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM (SELECT 1 FROM record_identifiers WHERE workspace_id = @workspaceId AND kind = @kind AND value = @value LIMIT @limit) AS c",
                new { workspaceId, kind = identifier.Type, value = identifier.Value, limit = settings.MaxRecordsPerIdentifier + 1 });
        }

        var index = records.Select((r, i) => (r.RecordId, i)).ToDictionary(x => x.RecordId, x => x.i);
        var splits = (await connection.QueryAsync<(long A, long B)>(
            "SELECT record_a, record_b FROM identity_splits WHERE workspace_id = @workspaceId", new { workspaceId }))
            .Where(s => index.ContainsKey(s.A) && index.ContainsKey(s.B)).Select(s => (index[s.A], index[s.B])).ToList();
        var resolution = IdentityGraph.Resolve(records.Select(r => r.View.Source).ToList(), records.Select(r => r.Identifiers).ToList(), settings, splits, counts);
        string Name(int i) => records[i].View.Source + "/" + records[i].View.Id;
        var merged = (await connection.QueryAsync<(long Old, long At)>(
            "SELECT old_customer_id, merged_at FROM customer_redirects WHERE workspace_id = @workspaceId AND customer_id = @id ORDER BY merged_at", new { workspaceId, id }))
            .Select(m => new MergedProfile(m.Old, DateTimeOffset.FromUnixTimeMilliseconds(m.At))).ToList();

        return new MergeExplanation(
            id,
            records.Select(r => r.View).ToList(),
            resolution.Links.Select(l => new MergeLink(Name(l.RecordA), Name(l.RecordB), l.Identifier.Type, l.Identifier.Value,
                DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(records[l.RecordA].CreatedAt, records[l.RecordB].CreatedAt)))).ToList(),
            resolution.Blocked.Select(b => new KeptApart(Name(b.RecordA), Name(b.RecordB), b.Identifier.Type, b.Identifier.Value, b.Reason)).ToList(),
            resolution.Shared.Select(s => new SharedIdentifier(s.Identifier.Type, s.Identifier.Value, s.Records)).ToList(),
            merged);
    }

    internal sealed record RecordOfProfile(long RecordId, ProfileRecord View, IReadOnlyList<Identifier> Identifiers, long CreatedAt, string Traits);

    internal static async Task<List<RecordOfProfile>> RecordsAsync(DbConnection connection, long workspaceId, long customerId) =>
        (await connection.QueryAsync<(long Id, string Source, string Key, string Identifiers, long UpdatedAt, long ReceivedAt, long CreatedAt, string Traits)>(
            """
            SELECT id, source, record_key, identifiers, updated_at, received_at, created_at, traits FROM source_records
            WHERE workspace_id = @workspaceId AND customer_id = @customerId ORDER BY id
            """,
            new { workspaceId, customerId }))
        .Select(r => new RecordOfProfile(
            r.Id,
            new ProfileRecord(r.Source, r.Key, DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt), DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedAt)),
            IdentifierCodec.Decode(r.Identifiers),
            r.CreatedAt,
            r.Traits))
        .ToList();

    internal static async Task<List<(string Kind, string Value)>> TrackingIdentitiesAsync(DbConnection connection, long workspaceId, long customerId) =>
        (await connection.QueryAsync<(string, string)>(
            "SELECT kind, value FROM customer_identities WHERE workspace_id = @workspaceId AND customer_id = @customerId ORDER BY id",
            new { workspaceId, customerId })).ToList();

    private static List<ProfileIdentifier> Identities(List<RecordOfProfile> records, List<(string Kind, string Value)> tracking)
    {
        var byIdentifier = new Dictionary<Identifier, List<IdentifierOrigin>>();
        foreach (var record in records)
        {
            foreach (var identifier in record.Identifiers)
            {
                (byIdentifier.TryGetValue(identifier, out var list) ? list : byIdentifier[identifier] = []).Add(new IdentifierOrigin(record.View.Source, record.View.Id));
            }
        }

        foreach (var (kind, value) in tracking)
        {
            var identifier = new Identifier(kind, value);
            var list = byIdentifier.TryGetValue(identifier, out var l) ? l : byIdentifier[identifier] = [];
            if (!list.Any(o => o.Source == IdentifierKinds.TrackingSource && o.Record is null))
            {
                list.Add(new IdentifierOrigin(IdentifierKinds.TrackingSource, null));
            }
        }

        return byIdentifier.Select(b => new ProfileIdentifier(b.Key.Type, b.Key.Value, b.Value)).OrderBy(i => i.Type, StringComparer.Ordinal).ThenBy(i => i.Value, StringComparer.Ordinal).ToList();
    }

    private static DateTimeOffset? CustomerSince(JsonObject traits, LifecycleRules rules) =>
        rules.CustomerSinceTrait is { } name && ProfileTraitsReader.Text(traits, name) is { } text
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var since)
            ? since
            : null;

    /// <summary>Value and life-cycle facts from the customer's interactions, on the customer's index range.</summary>
    /// <summary>Latest scores by the customer's index on responses: one short range read per metric.</summary>
    private static async Task<ProfileScores> ScoresAsync(DbConnection connection, long ws, long id)
    {
        async Task<LatestScore?> LatestAsync(string column)
        {
            var row = await connection.QueryFirstOrDefaultAsync<(long Value, long SurveyId, long At)?>(
                $"""
                SELECT CAST({column} AS BIGINT), survey_id, submitted_at FROM survey_responses
                WHERE workspace_id = @ws AND customer_id = @id AND {column} IS NOT NULL AND status = 'completed' ORDER BY submitted_at DESC LIMIT 1
                """,
                new { ws, id });
            return row is { } r ? new LatestScore((int)r.Value, r.SurveyId, DateTimeOffset.FromUnixTimeMilliseconds(r.At)) : null;
        }

        var args = new { ws, id };
        return new ProfileScores(
            await LatestAsync("nps"),
            await LatestAsync("csat"),
            await LatestAsync("ces"),
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM survey_responses WHERE workspace_id = @ws AND customer_id = @id AND status = 'completed'", args),
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM signals WHERE workspace_id = @ws AND customer_id = @id", args));
    }

    private async Task<(ProfileValue Value, ProfileLifecycle Lifecycle)> ValueAsync(DbConnection connection, long ws, long id, LifecycleRules rules, DateTimeOffset? since)
    {
        var args = new DynamicParameters(new { ws, id });
        args.Add("purchases", rules.PurchaseEvents.ToArray());
        args.Add("cancellations", rules.CancellationEvents.ToArray());
        var purchases = "(" + In("event", "purchases") + (rules.RevenueCountsAsPurchase ? " OR revenue > 0)" : ")");
        var cancellations = In("event", "cancellations");
        var row = await connection.QuerySingleAsync<(long Count, double? Revenue, double? Cost, long? First, long? Last, long? FirstPurchase, long? LastPurchase, long? LastCancellation)>(
            $"""
            SELECT count(*), sum(revenue), sum(cost), min(occurred_at), max(occurred_at),
                   min(CASE WHEN {purchases} THEN occurred_at END), max(CASE WHEN {purchases} THEN occurred_at END),
                   max(CASE WHEN {cancellations} THEN occurred_at END)
            FROM interactions WHERE workspace_id = @ws AND customer_id = @id
            """,
            args);
        long? returned = null;
        if (row.LastCancellation is { } cancelled && row.LastPurchase > cancelled)
        {
            args.Add("after", cancelled);
            returned = await connection.ExecuteScalarAsync<long?>(
                $"SELECT min(occurred_at) FROM interactions WHERE workspace_id = @ws AND customer_id = @id AND occurred_at > @after AND {purchases}", args);
        }

        static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
        var firstPurchase = Time(row.FirstPurchase) is { } first && (since is null || first < since) ? first : since;
        var lastPurchase = Time(row.LastPurchase) ?? since;
        var facts = new LifecycleFacts(firstPurchase, lastPurchase, Time(row.Last), Time(row.LastCancellation), Time(returned));
        var stage = LifecycleDerivation.Derive(facts, rules, time.GetUtcNow());
        return (
            new ProfileValue(row.Count, row.Revenue ?? 0, row.Cost ?? 0, Time(row.First), Time(row.Last)),
            new ProfileLifecycle(stage, facts.FirstPurchase, facts.LastPurchase, facts.LastActivity, facts.LastCancellation));

        string In(string column, string parameter) =>
            database.Kind == DatabaseKind.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";
    }
}
