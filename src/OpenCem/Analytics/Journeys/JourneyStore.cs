using System.Data.Common;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Analytics.Journeys;

/// <summary>A stored journey instance with its keys.</summary>
public sealed record StoredInstance(string JourneyKey, long CustomerId, JourneyInstance Instance);

/// <summary>
/// The journey tables: instances (one row per instance; <c>latest</c> marks each customer's most recent one per journey)
/// and the daily rollups the endpoint reads. Rollups are changed only by deltas in the same transaction as the instances.
/// The projector's reads run outside its write transaction (<see cref="JourneyBatch"/>), so they take none.
/// </summary>
public static class JourneyStore
{
    public const string CursorName = "journey_cursor";

    /// <summary>The columns of an interaction the projector reads, as <see cref="JourneyProjector.EventRow"/>.</summary>
    private const string EventColumns = "id AS Id, customer_id AS CustomerId, journey_key AS JourneyKey, stage AS Stage, channel AS Channel, occurred_at AS OccurredAt";

    private const string InstanceColumns = "id AS Id, journey_key AS JourneyKey, customer_id AS CustomerId, channel AS Channel, started_at AS StartedAt, ended AS Ended, path AS Path, times AS Times, seen_at AS SeenAt";

    public static async Task<List<StoredInstance>> LatestAsync(DbConnection connection, long workspaceId, long[] customers)
    {
        var found = new List<StoredInstance>();
        foreach (var chunk in customers.Chunk(2000))
        {
            var rows = await connection.QueryAsync<InstanceRow>(
                $"SELECT {InstanceColumns} FROM journey_instances WHERE workspace_id = @workspaceId AND latest = 1 AND {SqlLists.In(connection, "customer_id", "chunk")}",
                new { workspaceId, chunk });
            found.AddRange(rows.Select(r => r.ToStored()));
        }

        return found;
    }

    public static async Task<List<StoredInstance>> OfCustomerAsync(DbConnection connection, long workspaceId, long customerId, string journeyKey) =>
        (await connection.QueryAsync<InstanceRow>(
            $"SELECT {InstanceColumns} FROM journey_instances WHERE workspace_id = @workspaceId AND customer_id = @customerId AND journey_key = @journeyKey",
            new { workspaceId, customerId, journeyKey })).Select(r => r.ToStored()).ToList();

    /// <summary>Open instances whose last step is before <paramref name="before"/>: the ones the gap has ended.</summary>
    public static async Task<List<StoredInstance>> StaleAsync(DbConnection connection, long workspaceId, long before, int limit) =>
        (await connection.QueryAsync<InstanceRow>(
            $"SELECT {InstanceColumns} FROM journey_instances WHERE workspace_id = @workspaceId AND ended = 0 AND last_at < @before ORDER BY last_at LIMIT @limit",
            new { workspaceId, before, limit })).Select(r => r.ToStored()).ToList();

    public static async Task DeleteAsync(DbConnection connection, DbTransaction transaction, long[] ids)
    {
        foreach (var chunk in ids.Chunk(2000))
        {
            await connection.ExecuteAsync($"DELETE FROM journey_instances WHERE {SqlLists.In(connection, "id", "chunk")}", new { chunk }, transaction);
        }
    }

    /// <summary>Marks instances ended (the gap ended them).</summary>
    public static async Task EndAsync(DbConnection connection, DbTransaction transaction, long[] ids)
    {
        foreach (var chunk in ids.Chunk(2000))
        {
            await connection.ExecuteAsync($"UPDATE journey_instances SET ended = 1 WHERE {SqlLists.In(connection, "id", "chunk")}", new { chunk }, transaction);
        }
    }

    /// <summary>
    /// Rewrites continued instances in place (same id): their steps, last and seen times, ended and latest flags. Where
    /// they started and on which channel never changes for an instance, so those columns and their indexes stay.
    /// </summary>
    public static async Task UpdateAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(StoredInstance Stored, bool Latest)> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (connection is Npgsql.NpgsqlConnection)
        {
            foreach (var chunk in rows.Chunk(20_000))
            {
                await connection.ExecuteAsync(
                    """
                    UPDATE journey_instances AS j SET last_at = u.last_at, ended = u.ended, latest = u.latest, path = u.path, times = u.times, seen_at = u.seen_at
                    FROM unnest(@id, @last, @ended, @latest, @path, @times, @seen) AS u(id, last_at, ended, latest, path, times, seen_at)
                    WHERE j.id = u.id
                    """,
                    StateArrays(chunk, new { id = chunk.Select(r => r.Stored.Instance.Id).ToArray() }),
                    transaction);
            }

            return;
        }

        await SqliteRows.ExecuteAsync(
            connection,
            transaction,
            "UPDATE journey_instances SET last_at = $last, ended = $ended, latest = $latest, path = $path, times = $times, seen_at = $seen WHERE id = $id",
            rows,
            [("$id", r => r.Stored.Instance.Id), .. StateValues]);
    }

    /// <summary>The next interactions carrying a journey after the cursor, up to an id, in id order: one batch of the projector.</summary>
    internal static async Task<List<JourneyProjector.EventRow>> EventsAfterAsync(DbConnection connection, long workspaceId, long cursor, long upTo, int limit) =>
        (await connection.QueryAsync<JourneyProjector.EventRow>(
            $"""
            SELECT {EventColumns}
            FROM interactions WHERE id > @cursor AND id <= @upTo AND +workspace_id = @workspaceId AND journey_key IS NOT NULL AND stage IS NOT NULL
            ORDER BY id LIMIT @limit
            """,
            new { cursor, upTo, workspaceId, limit })).ToList();

    /// <summary>A customer's interactions in one journey from a time on, up to an id: what a rebuild after a late event reads.</summary>
    internal static async Task<IEnumerable<JourneyProjector.EventRow>> EventsOfCustomerAsync(
        DbConnection connection, long workspaceId, long customerId, string journeyKey, long since, long upToId) =>
        await connection.QueryAsync<JourneyProjector.EventRow>(
            $"""
            SELECT {EventColumns}
            FROM interactions
            WHERE workspace_id = @workspaceId AND customer_id = @customerId AND occurred_at >= @since AND journey_key = @journeyKey AND stage IS NOT NULL AND id <= @upToId
            """,
            new { workspaceId, customerId, journeyKey, since, upToId });

    /// <summary>Inserts instances (new rows with new ids), each with whether it is its customer's latest in its journey.</summary>
    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, long workspaceId, IReadOnlyList<(StoredInstance Stored, bool Latest)> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (connection is Npgsql.NpgsqlConnection)
        {
            foreach (var chunk in rows.Chunk(20_000))
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO journey_instances (workspace_id, journey_key, customer_id, channel, started_at, last_at, ended, latest, path, times, seen_at)
                    SELECT @workspaceId, * FROM unnest(@journey, @customer, @channel, @started, @last, @ended, @latest, @path, @times, @seen)
                    """,
                    StateArrays(chunk, new
                    {
                        workspaceId,
                        journey = chunk.Select(r => r.Stored.JourneyKey).ToArray(),
                        customer = chunk.Select(r => r.Stored.CustomerId).ToArray(),
                        channel = chunk.Select(r => r.Stored.Instance.Channel).ToArray(),
                        started = chunk.Select(r => r.Stored.Instance.StartedAt).ToArray(),
                    }),
                    transaction);
            }

            return;
        }

        await SqliteRows.ExecuteAsync(
            connection,
            transaction,
            """
            INSERT INTO journey_instances (workspace_id, journey_key, customer_id, channel, started_at, last_at, ended, latest, path, times, seen_at)
            VALUES ($ws, $journey, $customer, $channel, $started, $last, $ended, $latest, $path, $times, $seen)
            """,
            rows,
            [
                ("$ws", _ => workspaceId),
                ("$journey", r => r.Stored.JourneyKey),
                ("$customer", r => r.Stored.CustomerId),
                ("$channel", r => r.Stored.Instance.Channel),
                ("$started", r => r.Stored.Instance.StartedAt),
                .. StateValues,
            ]);
    }

    /// <summary>The columns of an instance that change as it goes on (SQLite parameters), shared by insert and update.</summary>
    private static readonly (string Name, Func<(StoredInstance Stored, bool Latest), object?> Value)[] StateValues =
    [
        ("$last", r => r.Stored.Instance.LastAt),
        ("$ended", r => r.Stored.Instance.Ended ? 1 : 0),
        ("$latest", r => r.Latest ? 1 : 0),
        ("$path", r => r.Stored.Instance.PathText),
        ("$times", r => r.Stored.Instance.TimesText),
        ("$seen", r => r.Stored.Instance.SeenAt),
    ];

    /// <summary>The same columns as PostgreSQL arrays for <c>unnest</c>, added to a statement's other parameters.</summary>
    private static DynamicParameters StateArrays((StoredInstance Stored, bool Latest)[] chunk, object others)
    {
        var parameters = new DynamicParameters(others);
        parameters.Add("last", chunk.Select(r => r.Stored.Instance.LastAt).ToArray());
        parameters.Add("ended", chunk.Select(r => r.Stored.Instance.Ended ? 1 : 0).ToArray());
        parameters.Add("latest", chunk.Select(r => r.Latest ? 1 : 0).ToArray());
        parameters.Add("path", chunk.Select(r => r.Stored.Instance.PathText).ToArray());
        parameters.Add("times", chunk.Select(r => r.Stored.Instance.TimesText).ToArray());
        parameters.Add("seen", chunk.Select(r => r.Stored.Instance.SeenAt).ToArray());
        return parameters;
    }

    /// <summary>Adds the tally's non-zero deltas of one journey to the rollups (one statement per table on PostgreSQL).</summary>
    public static async Task AddDeltasAsync(DbConnection connection, DbTransaction transaction, long workspaceId, string journeyKey, JourneyTally tally)
    {
        var stages = tally.Stages.Where(s => !s.Value.IsZero).ToList();
        var waits = tally.Waits.Where(w => w.Value != 0).ToList();
        var paths = tally.Paths.Where(p => p.Value != 0).ToList();
        const string StageUpsert = " ON CONFLICT (workspace_id, journey_key, day, channel, stage) DO UPDATE SET entered = journey_stage_daily.entered + excluded.entered, converted = journey_stage_daily.converted + excluded.converted, dropped = journey_stage_daily.dropped + excluded.dropped";
        const string WaitUpsert = " ON CONFLICT (workspace_id, journey_key, day, channel, stage, bucket) DO UPDATE SET instances = journey_wait_daily.instances + excluded.instances";
        const string PathUpsert = " ON CONFLICT (workspace_id, journey_key, day, channel, path) DO UPDATE SET instances = journey_path_daily.instances + excluded.instances";
        if (connection is Npgsql.NpgsqlConnection)
        {
            await connection.ExecuteAsync(
                "INSERT INTO journey_stage_daily (workspace_id, journey_key, day, channel, stage, entered, converted, dropped) SELECT @workspaceId, @journeyKey, * FROM unnest(@day, @channel, @stage, @entered, @converted, @dropped)" + StageUpsert,
                new
                {
                    workspaceId,
                    journeyKey,
                    day = stages.Select(s => s.Key.Cell.Day).ToArray(),
                    channel = stages.Select(s => s.Key.Cell.Channel).ToArray(),
                    stage = stages.Select(s => s.Key.Stage).ToArray(),
                    entered = stages.Select(s => s.Value.Entered).ToArray(),
                    converted = stages.Select(s => s.Value.Converted).ToArray(),
                    dropped = stages.Select(s => s.Value.Dropped).ToArray(),
                },
                transaction);
            await connection.ExecuteAsync(
                "INSERT INTO journey_wait_daily (workspace_id, journey_key, day, channel, stage, bucket, instances) SELECT @workspaceId, @journeyKey, * FROM unnest(@day, @channel, @stage, @bucket, @instances)" + WaitUpsert,
                new
                {
                    workspaceId,
                    journeyKey,
                    day = waits.Select(s => s.Key.Cell.Day).ToArray(),
                    channel = waits.Select(s => s.Key.Cell.Channel).ToArray(),
                    stage = waits.Select(s => s.Key.Stage).ToArray(),
                    bucket = waits.Select(s => s.Key.Bucket).ToArray(),
                    instances = waits.Select(s => s.Value).ToArray(),
                },
                transaction);
            await connection.ExecuteAsync(
                "INSERT INTO journey_path_daily (workspace_id, journey_key, day, channel, path, instances) SELECT @workspaceId, @journeyKey, * FROM unnest(@day, @channel, @path, @instances)" + PathUpsert,
                new
                {
                    workspaceId,
                    journeyKey,
                    day = paths.Select(s => s.Key.Cell.Day).ToArray(),
                    channel = paths.Select(s => s.Key.Cell.Channel).ToArray(),
                    path = paths.Select(s => s.Key.Path).ToArray(),
                    instances = paths.Select(s => s.Value).ToArray(),
                },
                transaction);
            return;
        }

        await connection.ExecuteAsync(
            "INSERT INTO journey_stage_daily (workspace_id, journey_key, day, channel, stage, entered, converted, dropped) VALUES (@workspaceId, @journeyKey, @Day, @Channel, @Stage, @Entered, @Converted, @Dropped)" + StageUpsert,
            stages.Select(s => new { workspaceId, journeyKey, s.Key.Cell.Day, s.Key.Cell.Channel, s.Key.Stage, s.Value.Entered, s.Value.Converted, s.Value.Dropped }),
            transaction);
        await connection.ExecuteAsync(
            "INSERT INTO journey_wait_daily (workspace_id, journey_key, day, channel, stage, bucket, instances) VALUES (@workspaceId, @journeyKey, @Day, @Channel, @Stage, @Bucket, @Instances)" + WaitUpsert,
            waits.Select(s => new { workspaceId, journeyKey, s.Key.Cell.Day, s.Key.Cell.Channel, s.Key.Stage, s.Key.Bucket, Instances = s.Value }),
            transaction);
        await connection.ExecuteAsync(
            "INSERT INTO journey_path_daily (workspace_id, journey_key, day, channel, path, instances) VALUES (@workspaceId, @journeyKey, @Day, @Channel, @Path, @Instances)" + PathUpsert,
            paths.Select(s => new { workspaceId, journeyKey, s.Key.Cell.Day, s.Key.Cell.Channel, s.Key.Path, Instances = s.Value }),
            transaction);
    }

    public static async Task<long> CursorAsync(DbConnection connection, DbTransaction? transaction, long workspaceId) =>
        await connection.ExecuteScalarAsync<long?>(
            "SELECT value FROM workspace_counters WHERE workspace_id = @workspaceId AND name = @CursorName", new { workspaceId, CursorName }, transaction) ?? 0;

    public static Task SaveCursorAsync(DbConnection connection, DbTransaction transaction, long workspaceId, long value) =>
        connection.ExecuteAsync(
            """
            INSERT INTO workspace_counters (workspace_id, name, value) VALUES (@workspaceId, @CursorName, @value)
            ON CONFLICT (workspace_id, name) DO UPDATE SET value = excluded.value
            """,
            new { workspaceId, CursorName, value }, transaction);

    internal sealed class InstanceRow
    {
        public long Id { get; set; }

        public string JourneyKey { get; set; } = "";

        public long CustomerId { get; set; }

        public string Channel { get; set; } = "";

        public long StartedAt { get; set; }

        public long Ended { get; set; }

        public string Path { get; set; } = "";

        public string Times { get; set; } = "";

        public long? SeenAt { get; set; }

        public StoredInstance ToStored() => new(JourneyKey, CustomerId, JourneyInstance.Read(Id, Channel, StartedAt, Ended != 0, Path, Times, SeenAt));
    }
}
