using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Customers;
using OpenCem.Storage;

namespace OpenCem.Feedback.Responses;

/// <summary>
/// Finds the profile behind a respondent: a profile id (following merges), a tracking identity (userId,
/// anonymousId), or any identifier of a source record (e-mail, phone, customer number ...). A respondent nobody
/// knows yet gets a profile of their own from a record of the <c>surveys</c> source, which identity resolution
/// links as soon as another source carries the same identifier.
/// </summary>
public sealed class RespondentLookup(IdentityService identity)
{
    public const string SurveySource = "surveys";

    /// <summary>Reads <c>customerId</c>, <c>userId</c>, <c>anonymousId</c>, <c>email</c> and an <c>identifiers</c> object.</summary>
    public static Respondent Read(JsonElement body, IdentitySettings settings, IDictionary<string, string[]> errors)
    {
        long? customerId = null;
        if (body.TryGetProperty("customerId", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            if (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var parsed) && parsed > 0)
            {
                customerId = parsed;
            }
            else
            {
                errors["customerId"] = ["must be a profile id (a positive whole number)."];
            }
        }

        var raw = new List<(string Type, string Value, string Field)>();
        foreach (var name in new[] { IdentifierKinds.UserId, IdentifierKinds.AnonymousId, "email", "customerNumber", "phone" })
        {
            if (body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                raw.Add((name, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText(), name));
            }
        }

        if (body.TryGetProperty("identifiers", out var identifiers) && identifiers.ValueKind != JsonValueKind.Null)
        {
            if (identifiers.ValueKind != JsonValueKind.Object)
            {
                errors["identifiers"] = ["must be an object of identifier type → value, e.g. {\"email\": \"...\"}."];
            }
            else
            {
                foreach (var property in identifiers.EnumerateObject())
                {
                    raw.Add((property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText(), $"identifiers.{property.Name}"));
                }
            }
        }

        var normaliser = new IdentifierNormaliser(settings);
        var found = new List<Identifier>();
        foreach (var (type, value, field) in raw)
        {
            if (settings.IdentifierTypes.All(t => t.Type != type))
            {
                errors[field] = [$"'{type}' is not an identifier type of this workspace ({string.Join(", ", settings.IdentifierTypes.Select(t => t.Type))})."];
                continue;
            }

            var (normalised, error) = normaliser.Normalise(type, value);
            if (normalised is null)
            {
                errors[field] = [error ?? "is not a valid identifier."];
                continue;
            }

            found.Add(new Identifier(type, normalised));
        }

        return customerId is null && found.Count == 0 ? Respondent.Anonymous : new Respondent(customerId, found.Distinct().ToList());
    }

    /// <summary>The current profile of each respondent that is known, by respondent, in the caller's transaction.</summary>
    public static async Task<Dictionary<Respondent, long>> FindAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, IEnumerable<Respondent> respondents)
    {
        var all = respondents.Where(r => !r.IsAnonymous).Distinct().ToList();
        var byIdentifier = await FindIdentifiersAsync(connection, transaction, workspaceId, all.SelectMany(r => r.Identifiers).Distinct());
        var byId = await CurrentIdsAsync(connection, transaction, workspaceId, all.Where(r => r.CustomerId is not null).Select(r => r.CustomerId!.Value).Distinct().ToList());
        var found = new Dictionary<Respondent, long>();
        foreach (var respondent in all)
        {
            if (respondent.CustomerId is { } customerId && byId.TryGetValue(customerId, out var current))
            {
                found[respondent] = current;
                continue;
            }

            foreach (var identifier in respondent.Identifiers)
            {
                if (byIdentifier.TryGetValue(identifier, out var customer))
                {
                    found[respondent] = customer;
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>The profile of each identifier that is known: tracking identities directly, other types through the records that carry them.</summary>
    internal static async Task<Dictionary<Identifier, long>> FindIdentifiersAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, IEnumerable<Identifier> identifiers)
    {
        var byIdentifier = new Dictionary<Identifier, long>();
        foreach (var group in identifiers.GroupBy(i => i.Type))
        {
            var values = group.Select(i => i.Value).ToList();
            var sql = IdentifierSql(group.Key, $"AND {SqlLists.In(connection, ResolutionPlan.IsTrackingType(group.Key) ? "value" : "i.value", "values")}");
            foreach (var chunk in values.Chunk(500))
            {
                foreach (var row in await connection.QueryAsync<(string Value, long CustomerId)>(sql, new { workspaceId, kind = group.Key, values = chunk }, transaction))
                {
                    byIdentifier[new Identifier(group.Key, row.Value)] = row.CustomerId;
                }
            }
        }

        return byIdentifier;
    }

    /// <summary>Every identifier of one type in the workspace with its profile: cheaper than lookups when a file names most of them.</summary>
    internal static async Task LoadIdentifiersAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, string type, Dictionary<Identifier, long> into)
    {
        foreach (var row in await connection.QueryAsync<(string Value, long CustomerId)>(IdentifierSql(type, ""), new { workspaceId, kind = type }, transaction))
        {
            into[new Identifier(type, row.Value)] = row.CustomerId;
        }
    }

    private static string IdentifierSql(string type, string valueFilter) => ResolutionPlan.IsTrackingType(type)
        ? $"SELECT value AS Value, customer_id AS CustomerId FROM customer_identities WHERE workspace_id = @workspaceId AND kind = @kind {valueFilter}"
        : $"""
          SELECT i.value AS Value, min(r.customer_id) AS CustomerId FROM record_identifiers i JOIN source_records r ON r.id = i.record_id
          WHERE i.workspace_id = @workspaceId AND i.kind = @kind {valueFilter} GROUP BY i.value
          """;

    /// <summary>Gives each unknown respondent (with identifiers) a profile, through identity resolution; null when there was nothing to create.</summary>
    public async Task<ResolveOutcome?> CreateProfilesAsync(long workspaceId, IReadOnlyCollection<Respondent> unknown, CancellationToken cancellationToken)
    {
        var records = unknown.Where(r => r.Identifiers.Count > 0)
            .Select(r => (Key: r.Identifiers[0].ToString(), r.Identifiers))
            .DistinctBy(r => r.Key)
            .Select((r, i) => new IncomingRecord(new SourceRecord(SurveySource, r.Key, r.Identifiers, "{}", null), i + 1, UpsertMode.Accumulate))
            .ToList();
        return records.Count > 0 ? await identity.UpsertAsync(workspaceId, records, cancellationToken) : null;
    }

    /// <summary>Profile ids as they are now: merged-away ids follow their redirect; erased or unknown ids are dropped.</summary>
    internal static async Task<Dictionary<long, long>> CurrentIdsAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, List<long> ids)
    {
        var current = new Dictionary<long, long>();
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var id in await connection.QueryAsync<long>(
                $"SELECT id FROM customers WHERE workspace_id = @workspaceId AND {SqlLists.In(connection, "id", "chunk")} AND erased_at IS NULL", new { workspaceId, chunk }, transaction))
            {
                current[id] = id;
            }

            foreach (var (old, now) in await connection.QueryAsync<(long Old, long Now)>(
                $"SELECT old_customer_id, customer_id FROM customer_redirects WHERE workspace_id = @workspaceId AND {SqlLists.In(connection, "old_customer_id", "chunk")}", new { workspaceId, chunk }, transaction))
            {
                current.TryAdd(old, now);
            }
        }

        return current;
    }
}
