using System.Data.Common;
using Dapper;

namespace OpenCem.Feedback.Ideas;

/// <summary>What the ideas need to know about customers: that they exist, and what they posted lately (for the spam checks).</summary>
internal static class IdeaCustomers
{
    public static async Task<bool> ExistsAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, long customerId) =>
        await connection.ExecuteScalarAsync<long?>(
            "SELECT id FROM customers WHERE workspace_id = @workspaceId AND id = @customerId AND erased_at IS NULL", new { workspaceId, customerId }, transaction) is not null;

    /// <summary>The author's ideas and comments of the last day (texts) and how many of them fell in the burst window.</summary>
    public static async Task<AuthorHistory> HistoryAsync(DbConnection connection, long workspaceId, long customerId, long now)
    {
        var since = now - (long)TimeSpan.FromDays(1).TotalMilliseconds;
        var burst = now - (long)SpamCheck.BurstWindow.TotalMilliseconds;
        var posts = (await connection.QueryAsync<(string Text, long At)>(
            """
            SELECT title || @newline || body, created_at FROM ideas WHERE workspace_id = @workspaceId AND customer_id = @customerId AND created_at >= @since
            UNION ALL
            SELECT body, created_at FROM idea_comments WHERE workspace_id = @workspaceId AND customer_id = @customerId AND created_at >= @since
            """,
            new { workspaceId, customerId, since, newline = "\n" })).ToList();
        return new AuthorHistory([.. posts.Select(p => p.Text)], posts.Count(p => p.At >= burst));
    }
}
