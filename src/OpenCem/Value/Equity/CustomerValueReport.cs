using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Customers;
using OpenCem.Storage;
using OpenCem.Value.Churn;
using OpenCem.Value.Fits;

namespace OpenCem.Value.Equity;

/// <summary>Customer equity as of one finished CLV fit.</summary>
public sealed record EquityPoint(long FitId, string AsOf, DateTimeOffset? FinishedAt, double CustomerEquity, int CustomersValued);

/// <summary>A customer on the churn-risk list: risk, value, and the reasons the model gives.</summary>
public sealed record AtRiskCustomer(long CustomerId, string? Name, double Risk, double? Clv, IReadOnlyList<ChurnReason> Reasons);

public sealed record AtRiskPage(long Total, IReadOnlyList<AtRiskCustomer> Customers);

/// <summary>
/// The value figures the dashboard shows besides <see cref="EquityQuery"/>: the CLV distribution, customer equity
/// across fits, and the customers most at risk. Reads the stored results (<c>customer_values</c>, <c>clv_fits</c>);
/// nothing is recomputed from purchases or interactions.
/// </summary>
public sealed class CustomerValueReport(Database database, ClvFitStore fits)
{
    public const int MaxPageSize = 100;

    public async Task<ClvDistribution> ClvDistributionAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var values = (await connection.QueryAsync<double>(new CommandDefinition(
            "SELECT clv FROM customer_values WHERE workspace_id = @workspaceId AND clv IS NOT NULL", new { workspaceId }, cancellationToken: cancellationToken))).AsList();
        return ClvHistogram.Of(values);
    }

    /// <summary>The customer equity of the newest <paramref name="limit"/> finished fits, oldest first.</summary>
    public async Task<IReadOnlyList<EquityPoint>> EquityTrendAsync(long workspaceId, int limit = 24, CancellationToken cancellationToken = default) =>
        (await fits.RecentDoneAsync(workspaceId, limit, cancellationToken))
            .Where(f => f.Result is not null)
            .Select(f => new EquityPoint(f.Id, f.Result!.AsOf, f.FinishedAt, f.Result.CustomerEquity, f.Result.CustomersValued))
            .OrderBy(p => p.FitId)
            .ToList();

    /// <summary>Customers by churn risk, highest first, one page (names from their traits; the caller masks them).</summary>
    public async Task<AtRiskPage> AtRiskAsync(long workspaceId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var offset = (long)(Math.Max(page, 1) - 1) * pageSize;
        await using var connection = await database.OpenAsync(cancellationToken);
        var args = new { workspaceId, pageSize, offset };
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT count(*) FROM customer_values v JOIN customers c ON c.id = v.customer_id AND c.workspace_id = v.workspace_id
            WHERE v.workspace_id = @workspaceId AND v.churn_risk IS NOT NULL AND c.erased_at IS NULL
            """, args, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<RiskRow>(new CommandDefinition(
            """
            SELECT v.customer_id AS CustomerId, v.churn_risk AS Risk, v.clv AS Clv, v.churn_reasons AS Reasons, c.traits AS Traits
            FROM customer_values v JOIN customers c ON c.id = v.customer_id AND c.workspace_id = v.workspace_id
            WHERE v.workspace_id = @workspaceId AND v.churn_risk IS NOT NULL AND c.erased_at IS NULL
            ORDER BY v.churn_risk DESC, v.customer_id
            LIMIT @pageSize OFFSET @offset
            """, args, cancellationToken: cancellationToken));
        return new AtRiskPage(total, rows.Select(r => new AtRiskCustomer(
            r.CustomerId, r.Traits is null ? null : JsonNode.Parse(r.Traits) is JsonObject traits ? ProfileNames.DisplayName(traits) : null,
            r.Risk, r.Clv, ChurnQuery.Reasons(r.Reasons))).ToList());
    }

    private sealed class RiskRow
    {
        public long CustomerId { get; set; }

        public double Risk { get; set; }

        public double? Clv { get; set; }

        public string? Reasons { get; set; }

        public string? Traits { get; set; }
    }
}
