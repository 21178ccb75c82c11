using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Value.Churn;

/// <summary>The states of a churn model's training.</summary>
public static class ChurnModelStatus
{
    public const string Queued = "queued";
    public const string Training = "training";
    public const string Scoring = "scoring";
    public const string Ready = "ready";

    /// <summary>The request cannot give a model (a label matching no or all customers, too few of either): the client's to fix.</summary>
    public const string Invalid = "invalid";
    public const string Failed = "failed";

    public static bool IsFinished(string status) => status is Ready or Invalid or Failed;
}

/// <summary>A stored churn model version.</summary>
public sealed class ChurnModelRow
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public string Status { get; set; } = "";
    public double Progress { get; set; }
    public string Label { get; set; } = "";
    public string Exclude { get; set; } = "[]";
    public string? Metrics { get; set; }
    public string? Features { get; set; }
    public string? Model { get; set; }
    public string? Error { get; set; }
    public long CreatedAt { get; set; }
    public long? FinishedAt { get; set; }

    public IReadOnlyList<string> ExcludeList => JsonSerializer.Deserialize<List<string>>(Exclude) ?? [];
}

/// <summary>Churn model versions in <c>churn_models</c>: queued by a request, advanced by the worker.</summary>
public sealed class ChurnModelStore(Database database, TimeProvider time)
{
    private const string Columns = "id AS Id, workspace_id AS WorkspaceId, status AS Status, progress AS Progress, label AS Label, exclude AS Exclude, metrics AS Metrics, features AS Features, model AS Model, error AS Error, created_at AS CreatedAt, finished_at AS FinishedAt";

    public async Task<long> CreateAsync(long workspaceId, string label, IReadOnlyList<string> exclude, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO churn_models (workspace_id, status, progress, label, exclude, created_at)
            VALUES (@workspaceId, @status, 0, @label, @exclude, @now) RETURNING id
            """,
            new { workspaceId, status = ChurnModelStatus.Queued, label, exclude = JsonSerializer.Serialize(exclude), now = time.GetUtcNow().ToUnixTimeMilliseconds() });
    }

    public async Task<ChurnModelRow?> GetAsync(long workspaceId, long id, bool withModel = false, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var columns = withModel ? Columns : Columns.Replace("model AS Model", "NULL AS Model", StringComparison.Ordinal);
        return await connection.QuerySingleOrDefaultAsync<ChurnModelRow>(
            $"SELECT {columns} FROM churn_models WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id });
    }

    /// <summary>The queued models, oldest first (a restart picks up what was asked before it).</summary>
    public async Task<IReadOnlyList<ChurnModelRow>> QueuedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ChurnModelRow>(
            $"SELECT {Columns} FROM churn_models WHERE status IN ('queued', 'training', 'scoring') ORDER BY id")).ToList();
    }

    public async Task SetProgressAsync(long id, string status, double progress, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE churn_models SET status = @status, progress = @progress WHERE id = @id", new { id, status, progress });
    }

    public async Task SaveModelAsync(long id, string metrics, string features, byte[] model, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE churn_models SET status = @status, progress = 0.9, metrics = @metrics, features = @features, model = @model WHERE id = @id",
            new { id, status = ChurnModelStatus.Scoring, metrics, features, model = Convert.ToBase64String(model) });
    }

    public async Task FinishAsync(long id, string status, string? error, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE churn_models SET status = @status, progress = 1, error = @error, finished_at = @now WHERE id = @id",
            new { id, status, error, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
    }
}
