using Dapper;
using OpenCem.Storage;
using OpenCem.Value.Lifetime;
using OpenCem.Value.Transactions;

namespace OpenCem.Demo;

/// <summary>
/// The demo's shop purchases beyond contracts (devices, accessories, pay-per-view), as a shop system would deliver
/// them into <c>transactions</c>: each customer's first tracked order (with revenue) is the first purchase, and add-on
/// purchases follow a BG/NBD process with Gamma-Gamma spend from then on (deterministic per seed and profile).
/// Planted truth: a customer who cancels buys nothing after the cancellation, so cancelled customers end with a lower
/// P(alive) than the others.
/// </summary>
public static class DemoPurchases
{
    public static readonly BgNbdParameters Process = new(0.9, 10, 0.4, 4);

    public static readonly GammaGammaParameters Spend = new(4, 5, 60);

    public static async Task<long> LoadAsync(Database database, TimeProvider time, long workspaceId, DemoOptions options, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForBulkLoadAsync(cancellationToken);
        var starts = (await connection.QueryAsync<(long Customer, long First)>(
            "SELECT customer_id, min(occurred_at) FROM interactions WHERE workspace_id = @workspaceId AND revenue > 0 GROUP BY customer_id ORDER BY customer_id",
            new { workspaceId })).ToList();
        var cancelled = (await connection.QueryAsync<(long Customer, long At)>(
            "SELECT customer_id, min(occurred_at) FROM interactions WHERE workspace_id = @workspaceId AND event = @event GROUP BY customer_id",
            new { workspaceId, @event = DemoEvents.ContractCancelled })).ToDictionary(c => c.Customer, c => Purchase.DayOf(c.At));
        var endDay = Purchase.DayOf(options.ResolveAsOf().ToUnixTimeMilliseconds()) - 1;
        var rows = new List<(long, TransactionItem)>();
        foreach (var (customer, first) in starts)
        {
            var firstDay = Purchase.DayOf(first);
            var lastDay = cancelled.TryGetValue(customer, out var gone) && gone >= firstDay ? gone : endDay;
            var n = 0;
            // The first purchase of the process is the tracked order itself; the add-ons are the ones after it.
            foreach (var purchase in BgNbdSimulation.Purchases(Process, Spend, 1, customer, firstDay, 1, lastDay, 7, unchecked(options.Seed * 7919) ^ (int)customer).Skip(1))
            {
                var at = (purchase.Day * Purchase.MillisecondsPerDay) + (12 * 3_600_000L);
                rows.Add((customer, new TransactionItem(0, customer, [], at, purchase.Amount, $"demo:{customer}:{++n}")));
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = await TransactionWriter.InsertAsync(connection, transaction, workspaceId, "demo", time.GetUtcNow().ToUnixTimeMilliseconds(), rows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }
}
