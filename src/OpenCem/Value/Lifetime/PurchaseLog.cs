using System.Data.Common;
using Npgsql;

namespace OpenCem.Value.Lifetime;

/// <summary>
/// Reads a workspace's purchases for a fit, sorted by customer and day: the <c>transactions</c> table (imported and
/// posted purchases) and tracked events with revenue (<c>track</c> calls such as "Order Completed", whose revenue the
/// tracking API lifted into the <c>revenue</c> column). Both are read, so a purchase must arrive by one way only.
/// Customers merged into another profile count as that profile (the redirects are flat).
/// </summary>
public static class PurchaseLog
{
    public static async Task<Purchase[]> ReadAsync(DbConnection connection, long workspaceId, CancellationToken cancellationToken)
    {
        var redirects = new Dictionary<long, long>();
        await using (var command = Command(connection, "SELECT old_customer_id, customer_id FROM customer_redirects WHERE workspace_id = @w", workspaceId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                redirects[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }

        var purchases = new List<Purchase>();
        foreach (var sql in new[]
        {
            "SELECT customer_id, occurred_at, amount FROM transactions WHERE workspace_id = @w",
            "SELECT customer_id, occurred_at, revenue FROM interactions WHERE workspace_id = @w AND revenue > 0 AND type = 'track'",
        })
        {
            await using var command = Command(connection, sql, workspaceId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var customer = reader.GetInt64(0);
                purchases.Add(new Purchase(redirects.GetValueOrDefault(customer, customer), Purchase.DayOf(reader.GetInt64(1)), reader.GetDouble(2)));
            }
        }

        var array = purchases.ToArray();
        if (!IsSorted(array))
        {
            // A struct comparer lets the sort be compiled for it (no delegate call per comparison on millions of rows).
            array.AsSpan().Sort(default(ByCustomerAndDay));
        }

        return array;
    }

    private static bool IsSorted(Purchase[] purchases)
    {
        var order = default(ByCustomerAndDay);
        for (var i = 1; i < purchases.Length; i++)
        {
            if (order.Compare(purchases[i - 1], purchases[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private readonly struct ByCustomerAndDay : IComparer<Purchase>
    {
        public int Compare(Purchase x, Purchase y) => x.CustomerId != y.CustomerId ? x.CustomerId.CompareTo(y.CustomerId) : x.Day.CompareTo(y.Day);
    }

    private static DbCommand Command(DbConnection connection, string sql, long workspaceId)
    {
        var command = connection.CreateCommand();
        command.CommandText = connection is NpgsqlConnection ? sql : sql.Replace("@w", "$w", StringComparison.Ordinal);
        var parameter = command.CreateParameter();
        parameter.ParameterName = connection is NpgsqlConnection ? "w" : "$w";
        parameter.Value = workspaceId;
        command.Parameters.Add(parameter);
        return command;
    }
}
