using System.Data.Common;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Actions.Webhooks;

/// <summary>Webhook subscriptions: created with a new secret, listed, deleted with their deliveries.</summary>
public sealed class WebhookStore(Database database, TimeProvider time)
{
    internal const string Columns =
        "id AS Id, workspace_id AS WorkspaceId, url AS Url, description AS Description, event_types AS EventTypes, secret AS Secret, enabled AS Enabled, created_at AS CreatedAt, previous_secret_until AS PreviousSecretUntil";

    /// <returns>The webhook and its signing secret.</returns>
    public async Task<(Webhook Webhook, string Secret)> CreateAsync(
        long workspaceId, string url, string? description, IReadOnlyList<string> events, CancellationToken cancellationToken = default)
    {
        var secret = WebhookSignature.NewSecret();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO webhooks (workspace_id, url, description, event_types, secret, enabled, created_at)
            VALUES (@workspaceId, @url, @description, @eventTypes, @secret, @enabled, @now) RETURNING id
            """,
            new { workspaceId, url, description, eventTypes = string.Join(' ', events), secret, enabled = 1, now }, cancellationToken: cancellationToken));
        return (new Webhook(id, workspaceId, url, description, events, true, DateTimeOffset.FromUnixTimeMilliseconds(now)), secret);
    }

    public async Task<IReadOnlyList<Webhook>> ListAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<WebhookRow>(new CommandDefinition(
            $"SELECT {Columns} FROM webhooks WHERE workspace_id = @workspaceId ORDER BY id", new { workspaceId }, cancellationToken: cancellationToken)))
            .Select(r => r.ToWebhook()).ToList();
    }

    public async Task<Webhook?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(
            $"SELECT {Columns} FROM webhooks WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id }, cancellationToken: cancellationToken)))?.ToWebhook();
    }

    /// <summary>Changes a webhook's address, description, events and whether it is active; its secret stays. Null when there is no such webhook.</summary>
    public async Task<Webhook?> UpdateAsync(
        long workspaceId, long id, string url, string? description, IReadOnlyList<string> events, bool enabled, CancellationToken cancellationToken = default) =>
        (await UpdateAsync(workspaceId, id, new WebhookUpdate(url, description, events, enabled, null), cancellationToken))?.Webhook;

    /// <summary>
    /// Changes a webhook and, when <see cref="WebhookUpdate.RotateWithGrace"/> is set, gives it a new secret: the current one
    /// becomes the previous secret and keeps signing (next to the new one) for the grace period, so receivers can switch
    /// without losing a message. Null when there is no such webhook.
    /// </summary>
    /// <returns>The webhook, and its new secret when one was made.</returns>
    public async Task<(Webhook Webhook, string? Secret)?> UpdateAsync(long workspaceId, long id, WebhookUpdate update, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var secret = update.RotateWithGrace is null ? null : WebhookSignature.NewSecret();
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            secret is null
                ? """
                  UPDATE webhooks SET url = @url, description = @description, event_types = @eventTypes, enabled = @enabled
                  WHERE workspace_id = @workspaceId AND id = @id
                  """
                : """
                  UPDATE webhooks SET url = @url, description = @description, event_types = @eventTypes, enabled = @enabled,
                      previous_secret = secret, previous_secret_until = @until, secret = @secret
                  WHERE workspace_id = @workspaceId AND id = @id
                  """,
            new
            {
                workspaceId,
                id,
                url = update.Url,
                description = update.Description,
                eventTypes = string.Join(' ', update.Events),
                enabled = update.Enabled ? 1 : 0,
                secret,
                until = now + (long)(update.RotateWithGrace ?? TimeSpan.Zero).TotalMilliseconds,
            },
            cancellationToken: cancellationToken));
        return changed == 0 || await GetAsync(workspaceId, id, cancellationToken) is not { } webhook ? null : (webhook, secret);
    }

    /// <summary>Deletes the webhook, its deliveries and their attempts; an attempt in flight finishes but is not recorded.</summary>
    public async Task<bool> DeleteAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var args = new { workspaceId, id };
        await connection.ExecuteAsync(
            "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.workspace_id = @workspaceId AND w.id = @id)",
            args, transaction);
        await connection.ExecuteAsync("DELETE FROM webhook_deliveries WHERE workspace_id = @workspaceId AND webhook_id = @id", args, transaction);
        var deleted = await connection.ExecuteAsync("DELETE FROM webhooks WHERE workspace_id = @workspaceId AND id = @id", args, transaction);
        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    /// <summary>The enabled webhooks of all workspaces, with their secrets, for fan-out and sending.</summary>
    internal static async Task<IReadOnlyList<WebhookRow>> EnabledAsync(DbConnection connection, DbTransaction? transaction) =>
        (await connection.QueryAsync<WebhookRow>($"SELECT {Columns} FROM webhooks WHERE enabled = @enabled ORDER BY id", new { enabled = 1 }, transaction)).ToList();
}
