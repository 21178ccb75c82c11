using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCem.Analytics.Journeys;
using OpenCem.Interactions;
using OpenCem.Storage;

namespace OpenCem.CrashBench;

/// <summary>
/// The journey projection is the other aggregate ingestion feeds (in the background, behind a cursor). It is checked
/// by letting it catch up, keeping what it built incrementally through the crashes, projecting the raw interactions
/// again from scratch, and comparing instance for instance and rollup row for rollup row.
/// </summary>
internal static class JourneyRecount
{
    private static readonly (string Table, string Columns, string NonZero)[] Tables =
    [
        ("journey_instances", "journey_key, customer_id, channel, started_at, last_at, ended, latest, path, times", "1 = 1"),
        ("journey_stage_daily", "journey_key, day, channel, stage, entered, converted, dropped", "entered <> 0 OR converted <> 0 OR dropped <> 0"),
        ("journey_wait_daily", "journey_key, day, channel, stage, bucket, instances", "instances <> 0"),
        ("journey_path_daily", "journey_key, day, channel, path, instances", "instances <> 0"),
    ];

    public static async Task<List<Check>> VerifyAsync(Database database, long workspaceId)
    {
        await CatchUpAsync(database);
        await using var connection = await database.OpenAsync();
        var incremental = new List<List<string>>();
        foreach (var table in Tables)
        {
            incremental.Add(await ReadAsync(connection, table, workspaceId));
        }

        foreach (var (table, _, _) in Tables)
        {
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE workspace_id = @workspaceId", new { workspaceId });
        }

        await connection.ExecuteAsync("DELETE FROM workspace_counters WHERE workspace_id = @workspaceId AND name = @name", new { workspaceId, name = JourneyStore.CursorName });
        await CatchUpAsync(database);
        var checks = new List<Check>();
        for (var i = 0; i < Tables.Length; i++)
        {
            var recount = await ReadAsync(connection, Tables[i], workspaceId);
            var onlyIncremental = Except(incremental[i], recount);
            var onlyRecount = Except(recount, incremental[i]);
            var differing = onlyIncremental.Count + onlyRecount.Count;
            checks.Add(new Check(
                $"{Tables[i].Table} = projection from scratch ({recount.Count:N0} rows)",
                "0 differing rows",
                differing == 0 ? "0 differing rows" : $"{onlyIncremental.Count} only incremental (e.g. {onlyIncremental.FirstOrDefault()}), {onlyRecount.Count} only recount (e.g. {onlyRecount.FirstOrDefault()})",
                differing == 0));
        }

        return checks;
    }

    /// <summary>Projects everything up to the newest interaction (no settle time: nothing else writes now).</summary>
    private static async Task CatchUpAsync(Database database)
    {
        var projector = new JourneyProjector(database, new CatalogueStore(database, TimeProvider.System), new JourneyOptions { Settle = TimeSpan.Zero },
            TimeProvider.System, NullLogger<JourneyProjector>.Instance);
        while (await projector.RunOnceAsync() > 0)
        {
        }
    }

    private static async Task<List<string>> ReadAsync(DbConnection connection, (string Table, string Columns, string NonZero) table, long workspaceId)
    {
        var rows = new List<string>();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {table.Columns} FROM {table.Table} WHERE workspace_id = {workspaceId} AND ({table.NonZero})";
        await using var reader = await command.ExecuteReaderAsync();
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
            rows.Add(string.Join('|', values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>The rows of <paramref name="a"/> not matched one for one in <paramref name="b"/> (multisets).</summary>
    private static List<string> Except(List<string> a, List<string> b)
    {
        var counts = b.GroupBy(x => x, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var left = new List<string>();
        foreach (var row in a)
        {
            if (counts.TryGetValue(row, out var n) && n > 0)
            {
                counts[row] = n - 1;
            }
            else
            {
                left.Add(row);
            }
        }

        return left;
    }
}
