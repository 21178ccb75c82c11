using System.Data.Common;
using Dapper;

namespace OpenCem.Analytics.Ladder;

/// <summary>Bulk writes and reads of <c>ladder_states</c> and <c>ladder_counts</c>.</summary>
public static class LadderStore
{
    public static async Task InsertStatesAsync(DbConnection connection, DbTransaction transaction, long workspaceId, List<(long Customer, long Month, MonthState State)> states)
    {
        if (connection is Npgsql.NpgsqlConnection)
        {
            foreach (var chunk in states.Chunk(50_000))
            {
                await connection.ExecuteAsync(
                    "INSERT INTO ladder_states (workspace_id, month, customer_id, nps_rung, nps_at, rung) SELECT @workspaceId, * FROM unnest(@month, @customer, @npsRung, @npsAt, @rung)",
                    new
                    {
                        workspaceId,
                        month = chunk.Select(s => s.Month).ToArray(),
                        customer = chunk.Select(s => s.Customer).ToArray(),
                        npsRung = chunk.Select(s => s.State.NpsRung).ToArray(),
                        npsAt = chunk.Select(s => s.State.NpsAt).ToArray(),
                        rung = chunk.Select(s => s.State.Rung).ToArray(),
                    },
                    transaction);
            }

            return;
        }

        await connection.ExecuteAsync(
            "INSERT INTO ladder_states (workspace_id, month, customer_id, nps_rung, nps_at, rung) VALUES (@workspaceId, @Month, @Customer, @NpsRung, @NpsAt, @Rung)",
            states.Select(s => new { workspaceId, s.Month, s.Customer, s.State.NpsRung, s.State.NpsAt, s.State.Rung }),
            transaction);
    }

    /// <summary>Stores counts; <paramref name="groupBy"/> is "" for all customers or <c>trait.NAME</c> for counts per value of a trait.</summary>
    public static Task InsertCountsAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, string interval, string groupBy, Dictionary<LadderMove, long> counts) =>
        connection.ExecuteAsync(
            """
            INSERT INTO ladder_counts (workspace_id, span, group_by, grp, period, ladder, from_rung, rung, customers)
            VALUES (@workspaceId, @interval, @groupBy, @Group, @Period, @Ladder, @From, @To, @Customers)
            """,
            counts.Select(c => new { workspaceId, interval, groupBy, c.Key.Group, c.Key.Period, c.Key.Ladder, c.Key.From, c.Key.To, Customers = c.Value }),
            transaction);

    /// <summary>
    /// The precomputed counts of an interval, for all customers (<paramref name="groupBy"/> "") or per value of a
    /// precomputed trait (<c>trait.NAME</c>); null when that trait is not among the precomputed ones.
    /// </summary>
    public static async Task<Dictionary<LadderMove, long>?> CountsAsync(DbConnection connection, long workspaceId, string interval, string groupBy)
    {
        var rows = (await connection.QueryAsync<CountRow>(
            """
            SELECT period AS Period, grp AS Grp, ladder AS Ladder, from_rung AS FromRung, rung AS Rung, customers AS Customers
            FROM ladder_counts WHERE workspace_id = @workspaceId AND span = @interval AND group_by = @groupBy
            """,
            new { workspaceId, interval, groupBy })).ToList();
        if (rows.Count == 0 && groupBy.Length > 0 && !LadderProjector.GroupTraits.Contains(groupBy["trait.".Length..]))
        {
            return null;
        }

        return rows.ToDictionary(r => new LadderMove(r.Period, r.Grp, r.Ladder, r.FromRung, r.Rung), r => r.Customers);
    }

    /// <summary>The monthly states of all customers, with the trait to group them by (null when they lack it).</summary>
    public static async Task<Dictionary<string, Dictionary<long, SortedDictionary<long, MonthState>>>> StatesByTraitAsync(
        DbConnection connection, long workspaceId, string trait)
    {
        var groups = new Dictionary<long, string>();
        foreach (var c in await connection.QueryAsync<(long Id, string? Traits)>(
            "SELECT id, traits FROM customers WHERE workspace_id = @workspaceId AND id IN (SELECT DISTINCT customer_id FROM ladder_states WHERE workspace_id = @workspaceId)",
            new { workspaceId }))
        {
            groups[c.Id] = TraitText(c.Traits, trait) ?? "(none)";
        }

        var result = new Dictionary<string, Dictionary<long, SortedDictionary<long, MonthState>>>(StringComparer.Ordinal);
        foreach (var s in await connection.QueryAsync<StateRow>(
            "SELECT customer_id AS CustomerId, month AS Month, nps_rung AS NpsRung, nps_at AS NpsAt, rung AS Rung FROM ladder_states WHERE workspace_id = @workspaceId",
            new { workspaceId }))
        {
            var group = groups.GetValueOrDefault(s.CustomerId, "(none)");
            if (!result.TryGetValue(group, out var customers))
            {
                customers = [];
                result[group] = customers;
            }

            if (!customers.TryGetValue(s.CustomerId, out var months))
            {
                months = [];
                customers[s.CustomerId] = months;
            }

            months[s.Month] = new MonthState(s.NpsRung, s.NpsAt, s.Rung);
        }

        return result;
    }

    public static string? TraitText(string? traits, string name)
    {
        if (traits is null)
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(traits);
            return document.RootElement.TryGetProperty(name, out var value)
                ? value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private sealed class CountRow
    {
        public long Period { get; set; }

        public string Grp { get; set; } = "";

        public string Ladder { get; set; } = "";

        public string FromRung { get; set; } = "";

        public string Rung { get; set; } = "";

        public long Customers { get; set; }
    }

    private sealed class StateRow
    {
        public long CustomerId { get; set; }

        public long Month { get; set; }

        public string NpsRung { get; set; } = "";

        public long NpsAt { get; set; }

        public string Rung { get; set; } = "";
    }
}
