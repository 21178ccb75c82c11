using System.Data.Common;
using Dapper;

namespace OpenCem.Value.Equity;

/// <summary>
/// One row per workspace with its customer equity and revenue at risk, recounted by whoever rewrites
/// <c>customer_values</c> (a CLV fit, a churn scoring, an erasure) so the overview reads one row instead of summing
/// every customer per request. Its version changes with every recount: cached reports of the values key on it.
/// </summary>
public static class EquityTotalsStore
{
    public static Task RefreshAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, long now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO customer_value_totals (workspace_id, customers, equity, at_risk, churn_model_id, version, updated_at)
            SELECT @workspaceId, COUNT(*), COALESCE(SUM(clv), 0), COALESCE(SUM(clv * churn_risk), 0), MAX(churn_model_id), 1, @now
            FROM customer_values WHERE workspace_id = @workspaceId
            ON CONFLICT (workspace_id) DO UPDATE SET customers = excluded.customers, equity = excluded.equity, at_risk = excluded.at_risk,
                churn_model_id = excluded.churn_model_id, version = customer_value_totals.version + 1, updated_at = excluded.updated_at
            """,
            new { workspaceId, now }, transaction);

    /// <summary>The stored totals, recounted first when none are stored yet (values written before the totals existed).</summary>
    public static async Task<EquityTotalsRow> ReadAsync(DbConnection connection, long workspaceId, long now)
    {
        if (await ReadRowAsync(connection, workspaceId) is { } row)
        {
            return row;
        }

        await RefreshAsync(connection, null, workspaceId, now);
        return await ReadRowAsync(connection, workspaceId) ?? throw new InvalidOperationException("The equity totals were not stored.");
    }

    private static Task<EquityTotalsRow?> ReadRowAsync(DbConnection connection, long workspaceId) =>
        connection.QuerySingleOrDefaultAsync<EquityTotalsRow>(
            "SELECT equity AS Equity, at_risk AS AtRisk, churn_model_id AS Model, version AS Version FROM customer_value_totals WHERE workspace_id = @workspaceId",
            new { workspaceId });
}

public sealed class EquityTotalsRow
{
    public double Equity { get; set; }

    public double AtRisk { get; set; }

    public long? Model { get; set; }

    public long Version { get; set; }
}
