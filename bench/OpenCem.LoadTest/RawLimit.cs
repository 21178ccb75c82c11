using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using OpenCem.Demo;
using OpenCem.Interactions;
using OpenCem.Interactions.Ingestion;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.LoadTest;

/// <summary>A raw-limit measurement: the same rows stored without HTTP.</summary>
internal sealed record RawResult(
    string Method, long Events, int TransactionSize, double Seconds, double EventsPerSecond, LatencySummary TransactionLatency, double UntimedParseSeconds)
{
    /// <summary>Cores and disk writes over the whole phase (the untimed parsing included, so the process share is an upper bound).</summary>
    public CpuUse? Cpu { get; init; }
}

/// <summary>
/// The limits without HTTP, each into a fresh database of the same kind: <see cref="InteractionWriter"/> on events
/// parsed with <see cref="TrackingEventParser"/> (identity resolution, placement, rollup and counters included), and
/// a bare baseline that only inserts the same interaction rows into a copy of the interactions table with the same
/// indexes: prepared single-row INSERTs (SQLite), or binary COPY and a multi-row unnest INSERT (PostgreSQL), one
/// transaction per batch. Parsing is done in untimed chunks, so only the storing is timed.
/// </summary>
internal static class RawLimit
{
    private const int ParseChunkEvents = 200_000;

    /// <summary>The bare copy: the interactions table as migrated (same columns and indexes) without its foreign key.</summary>
    private const string BareTable = "bench_interactions";

    /// <summary>Checked between chunks: a reason to stop (the disk is nearly full), or null to go on.</summary>
    public static Func<string?>? Guard { get; set; }

    /// <summary>Puts the demo company's journeys and touchpoints into a workspace, as the HTTP phase has them.</summary>
    public static async Task SeedCatalogueAsync(CatalogueStore store, long workspaceId)
    {
        foreach (var journey in DemoCompany.Journeys)
        {
            await store.SaveJourneyAsync(workspaceId, journey);
        }

        foreach (var touchpoint in DemoCompany.Touchpoints)
        {
            await store.SaveTouchpointAsync(workspaceId, touchpoint);
        }
    }

    public static Task<RawResult> RunWriterAsync(DatabaseTarget target, byte[][] bodies, int transactionSize) =>
        WithCpuAsync(() => RunWriterCoreAsync(target, bodies, transactionSize));

    private static async Task<RawResult> RunWriterCoreAsync(DatabaseTarget target, byte[][] bodies, int transactionSize)
    {
        await using var database = new Database(target);
        await SchemaMigrator.MigrateAsync(database);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        var store = new CatalogueStore(database, TimeProvider.System);
        await SeedCatalogueAsync(store, workspace.Id);
        var resolver = new TouchpointResolver(await store.ListTouchpointsAsync(workspace.Id));
        await using var writer = InteractionWriter.Create(database, _ => resolver, TimeProvider.System);

        return await MeasureAsync(
            "InteractionWriter",
            bodies,
            transactionSize,
            events => events.Select(e => new IngestionItem(workspace.Id, e)).ToList(),
            async batch => (await writer.WriteAsync(batch, CancellationToken.None)).Stored);
    }

    public static Task<RawResult> RunSqliteBaselineAsync(DatabaseTarget target, byte[][] bodies, int transactionSize) =>
        WithCpuAsync(() => RunSqliteBaselineCoreAsync(target, bodies, transactionSize));

    private static async Task<RawResult> RunSqliteBaselineCoreAsync(DatabaseTarget target, byte[][] bodies, int transactionSize)
    {
        await using var database = new Database(target);
        await SchemaMigrator.MigrateAsync(database);
        await using var connection = (SqliteConnection)await database.OpenAsync();
        var columns = await CreateSqliteBareTableAsync(connection);
        using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO {BareTable} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select(c => "@" + c.Name))})";
        foreach (var column in columns)
        {
            insert.Parameters.Add(new SqliteParameter("@" + column.Name, null));
        }

        var p = insert.Parameters;
        var rows = new RowMaker();
        return await MeasureAsync("bare prepared INSERT", bodies, transactionSize, rows.Make, slice =>
        {
            long stored = 0;
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            foreach (var row in slice)
            {
                for (var c = 0; c < columns.Count; c++)
                {
                    p[c].Value = columns[c].Value(row) ?? DBNull.Value;
                }

                stored += insert.ExecuteNonQuery();
            }

            transaction.Commit();
            return Task.FromResult(stored);
        });
    }

    /// <summary>Copies the migrated interactions table and its indexes under another name, minus the foreign key.</summary>
    private static async Task<IReadOnlyList<Column>> CreateSqliteBareTableAsync(SqliteConnection connection)
    {
        var statements = new List<string>();
        await using (var schema = connection.CreateCommand())
        {
            schema.CommandText = "SELECT type, sql FROM sqlite_master WHERE tbl_name = 'interactions' AND sql IS NOT NULL ORDER BY type DESC";
            await using var reader = await schema.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var sql = reader.GetString(1);
                statements.Add(reader.GetString(0) == "table"
                    ? Regex.Replace(sql.Replace("CREATE TABLE interactions", $"CREATE TABLE {BareTable}", StringComparison.Ordinal), @"\s+REFERENCES\s+\w+\s*\(\w+\)", string.Empty)
                    : Regex.Replace(sql, @"INDEX\s+(\w+)\s+ON\s+interactions\b", $"INDEX bench_$1 ON {BareTable}"));
            }
        }

        await using (var ddl = connection.CreateCommand())
        {
            ddl.CommandText = string.Join(";\n", statements);
            await ddl.ExecuteNonQueryAsync();
        }

        var columns = new List<Column>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = $"SELECT name, type FROM pragma_table_info('{BareTable}') WHERE name <> 'id' ORDER BY cid";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(Column.For(reader.GetString(0), reader.GetString(1)));
            }
        }

        return columns;
    }

    public static Task<RawResult> RunPostgresCopyAsync(DatabaseTarget target, byte[][] bodies, int transactionSize) =>
        WithCpuAsync(() => RunPostgresCopyCoreAsync(target, bodies, transactionSize));

    private static async Task<RawResult> RunPostgresCopyCoreAsync(DatabaseTarget target, byte[][] bodies, int transactionSize)
    {
        await using var database = new Database(target);
        await SchemaMigrator.MigrateAsync(database);
        await using var connection = (NpgsqlConnection)await database.OpenAsync();
        var columns = await CreatePostgresBareTableAsync(connection);
        var copySql = $"COPY {BareTable} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";
        var rows = new RowMaker();
        return await MeasureAsync("bare binary COPY", bodies, transactionSize, rows.Make, async slice =>
        {
            await using var transaction = await connection.BeginTransactionAsync();
            long stored;
            await using (var importer = await connection.BeginBinaryImportAsync(copySql))
            {
                foreach (var row in slice)
                {
                    await importer.StartRowAsync();
                    foreach (var column in columns)
                    {
                        if (column.Value(row) is { } value)
                        {
                            await importer.WriteAsync(value, column.PostgresType);
                        }
                        else
                        {
                            await importer.WriteNullAsync();
                        }
                    }
                }

                stored = (long)await importer.CompleteAsync();
            }

            await transaction.CommitAsync();
            return stored;
        });
    }

    public static Task<RawResult> RunPostgresUnnestAsync(DatabaseTarget target, byte[][] bodies, int transactionSize) =>
        WithCpuAsync(() => RunPostgresUnnestCoreAsync(target, bodies, transactionSize));

    private static async Task<RawResult> RunPostgresUnnestCoreAsync(DatabaseTarget target, byte[][] bodies, int transactionSize)
    {
        await using var database = new Database(target);
        await SchemaMigrator.MigrateAsync(database);
        await using var connection = (NpgsqlConnection)await database.OpenAsync();
        var columns = await CreatePostgresBareTableAsync(connection);
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO {BareTable} ({string.Join(", ", columns.Select(c => c.Name))}) SELECT * FROM unnest({string.Join(", ", columns.Select(c => "@" + c.Name))})",
            connection);
        foreach (var column in columns)
        {
            insert.Parameters.Add(new NpgsqlParameter(column.Name, NpgsqlDbType.Array | column.PostgresType));
        }

        await insert.PrepareAsync();
        var rows = new RowMaker();
        return await MeasureAsync("bare unnest INSERT", bodies, transactionSize, rows.Make, async slice =>
        {
            for (var c = 0; c < columns.Count; c++)
            {
                insert.Parameters[c].Value = columns[c].Array(slice);
            }

            await using var transaction = await connection.BeginTransactionAsync();
            insert.Transaction = transaction;
            long stored = await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
            return stored;
        });
    }

    /// <summary>Copies the migrated interactions table with its indexes (not its foreign key) under another name.</summary>
    private static async Task<IReadOnlyList<Column>> CreatePostgresBareTableAsync(NpgsqlConnection connection)
    {
        await using (var ddl = new NpgsqlCommand($"CREATE TABLE {BareTable} (LIKE interactions INCLUDING ALL)", connection))
        {
            await ddl.ExecuteNonQueryAsync();
        }

        var columns = new List<Column>();
        await using var info = new NpgsqlCommand(
            $"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '{BareTable}' AND column_name <> 'id' ORDER BY ordinal_position",
            connection);
        await using var reader = await info.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(Column.For(reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    /// <summary>
    /// The loop every raw method shares: parse chunks of bodies untimed, turn them into <typeparamref name="T"/>, and
    /// time each transaction of <paramref name="transactionSize"/> rows that <paramref name="storeTransaction"/> stores.
    /// </summary>
    private static async Task<RawResult> MeasureAsync<T>(
        string method, byte[][] bodies, int transactionSize, Func<List<TrackingEvent>, List<T>> prepare, Func<List<T>, Task<long>> storeTransaction)
    {
        var latencies = new List<double>();
        var timed = TimeSpan.Zero;
        var parse = TimeSpan.Zero;
        long stored = 0;
        foreach (var chunk in Chunks(bodies, transactionSize))
        {
            var parseStart = Stopwatch.GetTimestamp();
            var prepared = prepare(Parse(chunk.Bodies));
            parse += Stopwatch.GetElapsedTime(parseStart);
            for (var offset = 0; offset < prepared.Count; offset += transactionSize)
            {
                var slice = prepared.GetRange(offset, Math.Min(transactionSize, prepared.Count - offset));
                var start = Stopwatch.GetTimestamp();
                stored += await storeTransaction(slice);
                var elapsed = Stopwatch.GetElapsedTime(start);
                timed += elapsed;
                latencies.Add(elapsed.TotalMilliseconds);
            }
        }

        return Result(method, stored, transactionSize, timed, latencies, parse);
    }

    private static async Task<RawResult> WithCpuAsync(Func<Task<RawResult>> run)
    {
        var start = CpuSample.Take();
        var result = await run();
        return result with { Cpu = CpuSample.Take().Since(start) };
    }

    private static RawResult Result(string method, long stored, int transactionSize, TimeSpan timed, List<double> latencies, TimeSpan parse) =>
        new(method, stored, transactionSize, Math.Round(timed.TotalSeconds, 2), Math.Round(stored / timed.TotalSeconds),
            LatencySummary.From(latencies.ToArray()), Math.Round(parse.TotalSeconds, 2));

    /// <summary>Groups of bodies of about <see cref="ParseChunkEvents"/> events, a whole number of transactions each.</summary>
    private static IEnumerable<(int From, byte[][] Bodies)> Chunks(byte[][] bodies, int transactionSize)
    {
        var eventsPerBody = Math.Max(1, CountEvents(bodies[0]));
        // A chunk holds whole bodies and, where possible, whole transactions: the least common multiple fits both.
        var unit = Lcm(eventsPerBody, transactionSize) / eventsPerBody;
        var perChunk = Math.Max(unit, ParseChunkEvents / eventsPerBody / unit * unit);
        for (var from = 0; from < bodies.Length; from += perChunk)
        {
            if (Guard?.Invoke() is { } reason)
            {
                throw new InvalidOperationException($"Stopped after {from:N0} bodies: {reason}");
            }

            yield return (from, bodies[from..Math.Min(bodies.Length, from + perChunk)]);
        }
    }

    private static int Lcm(int a, int b)
    {
        static int Gcd(int x, int y) => y == 0 ? x : Gcd(y, x % y);
        return a / Gcd(a, b) * b;
    }

    private static int CountEvents(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("batch").GetArrayLength();
    }

    /// <summary>Parses bodies as the tracking API does; every call must be valid.</summary>
    public static List<TrackingEvent> Parse(byte[][] bodies)
    {
        var events = new List<TrackingEvent>(bodies.Length * 100);
        foreach (var body in bodies)
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            DateTimeOffset? sentAt = root.TryGetProperty("sentAt", out var s) && s.TryGetDateTimeOffset(out var parsedSentAt) ? parsedSentAt : null;
            var receivedAt = DateTimeOffset.UtcNow;
            foreach (var call in root.GetProperty("batch").EnumerateArray())
            {
                if (!TrackingEventParser.TryParse(call, null, receivedAt, sentAt, out var parsed, out var rejection))
                {
                    throw new InvalidOperationException($"The generator made an invalid call: {rejection!.Field}: {rejection.Reason}");
                }

                events.Add(parsed!);
            }
        }

        return events;
    }

    /// <summary>An interactions row as the writers would store it.</summary>
    private sealed record RawRow(long CustomerId, TrackingEvent Event, InteractionPlacement Placement);

    /// <summary>One column of the bare table: how to get its value from a row, and its PostgreSQL type.</summary>
    private sealed record Column(string Name, NpgsqlDbType PostgresType, Func<RawRow, object?> Value)
    {
        public static Column For(string name, string declaredType)
        {
            var type = declaredType.ToUpperInvariant() switch
            {
                "BIGINT" or "INTEGER" => NpgsqlDbType.Bigint,
                "DOUBLE PRECISION" or "REAL" => NpgsqlDbType.Double,
                "TEXT" => NpgsqlDbType.Text,
                var other => throw new InvalidOperationException($"interactions.{name} has type {other}, which the raw baseline does not know."),
            };
            Func<RawRow, object?> value = name switch
            {
                "workspace_id" => _ => 1L,
                "message_id" => r => r.Event.MessageId,
                "client_ts" => r => r.Event.ClientTimestamp?.ToUnixTimeMilliseconds() ?? 0L,
                "customer_id" => r => r.CustomerId,
                "type" => r => r.Event.Type.ToString().ToLowerInvariant(),
                "event" => r => r.Event.EventName,
                "occurred_at" => r => r.Event.Timestamp.ToUnixTimeMilliseconds(),
                "received_at" => r => r.Event.ReceivedAt.ToUnixTimeMilliseconds(),
                "touchpoint_id" => r => r.Placement.TouchpointId,
                "channel" => r => r.Placement.Channel,
                "journey_key" => r => r.Placement.JourneyKey,
                "stage" => r => r.Placement.Stage,
                "outcome" => r => r.Event.Outcome is null ? null : InteractionRollup.OutcomeName(r.Event.Outcome),
                "effort" => r => r.Event.Effort,
                "revenue" => r => r.Event.Revenue,
                "cost" => r => r.Event.Cost,
                "properties" => r => r.Event.PropertiesJson,
                "context" => r => r.Event.ContextJson,
                // One tracking identity per customer in the generated load, so the customer id stands in for it.
                "identity_id" => r => r.CustomerId,
                _ => throw new InvalidOperationException(
                    $"The interactions table has a column {name} that the raw baseline does not know: teach RawLimit.Column about it."),
            };
            return new Column(name, type, value);
        }

        /// <summary>The column's values for a batch, as a typed array for unnest.</summary>
        public object Array(List<RawRow> rows) => PostgresType switch
        {
            NpgsqlDbType.Bigint => rows.Select(r => (long?)Value(r)).ToArray(),
            NpgsqlDbType.Double => rows.Select(r => (double?)Value(r)).ToArray(),
            _ => rows.Select(r => (string?)Value(r)).ToArray(),
        };
    }

    /// <summary>Turns parsed events into rows: customers numbered by userId, placed in the demo catalogue.</summary>
    private sealed class RowMaker
    {
        private readonly Dictionary<string, long> _customers = new(StringComparer.Ordinal);
        private readonly TouchpointResolver _resolver = new(DemoCompany.Touchpoints.Select((t, i) => t with { Id = i + 1 }));

        public List<RawRow> Make(List<TrackingEvent> events)
        {
            var rows = new List<RawRow>(events.Count);
            foreach (var e in events)
            {
                var identity = e.UserId ?? e.AnonymousId!;
                if (!_customers.TryGetValue(identity, out var customerId))
                {
                    customerId = _customers.Count + 1;
                    _customers[identity] = customerId;
                }

                rows.Add(new RawRow(customerId, e, _resolver.Place(e)));
            }

            return rows;
        }
    }
}
