using System.Globalization;
using Dapper;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using OpenCem.Storage;
using OpenCem.Value.Churn;

namespace OpenCem.Value.Equity;

public sealed record EquitySegmentsView(string By, string Segment, long? ChurnModelId, double CustomerEquity, double RevenueAtRisk, IReadOnlyList<EquitySegment> Segments);

public sealed record EquityTouchpointsView(
    string By, long? ChurnModelId, string PoorExperience, string ComparedWithin, double PerYear, IReadOnlyList<TouchpointCost> Touchpoints);

/// <summary>
/// Reads the stored values and scores (<c>customer_values</c>, <c>churn_customers</c>) once per request, one row per
/// customer, and reports them with <see cref="EquityReport"/>. Nothing is recomputed from interactions.
/// </summary>
/// <summary>The workspace's customer equity and revenue at risk; the churn model behind the risk, if any scored.</summary>
public sealed record EquityTotals(double CustomerEquity, double RevenueAtRisk, long? ChurnModelId);

public sealed class EquityQuery(Database database, IMemoryCache? cache = null, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public const string PoorExperience =
        "a failed or abandoned interaction at the touchpoint, or a response there with NPS 0-6, CSAT 1-2 or CES 1-3";

    public const string ComparedWithin = "customers of the same life-cycle stage and tenure band without a poor experience at the touchpoint";

    /// <summary>Whether <paramref name="segment"/> names a grouping: lifecycle, tenure, loyalty or trait.NAME.</summary>
    public static bool IsSegment(string segment) =>
        segment is "lifecycle" or "tenure" or "loyalty" || (segment.StartsWith("trait.", StringComparison.Ordinal) && segment.Length > "trait.".Length);

    public Task<EquitySegmentsView> BySegmentAsync(long ws, string segment, CancellationToken cancellationToken = default) =>
        CachedAsync(ws, "segment:" + segment, () => ComputeBySegmentAsync(ws, segment, cancellationToken), cancellationToken);

    public Task<EquityTouchpointsView> ByTouchpointAsync(long ws, CancellationToken cancellationToken = default) =>
        CachedAsync(ws, "touchpoint", () => ComputeByTouchpointAsync(ws, cancellationToken), cancellationToken);

    /// <summary>
    /// Another report over the customers' stored values (the Value page's CLV distribution),
    /// remembered under the same version as the equity reports: <paramref name="view"/> names it.
    /// </summary>
    public Task<T> RememberedAsync<T>(long ws, string view, Func<Task<T>> compute, CancellationToken cancellationToken = default)
        where T : class =>
        CachedAsync(ws, "other:" + view, compute, cancellationToken);

    // The reports read every customer's stored values: computed once per version of the values (each fit, scoring or
    // erasure makes a new one) and kept for later requests. Trait segments are as the traits were at that computation.
    private async Task<T> CachedAsync<T>(long ws, string view, Func<Task<T>> compute, CancellationToken cancellationToken)
        where T : class
    {
        if (cache is null)
        {
            return await compute();
        }

        long version;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            version = (await EquityTotalsStore.ReadAsync(connection, ws, time.GetUtcNow().ToUnixTimeMilliseconds())).Version;
        }

        return await RememberedResults.GetAsync(cache, [version], (typeof(EquityQuery), ws, view), compute);
    }

    private async Task<EquitySegmentsView> ComputeBySegmentAsync(long ws, string segment, CancellationToken cancellationToken)
    {
        var (rows, model) = await ReadAsync(ws, segment, cancellationToken);
        var segments = EquityReport.BySegment(rows);
        return new EquitySegmentsView("segment", segment, model, Math.Round(segments.Sum(s => s.CustomerEquity), 2), Math.Round(segments.Sum(s => s.RevenueAtRisk), 2), segments);
    }

    /// <summary>
    /// Customer equity and revenue at risk of the whole workspace, summed in the database (the dashboard's overview):
    /// the same totals as <see cref="BySegmentAsync"/> without reading every customer.
    /// </summary>
    public async Task<EquityTotals> TotalsAsync(long ws, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var totals = await EquityTotalsStore.ReadAsync(connection, ws, time.GetUtcNow().ToUnixTimeMilliseconds());
        return new EquityTotals(Math.Round(totals.Equity, 2), Math.Round(totals.AtRisk, 2), totals.Model is > 0 ? totals.Model : null);
    }

    private async Task<EquityTouchpointsView> ComputeByTouchpointAsync(long ws, CancellationToken cancellationToken)
    {
        var (rows, model) = await ReadAsync(ws, "lifecycle", cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var touchpoints = (await connection.QueryAsync<(long, string, string)>("SELECT id, key, name FROM touchpoints WHERE workspace_id = @ws", new { ws }))
            .ToDictionary(t => t.Item1, t => (t.Item2, t.Item3));
        var label = await connection.ExecuteScalarAsync<string?>(
            "SELECT label FROM churn_models WHERE workspace_id = @ws AND status = 'ready' ORDER BY id DESC LIMIT 1", new { ws });
        // An event label's risk is over its window: a year holds 365 / DAYS such windows. A trait label's risk has no window; taken as a year's.
        var perYear = ChurnLabel.Parse(label).Label is { IsTrait: false } l ? 365.0 / l.Days : 1.0;
        return new EquityTouchpointsView("touchpoint", model, PoorExperience, ComparedWithin, Math.Round(perYear, 4), EquityReport.ByTouchpoint(rows, touchpoints, perYear));
    }

    private async Task<(List<EquityCustomer> Rows, long? Model)> ReadAsync(long ws, string segment, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var args = new DynamicParameters(new { ws });
        var trait = segment switch
        {
            "loyalty" => "loyaltyState",
            _ when segment.StartsWith("trait.", StringComparison.Ordinal) => segment["trait.".Length..],
            _ => null,
        };
        string segmentSql;
        if (trait is not null)
        {
            var postgres = connection is NpgsqlConnection;
            args.Add("trait", postgres ? trait : "$.\"" + trait.Replace("\"", "", StringComparison.Ordinal) + "\"");
            segmentSql = postgres ? "(c.traits)::jsonb ->> @trait" : "CAST(json_extract(c.traits, @trait) AS TEXT)";
        }
        else
        {
            segmentSql = segment == "tenure" ? "cc.tenure_band" : "cc.lifecycle";
        }

        var rows = new List<EquityCustomer>();
        long? model = null;
        foreach (var row in await connection.QueryAsync<Row>(
            $"""
            SELECT c.id AS Customer, v.clv AS Clv, v.churn_risk AS Risk, v.churn_model_id AS Model, {segmentSql} AS Segment,
                   cc.lifecycle AS Lifecycle, cc.tenure_band AS Band, cc.poor_touchpoints AS Poor
            FROM customers c
            LEFT JOIN customer_values v ON v.workspace_id = c.workspace_id AND v.customer_id = c.id
            LEFT JOIN churn_customers cc ON cc.workspace_id = c.workspace_id AND cc.customer_id = c.id
            WHERE c.workspace_id = @ws AND c.erased_at IS NULL
            """, args))
        {
            model = Math.Max(model ?? 0, row.Model ?? 0) is var m && m > 0 ? m : model;
            rows.Add(new EquityCustomer(
                row.Customer, row.Clv, row.Risk, string.IsNullOrWhiteSpace(row.Segment) ? "(none)" : row.Segment,
                (row.Lifecycle ?? "unknown") + " | " + (row.Band ?? "unknown"),
                string.IsNullOrEmpty(row.Poor) ? [] : row.Poor.Split(',').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray()));
        }

        return (rows, model);
    }

    private sealed class Row
    {
        public long Customer { get; set; }
        public double? Clv { get; set; }
        public double? Risk { get; set; }
        public long? Model { get; set; }
        public string? Segment { get; set; }
        public string? Lifecycle { get; set; }
        public string? Band { get; set; }
        public string? Poor { get; set; }
    }
}
