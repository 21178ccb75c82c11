using System.Data.Common;
using System.Globalization;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.CrashBench;

/// <summary>One check of the stored data: what, what was expected, what was found.</summary>
internal sealed record Check(string What, string Expected, string Found, bool Passed);

/// <summary>
/// Checks the database directly once the run is over and the server stopped: every sent event stored exactly once,
/// nothing else stored, and every aggregate ingestion maintains (the daily interaction rollup, the workspace's
/// interaction and customer counters, the customers and their tracking identities) equal to a recount from the raw rows.
/// </summary>
internal static class Verifier
{
    public static async Task<List<Check>> VerifyAsync(Database database, long workspaceId, IReadOnlySet<string> sent)
    {
        var checks = new List<Check>();
        await using var connection = await database.OpenAsync();
        var ws = new { ws = workspaceId };

        var rows = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM interactions WHERE workspace_id = @ws", ws);
        checks.Add(Equal("interaction rows", sent.Count, rows));
        var distinct = await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT message_id) FROM interactions WHERE workspace_id = @ws", ws);
        checks.Add(Equal("distinct messageIds", sent.Count, distinct));
        var twice = (await connection.QueryAsync<string>(
            "SELECT message_id FROM interactions WHERE workspace_id = @ws GROUP BY message_id HAVING count(*) > 1", ws)).ToList();
        checks.Add(new Check("messageIds stored more than once", "0", Sample(twice), twice.Count == 0));

        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in await connection.QueryAsync<string>("SELECT message_id FROM interactions WHERE workspace_id = @ws", ws))
        {
            stored.Add(id);
        }

        var missing = sent.Where(id => !stored.Contains(id)).ToList();
        checks.Add(new Check("sent events missing (accepted batch lost)", "0", Sample(missing), missing.Count == 0));
        var foreign = stored.Where(id => !sent.Contains(id)).ToList();
        checks.Add(new Check("stored events never sent", "0", Sample(foreign), foreign.Count == 0));

        checks.Add(await RollupAsync(connection, workspaceId));

        var counters = (await connection.QueryAsync<CounterRow>(
            "SELECT name AS Name, value AS Value FROM workspace_counters WHERE workspace_id = @ws AND name IN ('interactions', 'customers')", ws))
            .ToDictionary(c => c.Name, c => c.Value);
        checks.Add(Equal("workspace counter 'interactions' = count of rows", rows, counters.GetValueOrDefault("interactions")));
        var customers = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM customers WHERE workspace_id = @ws", ws);
        checks.Add(Equal("workspace counter 'customers' = count of customers", customers, counters.GetValueOrDefault("customers")));
        var referenced = await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT customer_id) FROM interactions WHERE workspace_id = @ws", ws);
        checks.Add(Equal("customers = customers with interactions (no orphan from an undone batch)", referenced, customers));
        var identities = (await connection.QueryAsync<CounterRow>(
            "SELECT kind AS Name, count(*) AS Value FROM customer_identities WHERE workspace_id = @ws GROUP BY kind", ws))
            .ToDictionary(c => c.Name, c => c.Value);
        checks.Add(Equal("userId identities = customers (one customer per user)", customers, identities.GetValueOrDefault("userId")));
        checks.Add(Equal("anonymousId identities = customers", customers, identities.GetValueOrDefault("anonymousId")));
        return checks;
    }

    /// <summary>interaction_daily against a GROUP BY over the raw interactions, row by row and column by column.</summary>
    private static async Task<Check> RollupAsync(DbConnection connection, long workspaceId)
    {
        var rollup = (await connection.QueryAsync<RollupRow>("""
            SELECT day AS Day, touchpoint_id AS Touchpoint, channel AS Channel, outcome AS Outcome, interactions AS Interactions,
                   effort_sum AS EffortSum, effort_count AS EffortCount, revenue_sum AS RevenueSum, cost_sum AS CostSum
            FROM interaction_daily WHERE workspace_id = @ws
            """, new { ws = workspaceId })).ToDictionary(r => r.Key);
        var recount = (await connection.QueryAsync<RollupRow>("""
            SELECT occurred_at / 86400000 AS Day, COALESCE(touchpoint_id, 0) AS Touchpoint, COALESCE(channel, '') AS Channel,
                   COALESCE(outcome, '') AS Outcome, count(*) AS Interactions, COALESCE(sum(effort), 0) AS EffortSum,
                   count(effort) AS EffortCount, COALESCE(sum(revenue), 0) AS RevenueSum, COALESCE(sum(cost), 0) AS CostSum
            FROM interactions WHERE workspace_id = @ws AND occurred_at >= 0
            GROUP BY occurred_at / 86400000, COALESCE(touchpoint_id, 0), COALESCE(channel, ''), COALESCE(outcome, '')
            """, new { ws = workspaceId })).ToDictionary(r => r.Key);
        var differences = new List<string>();
        foreach (var key in rollup.Keys.Union(recount.Keys))
        {
            var a = rollup.GetValueOrDefault(key);
            var b = recount.GetValueOrDefault(key);
            if (a is null || b is null || a.Interactions != b.Interactions || a.EffortCount != b.EffortCount
                || !Near(a.EffortSum, b.EffortSum) || !Near(a.RevenueSum, b.RevenueSum) || !Near(a.CostSum, b.CostSum))
            {
                differences.Add($"{key}: rollup {a?.Describe() ?? "missing"} vs recount {b?.Describe() ?? "missing"}");
            }
        }

        var total = rollup.Values.Sum(r => r.Interactions);
        return new Check(
            $"interaction_daily = recount ({recount.Count:N0} rows, {total:N0} interactions)",
            "0 differing rows",
            differences.Count == 0 ? "0 differing rows" : $"{differences.Count} differing: {Sample(differences)}",
            differences.Count == 0);
    }

    private static bool Near(double a, double b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    private static Check Equal(string what, long expected, long found) =>
        new(what, expected.ToString("N0", CultureInfo.InvariantCulture), found.ToString("N0", CultureInfo.InvariantCulture), expected == found);

    private static string Sample(IReadOnlyCollection<string> items) =>
        items.Count == 0 ? "0" : $"{items.Count:N0}, e.g. {string.Join(", ", items.Take(3))}";

    private sealed class CounterRow
    {
        public string Name { get; set; } = string.Empty;

        public long Value { get; set; }
    }

    private sealed class RollupRow
    {
        public long Day { get; set; }

        public long Touchpoint { get; set; }

        public string Channel { get; set; } = string.Empty;

        public string Outcome { get; set; } = string.Empty;

        public long Interactions { get; set; }

        public double EffortSum { get; set; }

        public long EffortCount { get; set; }

        public double RevenueSum { get; set; }

        public double CostSum { get; set; }

        public string Key => $"day {Day} touchpoint {Touchpoint} '{Channel}' '{Outcome}'";

        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"n={Interactions} effort={EffortSum}/{EffortCount} revenue={RevenueSum} cost={CostSum}");
    }
}
