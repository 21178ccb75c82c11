using Dapper;
using Microsoft.Extensions.Caching.Memory;
using OpenCem.Storage;

namespace OpenCem.Feedback.Advocates;

/// <summary>Reads each customer's referral events, positive public reviews and promoter answers, and ranks them with <see cref="AdvocateScore"/>.</summary>
public sealed class AdvocateQuery(Database database, IMemoryCache? cache = null)
{
    /// <summary>How long the dashboard's advocate ranking is reused: it reads every customer's referrals and answers.</summary>
    public static readonly TimeSpan DashboardFreshness = TimeSpan.FromMinutes(5);

    /// <summary>The tracking event a referral arrives as (the Segment spec's name for it; the demo sends it).</summary>
    public const string ReferralEvent = "Referral Sent"; // also in the partial index ix_interactions_referrals (migration 24)

    public async Task<IReadOnlyList<Advocate>> RankAsync(long workspaceId, DateTimeOffset? since, double minimumScore, int limit, CancellationToken cancellationToken = default) =>
        AdvocateScore.Rank((await FactsAsync(workspaceId, since, null, cancellationToken)).Values, minimumScore, limit);

    /// <summary>
    /// The ranking as of at most <see cref="DashboardFreshness"/> ago (the dashboard's view; the API reads it live):
    /// advocacy builds up over weeks, and recounting it per page view would cost seconds on a large history. A change of
    /// customers' traits (an erasure among them) is seen at once.
    /// </summary>
    public async Task<IReadOnlyList<Advocate>> RankRecentAsync(long workspaceId, double minimumScore, int limit, CancellationToken cancellationToken = default)
    {
        if (cache is null)
        {
            return await RankAsync(workspaceId, null, minimumScore, limit, cancellationToken);
        }

        // Under the traits version too, which an erasure bumps: an erased person leaves the ranking at once.
        return await RememberedResults.GetAsync(cache, database, workspaceId, [DataVersions.Traits], (typeof(AdvocateQuery), workspaceId, minimumScore, limit),
            () => RankAsync(workspaceId, null, minimumScore, limit, cancellationToken), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = DashboardFreshness },
            cancellationToken);
    }

    /// <summary>The facts per customer (only <paramref name="customers"/> when given).</summary>
    public async Task<Dictionary<long, AdvocacyFacts>> FactsAsync(
        long workspaceId, DateTimeOffset? since, IReadOnlyList<long>? customers, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var from = since?.ToUnixTimeMilliseconds() ?? 0;
        var only = customers is null ? "" : " AND " + SqlLists.In(connection, "customer_id", "customers");
        // The event name is written into the SQL, not bound: only a literal lets the planner use the partial index on referrals.
        var parameters = new { workspaceId, from, customers = customers?.ToArray() };
        var referrals = await connection.QueryAsync<CountRow>(new CommandDefinition(
            $"""
            SELECT customer_id AS CustomerId, count(*) AS N, max(occurred_at) AS Last FROM interactions
            WHERE workspace_id = @workspaceId AND event = '{ReferralEvent}' AND occurred_at >= @from{only} GROUP BY customer_id
            """, parameters, cancellationToken: cancellationToken));
        var reviews = await connection.QueryAsync<CountRow>(new CommandDefinition(
            $"""
            SELECT customer_id AS CustomerId, count(*) AS N, max(occurred_at) AS Last FROM signals
            WHERE workspace_id = @workspaceId AND customer_id IS NOT NULL AND occurred_at >= @from AND rating IS NOT NULL AND rating_max > 0
              AND rating / rating_max >= 0.8{only} GROUP BY customer_id
            """, parameters, cancellationToken: cancellationToken));
        var promoters = await connection.QueryAsync<CountRow>(new CommandDefinition(
            $"""
            SELECT customer_id AS CustomerId, count(*) AS N, max(submitted_at) AS Last FROM survey_responses
            WHERE workspace_id = @workspaceId AND customer_id IS NOT NULL AND nps >= 9 AND submitted_at >= @from{only} GROUP BY customer_id
            """, parameters, cancellationToken: cancellationToken));
        var latest = await connection.QueryAsync<LatestRow>(new CommandDefinition(
            $"""
            SELECT r.customer_id AS CustomerId, r.nps AS Nps, r.submitted_at AS At FROM survey_responses r
            JOIN (SELECT customer_id, max(submitted_at) AS last FROM survey_responses
                  WHERE workspace_id = @workspaceId AND customer_id IS NOT NULL AND nps IS NOT NULL{only} GROUP BY customer_id) m
              ON m.customer_id = r.customer_id AND m.last = r.submitted_at
            WHERE r.workspace_id = @workspaceId AND r.nps IS NOT NULL
            """, parameters, cancellationToken: cancellationToken));

        var facts = new Dictionary<long, AdvocacyFacts>();
        AdvocacyFacts Of(long id) => facts.TryGetValue(id, out var f) ? f : new AdvocacyFacts(id, 0, null, 0, 0, null, null);
        foreach (var row in referrals)
        {
            facts[row.CustomerId] = Of(row.CustomerId) with { Referrals = (int)row.N, LastReferral = DateTimeOffset.FromUnixTimeMilliseconds(row.Last) };
        }

        foreach (var row in reviews)
        {
            facts[row.CustomerId] = Of(row.CustomerId) with { PositiveReviews = (int)row.N };
        }

        foreach (var row in promoters)
        {
            facts[row.CustomerId] = Of(row.CustomerId) with { PromoterAnswers = (int)row.N };
        }

        foreach (var row in latest)
        {
            // Two answers in the same millisecond: the lower score counts, so a detractor is never hidden.
            if (facts.TryGetValue(row.CustomerId, out var f) && (f.LatestNpsAt is null || f.LatestNps > row.Nps))
            {
                facts[row.CustomerId] = f with { LatestNps = (int)row.Nps, LatestNpsAt = DateTimeOffset.FromUnixTimeMilliseconds(row.At) };
            }
        }

        // Erased people keep their scores in anonymous aggregates but are nobody's advocate. Their profiles are marked
        // erased (the tombstones name only those who had identifiers).
        foreach (var erased in await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM customers WHERE workspace_id = @workspaceId AND erased_at IS NOT NULL", parameters, cancellationToken: cancellationToken)))
        {
            facts.Remove(erased);
        }

        return facts;
    }

    private sealed class CountRow
    {
        public long CustomerId { get; set; }

        public long N { get; set; }

        public long Last { get; set; }
    }

    private sealed class LatestRow
    {
        public long CustomerId { get; set; }

        public long Nps { get; set; }

        public long At { get; set; }
    }
}
