using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Value.Churn;

/// <summary>Reads stored churn results: one customer's risk and reasons, a model version's figures. Index lookups only.</summary>
public sealed class ChurnQuery(Database database, ChurnModelStore models)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ChurnCustomerView?> CustomerAsync(long workspaceId, long customerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ScoreRow>(
            """
            SELECT churn_risk AS Risk, churn_reasons AS Reasons, churn_model_id AS ModelId FROM customer_values
            WHERE workspace_id = @workspaceId AND customer_id = @customerId AND churn_risk IS NOT NULL
            """,
            new { workspaceId, customerId });
        return row is { Risk: { } risk, ModelId: { } model }
            ? new ChurnCustomerView(customerId, risk, model, Reasons(row.Reasons))
            : null;
    }

    public static IReadOnlyList<ChurnReason> Reasons(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<ChurnReason>>(json, Json) ?? [];

    public async Task<ChurnModelView?> ModelAsync(long workspaceId, long id, CancellationToken cancellationToken = default) =>
        await models.GetAsync(workspaceId, id, cancellationToken: cancellationToken) is { } row ? View(row) : null;

    public static ChurnModelView View(ChurnModelRow row)
    {
        if (row.Metrics is { } metrics && JsonSerializer.Deserialize<ChurnModelView>(metrics, Json) is { } stored)
        {
            return stored with { Status = row.Status, Progress = Math.Round(row.Progress, 2), Error = row.Error };
        }

        return new ChurnModelView(row.Id, row.Status, Math.Round(row.Progress, 2), row.Label, Error: row.Error);
    }

    private sealed class ScoreRow
    {
        public double? Risk { get; set; }
        public string? Reasons { get; set; }
        public long? ModelId { get; set; }
    }
}
