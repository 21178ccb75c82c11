using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Value.Fits;

/// <summary>The versioned fits in <c>clv_fits</c>: each request is a row; its result is kept as JSON so reads are one row.</summary>
public sealed class ClvFitStore(Database database, TimeProvider time)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Columns =
        "id AS Id, status AS Status, progress AS Progress, request AS Request, result AS Result, error AS Error, error_field AS ErrorField, created_at AS CreatedAt, started_at AS StartedAt, finished_at AS FinishedAt";

    public async Task<long> QueueAsync(long workspaceId, ClvFitRequest request, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO clv_fits (workspace_id, status, progress, request, created_at) VALUES (@workspaceId, @status, 0, @request, @now) RETURNING id",
            new { workspaceId, status = ClvFitStatus.Queued, request = JsonSerializer.Serialize(request, Json), now = Now() }, cancellationToken: cancellationToken));
    }

    public async Task<ClvFitView?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken = default) =>
        await ReadAsync("WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id }, cancellationToken);

    /// <summary>The newest finished fit, the one dashboards read.</summary>
    public async Task<ClvFitView?> LatestAsync(long workspaceId, CancellationToken cancellationToken = default) =>
        await ReadAsync("WHERE workspace_id = @workspaceId AND status = 'done' ORDER BY id DESC LIMIT 1", new { workspaceId }, cancellationToken);

    /// <summary>The newest <paramref name="limit"/> finished fits, newest first (customer equity across fits).</summary>
    public async Task<IReadOnlyList<ClvFitView>> RecentDoneAsync(long workspaceId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FitRow>(new CommandDefinition(
            $"SELECT {Columns} FROM clv_fits WHERE workspace_id = @workspaceId AND status = 'done' ORDER BY id DESC LIMIT @limit",
            new { workspaceId, limit }, cancellationToken: cancellationToken));
        return rows.Select(View).ToList();
    }

    /// <summary>Takes a queued fit for running; false when another worker took it first.</summary>
    public async Task<bool> ClaimAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE clv_fits SET status = 'running', started_at = @now, progress = 0 WHERE id = @id AND status = 'queued'", new { id, now = Now() }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>The queued fits, oldest first; fits left running by a process that died are queued again first.</summary>
    internal async Task<List<(long Id, long WorkspaceId)>> QueuedAsync(TimeSpan stale, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE clv_fits SET status = 'queued' WHERE status = 'running' AND started_at < @before", new { before = Now() - (long)stale.TotalMilliseconds }, cancellationToken: cancellationToken));
        return (await connection.QueryAsync<(long, long)>(new CommandDefinition(
            "SELECT id, workspace_id FROM clv_fits WHERE status = 'queued' ORDER BY id", cancellationToken: cancellationToken))).ToList();
    }

    internal async Task<ClvFitRequest> RequestAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var json = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT request FROM clv_fits WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return JsonSerializer.Deserialize<ClvFitRequest>(json!, Json)!;
    }

    internal async Task ProgressAsync(long id, double progress, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE clv_fits SET progress = @progress WHERE id = @id", new { id, progress }, cancellationToken: cancellationToken));
    }

    internal async Task FinishAsync(long id, ClvFitResultView result, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE clv_fits SET status = 'done', progress = 1, result = @result, finished_at = @now WHERE id = @id",
            new { id, result = JsonSerializer.Serialize(result, Json), now = Now() }, cancellationToken: cancellationToken));
    }

    internal async Task FailAsync(long id, string error, string? field, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE clv_fits SET status = 'failed', error = @error, error_field = @field, finished_at = @now WHERE id = @id",
            new { id, error, field, now = Now() }, cancellationToken: cancellationToken));
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<ClvFitView?> ReadAsync(string where, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<FitRow>(new CommandDefinition(
            $"SELECT {Columns} FROM clv_fits {where}", parameters, cancellationToken: cancellationToken));
        return row is null ? null : View(row);
    }

    private static ClvFitView View(FitRow row) =>
        new ClvFitView(
            row.Id, row.Status, row.Progress, JsonSerializer.Deserialize<ClvFitRequest>(row.Request, Json)!,
            row.Result is null ? null : JsonSerializer.Deserialize<ClvFitResultView>(row.Result, Json), row.Error, row.ErrorField,
            DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt), Time(row.StartedAt), Time(row.FinishedAt));

    private static DateTimeOffset? Time(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    private sealed class FitRow
    {
        public long Id { get; set; }

        public string Status { get; set; } = "";

        public double Progress { get; set; }

        public string Request { get; set; } = "";

        public string? Result { get; set; }

        public string? Error { get; set; }

        public string? ErrorField { get; set; }

        public long CreatedAt { get; set; }

        public long? StartedAt { get; set; }

        public long? FinishedAt { get; set; }
    }
}
