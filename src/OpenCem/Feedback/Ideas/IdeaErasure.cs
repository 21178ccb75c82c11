using System.Data.Common;
using Dapper;

namespace OpenCem.Feedback.Ideas;

/// <summary>
/// What erasing a person (GDPR article 17) does to the ideas board, in the erasure's transaction. Her votes and comments
/// go, and the vote counters are recounted from the votes that remain. An idea she posted that nobody else took up is
/// deleted; one that others voted on or commented, or that staff answered or moved, stays for them, anonymised: no
/// author, her title replaced by a neutral line in the idea's language, her body and the spam reasons emptied (the
/// themes and sentiment stay: anonymous categories the theme counts rely on). The status history names her no more.
/// </summary>
public static class IdeaErasure
{
    public static async Task ForgetCustomerAsync(DbConnection connection, DbTransaction transaction, long workspaceId, long customerId)
    {
        var args = new { workspaceId, customerId };
        var voted = (await connection.QueryAsync<long>(
            "SELECT idea_id FROM idea_votes WHERE workspace_id = @workspaceId AND customer_id = @customerId", args, transaction)).ToList();
        await connection.ExecuteAsync("DELETE FROM idea_votes WHERE workspace_id = @workspaceId AND customer_id = @customerId", args, transaction);
        await connection.ExecuteAsync("DELETE FROM idea_comments WHERE workspace_id = @workspaceId AND customer_id = @customerId", args, transaction);
        await connection.ExecuteAsync(
            """
            DELETE FROM ideas WHERE workspace_id = @workspaceId AND customer_id = @customerId AND status = 'under_review' AND answer IS NULL
                AND NOT EXISTS (SELECT 1 FROM idea_votes v WHERE v.idea_id = ideas.id)
                AND NOT EXISTS (SELECT 1 FROM idea_comments c WHERE c.idea_id = ideas.id)
                AND NOT EXISTS (SELECT 1 FROM idea_status_changes s WHERE s.idea_id = ideas.id AND s.from_status IS NOT NULL)
            """,
            args, transaction);
        var kept = (await connection.QueryAsync<(long Id, string? Language)>(
            "SELECT id, language FROM ideas WHERE workspace_id = @workspaceId AND customer_id = @customerId", args, transaction)).ToList();
        foreach (var (id, language) in kept)
        {
            await connection.ExecuteAsync(
                "UPDATE ideas SET customer_id = NULL, title = @title, body = '', spam_reasons = NULL WHERE id = @id",
                new { id, title = WithdrawnTitle(language) }, transaction);
        }

        await connection.ExecuteAsync(
            "UPDATE idea_status_changes SET actor = 'customer' WHERE workspace_id = @workspaceId AND actor = @actor",
            new { workspaceId, actor = $"customer:{customerId}" }, transaction);
        foreach (var ideaId in voted.Distinct())
        {
            // Recounted, not decremented: the counter equals the rows that remain whatever happened before.
            await connection.ExecuteAsync(
                "UPDATE ideas SET votes = (SELECT count(*) FROM idea_votes v WHERE v.idea_id = ideas.id) WHERE id = @ideaId", new { ideaId }, transaction);
        }
    }

    /// <summary>The line an anonymised idea shows instead of its author's title.</summary>
    public static string WithdrawnTitle(string? language) =>
        language is not null && language.StartsWith("de", StringComparison.OrdinalIgnoreCase)
            ? "Idee einer Kundin oder eines Kunden (Text auf Wunsch gelöscht)"
            : "A customer's idea (text deleted on request)";
}
