using Dapper;
using OpenCem.Storage;

namespace OpenCem.Feedback.Ideas;

/// <summary>Reads every customer's part in the published ideas and ranks them with <see cref="LeadUsers"/>.</summary>
public sealed class LeadUserQuery(Database database)
{
    public async Task<IReadOnlyList<LeadUser>> RankAsync(long workspaceId, int minimumSupport, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // A vote is early when it came before the idea first moved ahead (to planned or straight to done).
        var rows = await connection.QueryAsync<ContributionRow>(new CommandDefinition(
            """
            SELECT i.customer_id AS CustomerId, i.id AS IdeaId, i.title AS Title, i.status AS Status, 1 AS Authored, 0 AS EarlyVote
            FROM ideas i WHERE i.workspace_id = @workspaceId AND i.moderation = 'published' AND i.customer_id IS NOT NULL
            UNION ALL
            SELECT v.customer_id, i.id, i.title, i.status, 0,
                   CASE WHEN v.created_at < COALESCE((SELECT MIN(s.at) FROM idea_status_changes s WHERE s.idea_id = i.id AND s.to_status IN ('planned', 'done')), @never)
                        THEN 1 ELSE 0 END
            FROM idea_votes v JOIN ideas i ON i.id = v.idea_id
            WHERE v.workspace_id = @workspaceId AND i.moderation = 'published'
            """,
            new { workspaceId, never = long.MaxValue }, cancellationToken: cancellationToken));
        return LeadUsers.Rank(
            rows.Select(r => new IdeaContribution(r.CustomerId, r.IdeaId, r.Title, r.Status, r.Authored != 0, r.EarlyVote != 0)), minimumSupport, limit);
    }

    private sealed class ContributionRow
    {
        public long CustomerId { get; set; }

        public long IdeaId { get; set; }

        public string Title { get; set; } = "";

        public string Status { get; set; } = "";

        public long Authored { get; set; }

        public long EarlyVote { get; set; }
    }
}
