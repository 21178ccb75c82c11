using OpenCem.Storage;

namespace OpenCem.Analytics.Ladder;

/// <summary>
/// Reads the ladder: without <c>by</c> or by one of <see cref="LadderProjector.GroupTraits"/>, the precomputed counts (the
/// cost is the size of the answer); grouped by another trait, the monthly states of all rated customers, counted per
/// group (the cost is those states, never raw events).
/// </summary>
public sealed class LadderQuery(Database database, TimeProvider time)
{
    public async Task<LadderView> GetAsync(long workspaceId, string interval, string? trait, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await LadderStore.CountsAsync(connection, workspaceId, interval, trait is null ? "" : "trait." + trait) is { } precomputed)
        {
            return LadderReport.Create(precomputed, interval, trait is null ? null : "trait." + trait, from, to);
        }

        if (trait is null)
        {
            return LadderReport.Create(new Dictionary<LadderMove, long>(), interval, null, from, to);
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
