using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Analytics.Ladder;

/// <summary>
/// Reads what the ladder looks at for every customer of a workspace: completed NPS and CSAT answers, the rules' events,
/// public reviews with a rating, and the tenure trait. A scheduled full read: the interactions are scanned for the
/// rules' event names once per recomputation, never per request.
/// </summary>
public static class LadderFactsReader
{
    public static async Task<Dictionary<long, LadderFacts>> ReadAsync(DbConnection connection, long workspaceId, LadderRules rules)
    {
        var facts = new Dictionary<long, LadderFacts>();
        LadderFacts Of(long customer)
        {
            if (!facts.TryGetValue(customer, out var f))
            {
                f = new LadderFacts();
                facts[customer] = f;
            }

            return f;
        }

        foreach (var r in await connection.QueryAsync<AnswerRow>(
            """
            SELECT customer_id AS CustomerId, submitted_at AS At, nps AS Nps, csat AS Csat FROM survey_responses
            WHERE workspace_id = @workspaceId AND customer_id IS NOT NULL AND status = 'completed' AND (nps IS NOT NULL OR csat IS NOT NULL)
            """,
            new { workspaceId }))
        {
            var f = Of(r.CustomerId);
            if (r.Nps is { } nps)
            {
                f.Nps.Add((r.At, (int)nps));
            }

            if (r.Csat is { } csat)
            {
                f.Csat.Add((r.At, (int)csat));
            }
        }

        var events = rules.Loyal.Events.Concat(rules.Advocate.Events).Distinct().ToArray();
        foreach (var e in await connection.QueryAsync<EventRow>(
            $"SELECT customer_id AS CustomerId, occurred_at AS At, event AS Event FROM interactions WHERE workspace_id = @workspaceId AND {SqlLists.In(connection, "event", "events")}",
            new { workspaceId, events }))
        {
            if (facts.TryGetValue(e.CustomerId, out var f))
            {
                f.Events.Add((e.At, e.Event));
            }
        }

        var sources = rules.Advocate.ReviewSources.ToArray();
        foreach (var s in await connection.QueryAsync<ReviewRow>(
            $"""
            SELECT customer_id AS CustomerId, occurred_at AS At, rating / rating_max AS Share FROM signals
            WHERE workspace_id = @workspaceId AND customer_id IS NOT NULL AND rating IS NOT NULL AND rating_max > 0 AND {SqlLists.In(connection, "source", "sources")}
            """,
            new { workspaceId, sources }))
        {
            if (facts.TryGetValue(s.CustomerId, out var f))
            {
                f.Reviews.Add((s.At, s.Share));
            }
        }

        foreach (var c in await connection.QueryAsync<(long Id, string? Traits)>(
            "SELECT id, traits FROM customers WHERE workspace_id = @workspaceId AND traits IS NOT NULL", new { workspaceId }))
        {
            if (facts.TryGetValue(c.Id, out var f))
            {
                f.Since = DateTrait(c.Traits, rules.Loyal.TenureTrait);
                f.Traits = c.Traits;
            }
        }

        foreach (var f in facts.Values)
        {
            f.Sort();
        }

        return facts;
    }

    /// <summary>A trait read as a date (ISO 8601 text, or epoch milliseconds), or null.</summary>
    public static long? DateTrait(string? traits, string name)
    {
        if (traits is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(traits);
            if (!document.RootElement.TryGetProperty(name, out var value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(
                value.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date))
            {
                return date.ToUnixTimeMilliseconds();
            }

            return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var ms) ? ms : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class AnswerRow
    {
        public long CustomerId { get; set; }

        public long At { get; set; }

        public long? Nps { get; set; }

        public long? Csat { get; set; }
    }

    private sealed class EventRow
    {
        public long CustomerId { get; set; }

        public long At { get; set; }

        public string Event { get; set; } = "";
    }

    private sealed class ReviewRow
    {
        public long CustomerId { get; set; }

        public long At { get; set; }

        public double Share { get; set; }
    }
}
