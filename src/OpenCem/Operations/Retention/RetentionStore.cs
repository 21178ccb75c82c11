using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Operations.Retention;

/// <summary>The retention policy of each workspace and what its last pass removed.</summary>
public sealed class RetentionStore(Database database, TimeProvider time)
{
    public async Task<(RetentionPolicy Policy, RetentionRun? LastRun)> GetAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PolicyRow>(new CommandDefinition(
            "SELECT interactions_days AS InteractionsDays, comments_days AS CommentsDays, personal_data_days AS PersonalDataDays, last_run AS LastRun FROM retention_policies WHERE workspace_id = @workspaceId",
            new { workspaceId }, cancellationToken: cancellationToken));
        return row is null
            ? (RetentionPolicy.KeepEverything, null)
            : (row.Policy(),
               row.LastRun is null ? null : JsonSerializer.Deserialize<RetentionRun>(row.LastRun));
    }

    public async Task SaveAsync(long workspaceId, RetentionPolicy policy, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO retention_policies (workspace_id, interactions_days, comments_days, personal_data_days, updated_at)
            VALUES (@workspaceId, @InteractionsDays, @CommentsDays, @PersonalDataDays, @now)
            ON CONFLICT (workspace_id) DO UPDATE SET interactions_days = excluded.interactions_days, comments_days = excluded.comments_days,
                personal_data_days = excluded.personal_data_days, updated_at = excluded.updated_at
            """,
            new { workspaceId, policy.InteractionsDays, policy.CommentsDays, policy.PersonalDataDays, now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    /// <summary>The workspaces whose policy removes something.</summary>
    public async Task<IReadOnlyList<(long WorkspaceId, RetentionPolicy Policy)>> ActiveAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PolicyRow>(new CommandDefinition(
            """
            SELECT workspace_id AS WorkspaceId, interactions_days AS InteractionsDays, comments_days AS CommentsDays, personal_data_days AS PersonalDataDays
            FROM retention_policies
            WHERE interactions_days IS NOT NULL OR comments_days IS NOT NULL OR personal_data_days IS NOT NULL
            ORDER BY workspace_id
            """, cancellationToken: cancellationToken));
        return [.. rows.Select(r => (r.WorkspaceId, r.Policy()))];
    }

    public async Task RecordRunAsync(long workspaceId, RetentionRun run, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE retention_policies SET last_run_at = @RanAt, last_run = @json WHERE workspace_id = @workspaceId",
            new { workspaceId, run.RanAt, json = JsonSerializer.Serialize(run) }, cancellationToken: cancellationToken));
    }

    private sealed class PolicyRow
    {
        public long WorkspaceId { get; set; }

        public long? InteractionsDays { get; set; }

        public long? CommentsDays { get; set; }

        public long? PersonalDataDays { get; set; }

        public string? LastRun { get; set; }

        public RetentionPolicy Policy() => new(Days(InteractionsDays), Days(CommentsDays), Days(PersonalDataDays));

        private static int? Days(long? days) => days is { } d ? (int)d : null;
    }
}
