using System.Data.Common;
using Dapper;

namespace OpenCem.Feedback.Ideas;

/// <summary>An idea the person posted, as the export shows it (with the staff answer she was given).</summary>
public sealed record ExportedIdea(long Id, string Title, string Body, string? Language, string Status, string Moderation, string? Answer, long Votes, DateTimeOffset CreatedAt);

public sealed record ExportedIdeaComment(long Id, long IdeaId, string Body, string Moderation, DateTimeOffset CreatedAt);

/// <summary>A vote, with the title of the idea voted for so the file reads on its own.</summary>
public sealed record ExportedIdeaVote(long IdeaId, string IdeaTitle, DateTimeOffset VotedAt);

/// <summary>The person's part in the ideas board, for the customer export (GDPR articles 15 and 20).</summary>
public sealed record ExportedIdeas(IReadOnlyList<ExportedIdea> Ideas, IReadOnlyList<ExportedIdeaComment> Comments, IReadOnlyList<ExportedIdeaVote> Votes)
{
    public static async Task<ExportedIdeas> ReadAsync(DbConnection connection, long workspaceId, long customerId)
    {
        var args = new { workspaceId, customerId };
        var ideas = await connection.QueryAsync<IdeaRow>(
            $"SELECT {IdeaRow.Columns} FROM ideas WHERE workspace_id = @workspaceId AND customer_id = @customerId ORDER BY created_at, id", args);
        var comments = await connection.QueryAsync<IdeaCommentRow>(
            $"SELECT {IdeaCommentRow.Columns} FROM idea_comments WHERE workspace_id = @workspaceId AND customer_id = @customerId ORDER BY created_at, id", args);
        var votes = await connection.QueryAsync<(long IdeaId, string Title, long At)>(
            """
            SELECT v.idea_id, i.title, v.created_at FROM idea_votes v JOIN ideas i ON i.id = v.idea_id
            WHERE v.workspace_id = @workspaceId AND v.customer_id = @customerId ORDER BY v.created_at, v.idea_id
            """,
            args);
        return new ExportedIdeas(
            [.. ideas.Select(r => r.ToView()).Select(i => new ExportedIdea(i.Id, i.Title, i.Body, i.Language, i.Status, i.Moderation, i.Answer, i.Votes, i.CreatedAt))],
            [.. comments.Select(r => new ExportedIdeaComment(r.Id, r.IdeaId, r.Body, r.Moderation, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt)))],
            [.. votes.Select(v => new ExportedIdeaVote(v.IdeaId, v.Title, DateTimeOffset.FromUnixTimeMilliseconds(v.At)))]);
    }
}
