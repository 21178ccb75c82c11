using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Actions.Events;
using OpenCem.Actions.Notifications;
using OpenCem.Customers;
using OpenCem.Feedback.Invitations;
using OpenCem.Storage;

namespace OpenCem.Feedback.Ideas;

/// <summary>
/// Moves ideas through their statuses with a staff answer shown on the board. When an idea ships (done), its author
/// and voters are queued the e-mail in their language (sent by the notification sender over SMTP) and an
/// <c>idea.shipped</c> event enters the outbox for webhooks and rules, all in the transaction of the move.
/// </summary>
public sealed class IdeaStatusChanges(Database database, SurveyLinks links, TimeProvider time)
{
    public async Task<IdeaOutcome<StatusChangeResult>> MoveAsync(
        long workspaceId, long id, string to, string? answer, string actor, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var at = now.ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.Kind == DatabaseKind.Postgres)
        {
            // Two staff members shipping the same idea at once: the second sees it done and is refused.
            await connection.ExecuteAsync("SELECT id FROM ideas WHERE id = @id FOR UPDATE", new { id }, transaction);
        }

        if (await IdeaStore.GetAsync(connection, transaction, workspaceId, id) is not { } idea)
        {
            return IdeaOutcome<StatusChangeResult>.Fail(404, "id", "No idea has this id.");
        }

        if (!IdeaStatus.CanMove(idea.Status, to))
        {
            var allowed = IdeaStatus.Next(idea.Status);
            return IdeaOutcome<StatusChangeResult>.Fail(
                409, "status", $"An idea {idea.Status} cannot move to {to}; allowed: {(allowed.Count == 0 ? "none" : string.Join(", ", allowed))}.", allowed);
        }

        var text = string.IsNullOrWhiteSpace(answer) ? idea.Answer : answer.Trim();
        await connection.ExecuteAsync(
            "UPDATE ideas SET status = @to, answer = @text, status_at = @at, updated_at = @at WHERE id = @id",
            new { to, text, at, id }, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO idea_status_changes (workspace_id, idea_id, from_status, to_status, answer, actor, at) VALUES (@workspaceId, @id, @from, @to, @text, @actor, @at)",
            new { workspaceId, id, from = idea.Status, to, text, actor, at }, transaction);

        var notified = new List<long>();
        var skipped = new List<SkippedRecipient>();
        if (to == IdeaStatus.Done)
        {
            foreach (var recipient in await RecipientsAsync(connection, transaction, workspaceId, id))
            {
                if (ShippedIdeaMail.SkipReason(recipient) is { } reason)
                {
                    skipped.Add(new SkippedRecipient(recipient.CustomerId, reason));
                    continue;
                }

                var (subject, body) = ShippedIdeaMail.Compose(recipient.Language ?? idea.Language, idea.Title, text, BoardUrl(id));
                await NotificationQueue.EnqueueAsync(connection, transaction, workspaceId, null, recipient.Address!, subject, body, at);
                notified.Add(recipient.CustomerId);
            }

            var payload = new JsonObject
            {
                ["ideaId"] = id,
                ["title"] = idea.Title,
                ["answer"] = text,
                ["votes"] = idea.Votes,
                ["notified"] = notified.Count,
                ["skipped"] = skipped.Count,
            };
            await EventOutbox.AppendAsync(connection, transaction, new OutboxEvent(workspaceId, EventTypes.IdeaShipped, idea.CustomerId, id, payload.ToJsonString(), now), at);
        }

        await transaction.CommitAsync(cancellationToken);
        var after = (await IdeaStore.GetAsync(connection, null, workspaceId, id))!;
        return new IdeaOutcome<StatusChangeResult>(new StatusChangeResult(after, notified, skipped));
    }

    private string BoardUrl(long id) => $"{links.BaseUrl.TrimEnd('/')}/ideas/{id}";

    /// <summary>The author and the voters, each once, with their traits.</summary>
    private static async Task<List<IdeaRecipient>> RecipientsAsync(DbConnection connection, DbTransaction transaction, long workspaceId, long id)
    {
        var rows = await connection.QueryAsync<(long Id, string? Traits, long? ErasedAt)>(
            """
            SELECT c.id, c.traits, c.erased_at FROM customers c
            WHERE c.workspace_id = @workspaceId AND c.id IN (
                SELECT customer_id FROM ideas WHERE id = @id AND customer_id IS NOT NULL
                UNION SELECT customer_id FROM idea_votes WHERE idea_id = @id)
            ORDER BY c.id
            """,
            new { workspaceId, id }, transaction);
        var recipients = new List<IdeaRecipient>();
        foreach (var row in rows)
        {
            JsonObject traits;
            try
            {
                traits = row.Traits is null ? [] : JsonNode.Parse(row.Traits) as JsonObject ?? [];
            }
            catch (JsonException)
            {
                traits = [];
            }

            recipients.Add(new IdeaRecipient(
                row.Id, row.ErasedAt is not null, ProfileTraitsReader.Text(traits, "email"), ProfileTraitsReader.Preferences(traits).Language,
                ProfileTraitsReader.Consent(traits)));
        }

        return recipients;
    }
}
