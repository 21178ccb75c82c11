using System.Data.Common;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Analytics.Metrics;

/// <summary>Thrown when the rollups do not hold what a move takes out of them (they drifted from the responses); the caller rebuilds.</summary>
public sealed class RollupDriftException(string message) : Exception(message);

public static partial class MetricRollup
{
    private const int MoveChunk = 5_000;

    /// <summary>
    /// Moves the completed responses of <paramref name="customerIds"/> between rollup cells when <paramref name="change"/>
    /// changes those customers' traits: each chunk of customers is folded with the traits before and after the change
    /// and only the difference is written, so a trait change costs what its customers answered, not a recount of the
    /// workspace. Cells left without answers are deleted, as a rebuild would never write them. The rollups must hold
    /// these responses under the traits before the change (as a rebuild or <see cref="AddAsync"/> leaves them); a cell
    /// that would fall below zero shows they do not, and <see cref="RollupDriftException"/> rolls the caller back.
    /// Returns the number of responses moved.
    /// </summary>
    public static async Task<long> MoveCustomersAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, IReadOnlyList<long> customerIds, Func<long[], Task> change)
    {
        var delta = new MetricRollupRows();
        long moved = 0;
        foreach (var chunk in customerIds.Chunk(MoveChunk))
        {
            var responses = (await connection.QueryAsync<StoredResponse>(
                $"""
                SELECT id AS Id, survey_id AS SurveyId, customer_id AS CustomerId, touchpoint_id AS TouchpointId, channel AS Channel, language AS Language,
                    answers AS Answers, nps AS Nps, csat AS Csat, ces AS Ces, submitted_at AS SubmittedAt
                FROM survey_responses WHERE workspace_id = @workspaceId AND status = 'completed' AND {SqlLists.In(connection, "customer_id", "ids")} ORDER BY id
                """,
                new { workspaceId, ids = chunk }, transaction)).ToList();
            var before = new MetricRollupRows();
            await FoldAsync(connection, transaction, workspaceId, responses, before);
            await change(chunk);
            var after = new MetricRollupRows();
            await FoldAsync(connection, transaction, workspaceId, responses, after);
            // The chunk's own difference first: from zero, a cell that did not change comes out exactly zero.
            var difference = new MetricRollupRows();
            difference.Add(after, 1);
            difference.Add(before, -1);
            difference.DropZeros();
            delta.Add(difference, 1);
            moved += responses.Count;
        }

        await MetricRollupWriter.WriteAsync(connection, transaction, delta);
        if (await MetricRollupPruning.PruneAsync(connection, transaction, delta) is { } drift)
        {
            throw new RollupDriftException(drift);
        }

        return moved;
    }
}
