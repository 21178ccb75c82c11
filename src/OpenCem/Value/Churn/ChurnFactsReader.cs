using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using OpenCem.Customers;

namespace OpenCem.Value.Churn;

/// <summary>
/// Reads <see cref="ChurnFacts"/> for the customers whose ids lie in [<c>from</c>, <c>to</c>], from data that happened
/// before <c>before</c> only (so a time-based label never sees the future). Each query is one range read on the
/// customer indexes, so scoring can walk all customers in chunks with bounded memory.
/// </summary>
public static class ChurnFactsReader
{
    /// <summary>A response score at or below these marks a poor experience at its touchpoint.</summary>
    public const int PoorNps = 6;
    public const int PoorCsat = 2;
    public const int PoorCes = 3;

    private static readonly TimeSpan RepeatWindow = TimeSpan.FromDays(7);

    public static async Task<IReadOnlyList<long>> CustomerIdsAsync(DbConnection connection, long ws) =>
        (await connection.QueryAsync<long>("SELECT id FROM customers WHERE workspace_id = @ws AND erased_at IS NULL ORDER BY id", new { ws })).ToList();

    public static async Task<Dictionary<long, string>> TouchpointKeysAsync(DbConnection connection, long ws) =>
        (await connection.QueryAsync<KeyRow>("SELECT id AS Id, key AS Key FROM touchpoints WHERE workspace_id = @ws", new { ws })).ToDictionary(r => r.Id, r => r.Key);

    /// <param name="traits">
    /// The traits to read (those a model uses, and the customer-since trait); null reads them all. Leaving the others
    /// unread changes nothing a model or its reasons see, and saves most of the reading when scoring.
    /// </param>
    public static async Task<Dictionary<long, ChurnFacts>> ReadAsync(
        DbConnection connection, long ws, long from, long to, long before, long now, LifecycleRules rules, IReadOnlyDictionary<long, string> touchpoints,
        IReadOnlyCollection<string>? traits = null)
    {
        var args = new DynamicParameters(new { ws, from, to, before });
        // Sized for the range at once (ids are mostly dense): growing a table of 20,000 customers step by step costs
        // as much again in copies, and those large arrays are what make the collector walk the whole heap.
        var capacity = (int)Math.Clamp(to - from + 1, 0, 32_768);
        var facts = await CustomersAsync(connection, args, new ChurnTraitsReader(traits), capacity);

        await InteractionsAsync(connection, args, facts, now, rules, touchpoints);
        await ResponsesAsync(connection, args, facts);
        await SentimentAsync(connection, args, facts);
        foreach (var row in await connection.QueryAsync<CaseRow>(
            """
            SELECT customer_id AS Customer, count(*) AS Total, sum(CASE WHEN closed_at IS NULL OR closed_at >= @before THEN 1 ELSE 0 END) AS Open
            FROM cases WHERE workspace_id = @ws AND customer_id >= @from AND customer_id <= @to AND created_at < @before GROUP BY customer_id
            """, args))
        {
            if (facts.TryGetValue(row.Customer, out var f))
            {
                f.Add(ChurnFeatureNames.Cases, row.Total);
                f.Add(ChurnFeatureNames.OpenCases, row.Open);
            }
        }

        return facts;
    }

    /// <summary>The customers in the range with their traits; SQLite hands the traits over as the stored UTF-8 bytes.</summary>
    private static async Task<Dictionary<long, ChurnFacts>> CustomersAsync(DbConnection connection, DynamicParameters args, ChurnTraitsReader traits, int capacity)
    {
        var facts = new Dictionary<long, ChurnFacts>(capacity);
        var sqlite = connection is not Npgsql.NpgsqlConnection;
        await using var reader = await connection.ExecuteReaderAsync(
            $"SELECT id, {(sqlite ? "CAST(traits AS BLOB)" : "traits")} FROM customers WHERE workspace_id = @ws AND id >= @from AND id <= @to AND erased_at IS NULL", args);
        var buffer = ArrayPool<byte>.Shared.Rent(4_096);
        try
        {
            while (await reader.ReadAsync())
            {
                var f = new ChurnFacts(reader.GetInt64(0));
                facts[f.CustomerId] = f;
                if (reader.IsDBNull(1))
                {
                    continue;
                }

                int length;
                if (sqlite)
                {
                    length = (int)reader.GetBytes(1, 0, null, 0, 0);
                    buffer = Fit(buffer, length);
                    reader.GetBytes(1, 0, buffer, 0, length);
                }
                else
                {
                    var json = reader.GetString(1);
                    buffer = Fit(buffer, Encoding.UTF8.GetMaxByteCount(json.Length));
                    length = Encoding.UTF8.GetBytes(json, buffer);
                }

                traits.Read(buffer.AsSpan(0, length), f.Traits);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return facts;
    }

    private static byte[] Fit(byte[] buffer, int length)
    {
        if (buffer.Length >= length)
        {
            return buffer;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        return ArrayPool<byte>.Shared.Rent(length);
    }

    private static async Task InteractionsAsync(
        DbConnection connection, DynamicParameters args, Dictionary<long, ChurnFacts> facts, long now, LifecycleRules rules, IReadOnlyDictionary<long, string> touchpoints)
    {
        var purchases = rules.PurchaseEvents.ToHashSet(StringComparer.Ordinal);
        var cancellations = rules.CancellationEvents.ToHashSet(StringComparer.Ordinal);
        var spans = new Dictionary<long, Span>(facts.Count);
        var names = new FeatureNameCache();
        foreach (var row in await connection.QueryAsync<InteractionGroup>(
            """
            SELECT customer_id AS Customer, event AS Event, channel AS Channel, outcome AS Outcome, journey_key AS Journey, touchpoint_id AS Touchpoint,
                   count(*) AS Total, min(occurred_at) AS First, max(occurred_at) AS Last, sum(effort) AS EffortSum, count(effort) AS EffortCount,
                   max(CASE WHEN revenue > 0 THEN occurred_at END) AS LastRevenue, min(CASE WHEN revenue > 0 THEN occurred_at END) AS FirstRevenue
            FROM interactions WHERE workspace_id = @ws AND customer_id >= @from AND customer_id <= @to AND occurred_at < @before
            GROUP BY customer_id, event, channel, outcome, journey_key, touchpoint_id
            """, args))
        {
            if (!facts.TryGetValue(row.Customer, out var f))
            {
                continue;
            }

            var span = spans.TryGetValue(row.Customer, out var s) ? s : spans[row.Customer] = new Span();
            span.First = Math.Min(span.First, row.First);
            span.Last = Math.Max(span.Last, row.Last);
            var purchase = (row.Event is { } e && purchases.Contains(e)) || (rules.RevenueCountsAsPurchase && row.LastRevenue is not null);
            if (purchase)
            {
                span.FirstPurchase = Math.Min(span.FirstPurchase, row.FirstRevenue ?? row.First);
                span.LastPurchase = Math.Max(span.LastPurchase, row.LastRevenue ?? row.Last);
            }

            if (row.Event is { } c && cancellations.Contains(c))
            {
                span.LastCancellation = Math.Max(span.LastCancellation, row.Last);
            }

            f.Add(ChurnFeatureNames.Interactions, row.Total);
            f.Add(names.Channel(row.Channel ?? "unknown"), row.Total);
            if (row.Outcome is { } outcome)
            {
                f.Add(names.Outcome(outcome), row.Total);
                if (outcome is "failure" or "abandoned" && row.Touchpoint is { } tp)
                {
                    f.PoorTouchpoints.Add(tp);
                    if (outcome == "failure")
                    {
                        f.Add(names.Failures(tp, touchpoints), row.Total);
                    }
                }
            }

            if (row.EffortCount > 0)
            {
                f.Add("effort.sum", row.EffortSum ?? 0);
                f.Add("effort.n", row.EffortCount);
                if (row.Journey is { } journey)
                {
                    var (sum, n) = names.JourneyEffort(journey);
                    f.Add(sum, row.EffortSum ?? 0);
                    f.Add(n, row.EffortCount);
                    span.JourneyEffort = true;
                }
            }
        }

        foreach (var (customer, f) in facts)
        {
            MeanOfSums(f, "effort.sum", "effort.n", ChurnFeatureNames.MeanEffort);
            var since = CustomerSince(f.Traits, rules);
            if (spans.TryGetValue(customer, out var span))
            {
                if (span.JourneyEffort)
                {
                    foreach (var key in f.Counts.Keys.Where(k => k.StartsWith("effort.sum.", StringComparison.Ordinal)).ToList())
                    {
                        var journey = key["effort.sum.".Length..];
                        MeanOfSums(f, key, "effort.n." + journey, ChurnFeatureNames.JourneyEffort(journey));
                    }
                }

                var first = Math.Min(span.First, since ?? long.MaxValue);
                f.TenureDays = (now - first) / 86_400_000.0;
                f.Measures[ChurnFeatureNames.DaysSinceLastInteraction] = (now - span.Last) / 86_400_000.0;
                var firstPurchase = span.FirstPurchase == long.MaxValue ? since : Math.Min(span.FirstPurchase, since ?? long.MaxValue);
                var lastPurchase = span.LastPurchase == long.MinValue ? since : span.LastPurchase;
                f.Lifecycle = LifecycleDerivation.Derive(
                    new LifecycleFacts(Time(firstPurchase), Time(lastPurchase), Time(span.Last), Time(span.LastCancellation == long.MinValue ? null : span.LastCancellation), null),
                    rules, DateTimeOffset.FromUnixTimeMilliseconds(now));
            }
            else if (since is { } s)
            {
                f.TenureDays = (now - s) / 86_400_000.0;
                f.Lifecycle = LifecycleDerivation.Derive(new LifecycleFacts(Time(s), Time(s), null, null, null), rules, DateTimeOffset.FromUnixTimeMilliseconds(now));
            }
        }

        // Repeated failure of one step (the same event) within a week: the frustration of a self-service loop.
        var streak = new Dictionary<long, int>();
        long lastCustomer = -1;
        string? lastEvent = null;
        var window = new Queue<long>();
        foreach (var row in await connection.QueryAsync<FailureRow>(
            """
            SELECT customer_id AS Customer, event AS Event, occurred_at AS At FROM interactions
            WHERE workspace_id = @ws AND customer_id >= @from AND customer_id <= @to AND occurred_at < @before AND outcome = 'failure' AND event IS NOT NULL
            ORDER BY customer_id, event, occurred_at
            """, args))
        {
            if (row.Customer != lastCustomer || row.Event != lastEvent)
            {
                window.Clear();
                (lastCustomer, lastEvent) = (row.Customer, row.Event);
            }

            window.Enqueue(row.At);
            while (row.At - window.Peek() > RepeatWindow.TotalMilliseconds)
            {
                window.Dequeue();
            }

            streak[row.Customer] = Math.Max(streak.GetValueOrDefault(row.Customer), window.Count);
        }

        foreach (var (customer, count) in streak)
        {
            if (facts.TryGetValue(customer, out var f))
            {
                f.Counts[ChurnFeatureNames.RepeatedFailures] = count;
            }
        }
    }

    private static void MeanOfSums(ChurnFacts f, string sum, string n, string measure)
    {
        if (f.Counts.Remove(sum, out var s) & f.Counts.Remove(n, out var count) && count > 0)
        {
            f.Measures[measure] = s / count;
        }
    }

    private static async Task ResponsesAsync(DbConnection connection, DynamicParameters args, Dictionary<long, ChurnFacts> facts)
    {
        foreach (var group in (await connection.QueryAsync<ResponseRow>(
            """
            SELECT customer_id AS Customer, touchpoint_id AS Touchpoint, nps AS Nps, csat AS Csat, ces AS Ces FROM survey_responses
            WHERE workspace_id = @ws AND customer_id >= @from AND customer_id <= @to AND status = 'completed' AND submitted_at < @before
            ORDER BY customer_id, submitted_at, id
            """, args)).GroupBy(r => r.Customer))
        {
            if (!facts.TryGetValue(group.Key, out var f))
            {
                continue;
            }

            var rows = group.ToList();
            f.Add(ChurnFeatureNames.Responses, rows.Count);
            if (rows.LastOrDefault(r => r.Nps is not null) is { Nps: { } nps })
            {
                f.Measures[ChurnFeatureNames.LastNps] = nps;
            }

            if (rows.Where(r => r.Csat is not null).Select(r => (double)r.Csat!.Value).DefaultIfEmpty(double.NaN).Average() is var csat && !double.IsNaN(csat))
            {
                f.Measures[ChurnFeatureNames.MeanCsat] = csat;
            }

            if (rows.Where(r => r.Ces is not null).Select(r => (double)r.Ces!.Value).DefaultIfEmpty(double.NaN).Average() is var ces && !double.IsNaN(ces))
            {
                f.Measures[ChurnFeatureNames.MeanCes] = ces;
            }

            foreach (var r in rows)
            {
                if (r.Touchpoint is { } tp && (r.Nps <= PoorNps || r.Csat <= PoorCsat || r.Ces <= PoorCes))
                {
                    f.PoorTouchpoints.Add(tp);
                }
            }
        }
    }

    private static async Task SentimentAsync(DbConnection connection, DynamicParameters args, Dictionary<long, ChurnFacts> facts)
    {
        foreach (var row in await connection.QueryAsync<SentimentRow>(
            """
            SELECT x.customer_id AS Customer, sum(x.sentiment) AS Total, count(*) AS N, sum(CASE WHEN x.label = 'negative' THEN 1 ELSE 0 END) AS Negative
            FROM (SELECT r.customer_id, t.sentiment, t.label FROM survey_responses r
                  JOIN text_analyses t ON t.workspace_id = r.workspace_id AND t.item_kind = 'response' AND t.item_id = r.id
                  WHERE r.workspace_id = @ws AND r.customer_id >= @from AND r.customer_id <= @to AND r.submitted_at < @before
                  UNION ALL
                  SELECT s.customer_id, t.sentiment, t.label FROM signals s
                  JOIN text_analyses t ON t.workspace_id = s.workspace_id AND t.item_kind = 'signal' AND t.item_id = s.id
                  WHERE s.workspace_id = @ws AND s.customer_id >= @from AND s.customer_id <= @to AND s.occurred_at < @before) x
            GROUP BY x.customer_id
            """, args))
        {
            if (facts.TryGetValue(row.Customer, out var f) && row.N > 0)
            {
                f.Measures[ChurnFeatureNames.MeanSentiment] = row.Total / row.N;
                f.Add(ChurnFeatureNames.NegativeTexts, row.Negative);
            }
        }
    }

    private static long? CustomerSince(Dictionary<string, string> traits, LifecycleRules rules) =>
        rules.CustomerSinceTrait is { } name && traits.TryGetValue(name, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
            ? since.ToUnixTimeMilliseconds()
            : null;

    private static DateTimeOffset? Time(long? ms) => ms is { } v && v != long.MaxValue && v != long.MinValue ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    private sealed class Span
    {
        public long First { get; set; } = long.MaxValue;
        public long Last { get; set; } = long.MinValue;
        public long FirstPurchase { get; set; } = long.MaxValue;
        public long LastPurchase { get; set; } = long.MinValue;
        public long LastCancellation { get; set; } = long.MinValue;
        public bool JourneyEffort { get; set; }
    }

    /// <summary>The feature names of one read, built once per channel, outcome, touchpoint and journey rather than once per row.</summary>
    private sealed class FeatureNameCache
    {
        private readonly Dictionary<string, string> _channels = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _outcomes = new(StringComparer.Ordinal);
        private readonly Dictionary<long, string> _failures = [];
        private readonly Dictionary<string, (string, string)> _journeys = new(StringComparer.Ordinal);

        public string Channel(string channel) => _channels.TryGetValue(channel, out var name) ? name : _channels[channel] = ChurnFeatureNames.Channel(channel);

        public string Outcome(string outcome) => _outcomes.TryGetValue(outcome, out var name) ? name : _outcomes[outcome] = ChurnFeatureNames.Outcome(outcome);

        public string Failures(long touchpoint, IReadOnlyDictionary<long, string> keys) => _failures.TryGetValue(touchpoint, out var name)
            ? name
            : _failures[touchpoint] = ChurnFeatureNames.Failures(keys.TryGetValue(touchpoint, out var key) ? key : touchpoint.ToString(CultureInfo.InvariantCulture));

        public (string Sum, string N) JourneyEffort(string journey) =>
            _journeys.TryGetValue(journey, out var names) ? names : _journeys[journey] = ("effort.sum." + journey, "effort.n." + journey);
    }

    private sealed class KeyRow
    {
        public long Id { get; set; }
        public string Key { get; set; } = "";
    }

    private sealed class CaseRow
    {
        public long Customer { get; set; }
        public long Total { get; set; }
        public long Open { get; set; }
    }

    private sealed class InteractionGroup
    {
        public long Customer { get; set; }
        public string? Event { get; set; }
        public string? Channel { get; set; }
        public string? Outcome { get; set; }
        public string? Journey { get; set; }
        public long? Touchpoint { get; set; }
        public long Total { get; set; }
        public long First { get; set; }
        public long Last { get; set; }
        public double? EffortSum { get; set; }
        public long EffortCount { get; set; }
        public long? LastRevenue { get; set; }
        public long? FirstRevenue { get; set; }
    }

    private sealed class FailureRow
    {
        public long Customer { get; set; }
        public string Event { get; set; } = "";
        public long At { get; set; }
    }

    private sealed class ResponseRow
    {
        public long Customer { get; set; }
        public long? Touchpoint { get; set; }
        public int? Nps { get; set; }
        public int? Csat { get; set; }
        public int? Ces { get; set; }
    }

    private sealed class SentimentRow
    {
        public long Customer { get; set; }
        public double Total { get; set; }
        public long N { get; set; }
        public long Negative { get; set; }
    }
}
