using OpenCem.Storage;

namespace OpenCem.Analytics.Ladder;

/// <summary>
/// Reads the ladder: without <c>by</c>, the precomputed counts (the cost is the size of the answer); grouped by a
/// trait, the monthly states of all rated customers, counted per group (the cost is those states, never raw events).
/// </summary>
public sealed class LadderQuery(Database database, TimeProvider time)
{
    public async Task<LadderView> GetAsync(long workspaceId, string interval, string? trait, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (trait is null)
        {
            return LadderReport.Create(await LadderStore.CountsAsync(connection, workspaceId, interval), interval, null, from, to);
        }

        var lastMonth = LadderPeriods.Start("month", time.GetUtcNow().ToUnixTimeMilliseconds());
        var counts = new Dictionary<LadderMove, long>();
        foreach (var (group, customers) in await LadderStore.StatesByTraitAsync(connection, workspaceId, trait))
        {
            var groupCounts = LadderAggregation.Count(
                customers.Values.Select(months => (group, (IReadOnlyDictionary<long, MonthState>)months)), interval, lastMonth);
            foreach (var (move, count) in groupCounts)
            {
                counts[move] = count;
            }
        }

        return LadderReport.Create(counts, interval, "trait." + trait, from, to);
    }
}
