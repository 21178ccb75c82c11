using Dapper;
using OpenCem.Storage;

namespace OpenCem.Feedback.Ideas;

/// <summary>Comments on an idea by customers (spam-checked on the board) or staff.</summary>
public sealed class IdeaComments(Database database, TimeProvider time)
{
    public async Task<IReadOnlyList<IdeaCommentView>> ListAsync(long workspaceId, long ideaId, bool publishedOnly, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<IdeaCommentRow>(new CommandDefinition(
            $"SELECT {IdeaCommentRow.Columns} FROM idea_comments WHERE workspace_id = @workspaceId AND idea_id = @ideaId"
            + (publishedOnly ? " AND moderation = 'published'" : "") + " ORDER BY id",
            new { workspaceId, ideaId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToView())];
    }

    /// <summary>Adds a comment by a customer (<paramref name="customerId"/>) or by staff (<paramref name="staff"/>, their name).</summary>
    public async Task<IdeaOutcome<IdeaCommentView>> AddAsync(
        long workspaceId, long ideaId, long? customerId, string? staff, string body, bool checkSpam, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await IdeaStore.GetAsync(connection, null, workspaceId, ideaId) is not { Moderation: not Moderation.Rejected })
        {
            return IdeaOutcome<IdeaCommentView>.Fail(404, "id", "No idea has this id.");
        }

        if (customerId is { } id && !await IdeaCustomers.ExistsAsync(connection, null, workspaceId, id))
        {
            return IdeaOutcome<IdeaCommentView>.Fail(422, "customerId", "No customer (who was not erased) has this id.");
        }

        IReadOnlyList<string> reasons = checkSpam && customerId is { } author
            ? SpamCheck.Reasons(body, await IdeaCustomers.HistoryAsync(connection, workspaceId, author, now))
            : [];
        var commentId = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO idea_comments (workspace_id, idea_id, customer_id, staff, body, moderation, spam_reasons, created_at)
            VALUES (@workspaceId, @ideaId, @customerId, @staff, @body, @moderation, @spam, @now) RETURNING id
            """,
            new
            {
                workspaceId,
                ideaId,
                customerId,
                staff = customerId is null ? (string.IsNullOrWhiteSpace(staff) ? "staff" : staff.Trim()) : null,
                body = body.Trim(),
                moderation = reasons.Count > 0 ? Moderation.Held : Moderation.Published,
                spam = IdeaText.Reasons(reasons),
                now,
            });
        var row = await connection.QuerySingleAsync<IdeaCommentRow>($"SELECT {IdeaCommentRow.Columns} FROM idea_comments WHERE id = @commentId", new { commentId });
        return new IdeaOutcome<IdeaCommentView>(row.ToView(), 201);
    }

    public async Task<IdeaCommentView?> ModerateAsync(long workspaceId, long commentId, bool approve, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            "UPDATE idea_comments SET moderation = @moderation WHERE workspace_id = @workspaceId AND id = @commentId",
            new { moderation = approve ? Moderation.Published : Moderation.Rejected, workspaceId, commentId });
        return changed == 0 ? null
            : (await connection.QuerySingleAsync<IdeaCommentRow>($"SELECT {IdeaCommentRow.Columns} FROM idea_comments WHERE id = @commentId", new { commentId })).ToView();
    }

    /// <summary>Comments waiting for a moderation decision (the dashboard's queue).</summary>
    public async Task<IReadOnlyList<IdeaCommentView>> HeldAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<IdeaCommentRow>(new CommandDefinition(
            $"SELECT {IdeaCommentRow.Columns} FROM idea_comments WHERE workspace_id = @workspaceId AND moderation = 'held' ORDER BY id LIMIT 200",
            new { workspaceId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToView())];
    }
}
