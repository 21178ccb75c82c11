using Dapper;
using OpenCem.Storage;

namespace OpenCem.Feedback.Ideas;

/// <summary>
/// Votes, one per customer per idea: the primary key (idea, customer) makes a second vote a no-op in the database
/// itself, so two concurrent clicks count once; the idea's count moves only when a row was really added or removed.
/// </summary>
public sealed class IdeaVotes(Database database, TimeProvider time)
{
    public async Task<IdeaOutcome<VoteResult>> VoteAsync(long workspaceId, long ideaId, long customerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var idea = await IdeaStore.GetAsync(connection, transaction, workspaceId, ideaId);
        if (idea is null || idea.Moderation == Moderation.Rejected)
        {
            return IdeaOutcome<VoteResult>.Fail(404, "id", "No idea has this id.");
        }

        if (idea.Status is IdeaStatus.Done or IdeaStatus.Declined)
        {
            return IdeaOutcome<VoteResult>.Fail(409, "status", $"The idea is {idea.Status}; votes are taken while it is under review or planned.");
        }

        if (!await IdeaCustomers.ExistsAsync(connection, transaction, workspaceId, customerId))
        {
            return IdeaOutcome<VoteResult>.Fail(422, "customerId", "No customer (who was not erased) has this id.");
        }

        var added = await connection.ExecuteAsync(
            """
            INSERT INTO idea_votes (workspace_id, idea_id, customer_id, created_at) VALUES (@workspaceId, @ideaId, @customerId, @now)
            ON CONFLICT (idea_id, customer_id) DO NOTHING
            """,
            new { workspaceId, ideaId, customerId, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction);
        var votes = await CountAsync(connection, transaction, ideaId, added);
        await transaction.CommitAsync(cancellationToken);
        return new IdeaOutcome<VoteResult>(new VoteResult(ideaId, customerId, Voted: true, Changed: added > 0, votes));
    }

    public async Task<IdeaOutcome<VoteResult>> UnvoteAsync(long workspaceId, long ideaId, long customerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await IdeaStore.GetAsync(connection, transaction, workspaceId, ideaId) is null)
        {
            return IdeaOutcome<VoteResult>.Fail(404, "id", "No idea has this id.");
        }

        var removed = await connection.ExecuteAsync(
            "DELETE FROM idea_votes WHERE workspace_id = @workspaceId AND idea_id = @ideaId AND customer_id = @customerId",
            new { workspaceId, ideaId, customerId }, transaction);
        var votes = await CountAsync(connection, transaction, ideaId, -removed);
        await transaction.CommitAsync(cancellationToken);
        return new IdeaOutcome<VoteResult>(new VoteResult(ideaId, customerId, Voted: false, Changed: removed > 0, votes));
    }

    /// <summary>Which of <paramref name="ideaIds"/> the customer voted for (the board's vote/unvote buttons).</summary>
    public async Task<HashSet<long>> VotedAsync(long workspaceId, long customerId, IReadOnlyList<long> ideaIds, CancellationToken cancellationToken = default)
    {
        if (ideaIds.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<long>(
            $"SELECT idea_id FROM idea_votes WHERE workspace_id = @workspaceId AND customer_id = @customerId AND {SqlLists.In(connection, "idea_id", "ids")}",
            new { workspaceId, customerId, ids = ideaIds.ToArray() })];
    }

    private static async Task<long> CountAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, long ideaId, int delta)
    {
        if (delta != 0)
        {
            // Relative, under the row's lock: two concurrent voters both count, without reading each other's uncommitted rows.
            await connection.ExecuteAsync("UPDATE ideas SET votes = votes + @delta WHERE id = @ideaId", new { delta, ideaId }, transaction);
        }

        return await connection.ExecuteScalarAsync<long>("SELECT votes FROM ideas WHERE id = @ideaId", new { ideaId }, transaction);
    }
}
