using System.Diagnostics;
using System.Text.Json;
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

    private static readonly string[] Columns =
    [
        "workspace_id", "message_id", "customer_id", "type", "event", "occurred_at", "received_at", "touchpoint_id",
        "channel", "journey_key", "stage", "outcome", "effort", "revenue", "cost", "properties", "context",
    ];

    /// <summary>The interactions table of the schema without its foreign key, with the same indexes.</summary>
    private const string BareTableSql = """
        CREATE TABLE bench_interactions (
            id {id},
            workspace_id BIGINT NOT NULL,
            message_id TEXT NOT NULL,
            customer_id BIGINT NOT NULL,
            type TEXT NOT NULL,
            event TEXT NULL,
            occurred_at BIGINT NOT NULL,
            received_at BIGINT NOT NULL,
            touchpoint_id BIGINT NULL,
            channel TEXT NULL,
            journey_key TEXT NULL,
            stage TEXT NULL,
            outcome TEXT NULL,
            effort DOUBLE PRECISION NULL,
            revenue DOUBLE PRECISION NULL,
            cost DOUBLE PRECISION NULL,
            properties TEXT NULL,
            context TEXT NULL
        );
        CREATE UNIQUE INDEX ux_bench_message ON bench_interactions (workspace_id, message_id);
        CREATE INDEX ix_bench_time ON bench_interactions (workspace_id, occurred_at, id);
        CREATE INDEX ix_bench_customer ON bench_interactions (workspace_id, customer_id, occurred_at, id);
        CREATE INDEX ix_bench_touchpoint ON bench_interactions (workspace_id, touchpoint_id, occurred_at, id);
        """;

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

        var latencies = new List<double>();
        var timed = TimeSpan.Zero;
        var parse = TimeSpan.Zero;
        long stored = 0;
        foreach (var chunk in Chunks(bodies, transactionSize))
        {
            var parseStart = Stopwatch.GetTimestamp();
            var items = Parse(chunk.Bodies).Select(e => new IngestionItem(workspace.Id, e)).ToList();
            parse += Stopwatch.GetElapsedTime(parseStart);
            for (var offset = 0; offset < items.Count; offset += transactionSize)
            {
                var batch = items.GetRange(offset, Math.Min(transactionSize, items.Count - offset));
                var start = Stopwatch.GetTimestamp();
                var outcome = await writer.WriteAsync(batch, CancellationToken.None);
                var elapsed = Stopwatch.GetElapsedTime(start);
                timed += elapsed;
                latencies.Add(elapsed.TotalMilliseconds);
                stored += outcome.Stored;
            }
        }

        return Result("InteractionWriter", stored, transactionSize, timed, latencies, parse);
    }

    public static Task<RawResult> RunSqliteBaselineAsync(DatabaseTarget target, byte[][] bodies, int transactionSize) =>
        WithCpuAsync(() => RunSqliteBaselineCoreAsync(target, bodies, transactionSize));

    private static async Task<RawResult> RunSqliteBaselineCoreAsync(DatabaseTarget target, byte[][] bodies, int transactionSize)
    {
        await using var database = new Database(target);
        await using var connection = (SqliteConnection)await database.OpenAsync();
        using (var ddl = connection.CreateCommand())
        {
            ddl.CommandText = BareTableSql.Replace("{id}", "INTEGER PRIMARY KEY", StringComparison.Ordinal);
            ddl.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO bench_interactions ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select(c => "@" + c))})";
        foreach (var column in Columns)
        {
            insert.Parameters.Add(new SqliteParameter("@" + column, null));
        }

        var p = insert.Parameters;
        var rows = new RowMaker();
        var latencies = new List<double>();
        var timed = TimeSpan.Zero;
        var parse = TimeSpan.Zero;
        long stored = 0;
        foreach (var chunk in Chunks(bodies, transactionSize))
        {
            var parseStart = Stopwatch.GetTimestamp();
            var chunkRows = rows.Make(Parse(chunk.Bodies));
            parse += Stopwatch.GetElapsedTime(parseStart);
            for (var offset = 0; offset < chunkRows.Count; offset += transactionSize)
            {
                var end = Math.Min(chunkRows.Count, offset + transactionSize);
                var start = Stopwatch.GetTimestamp();
                using (var transaction = connection.BeginTransaction())
                {
                    insert.Transaction = transaction;
                    for (var i = offset; i < end; i++)
                    {
                        var r = chunkRows[i];
                        p[0].Value = r.WorkspaceId;
                        p[1].Value = r.MessageId;
                        p[2].Value = r.CustomerId;
                        p[3].Value = r.Type;
                        p[4].Value = (object?)r.Event ?? DBNull.Value;
                        p[5].Value = r.OccurredAt;
                        p[6].Value = r.ReceivedAt;
                        p[7].Value = (object?)r.TouchpointId ?? DBNull.Value;
                        p[8].Value = (object?)r.Channel ?? DBNull.Value;
                        p[9].Value = (object?)r.JourneyKey ?? DBNull.Value;
                        p[10].Value = (object?)r.Stage ?? DBNull.Value;
                        p[11].Value = (object?)r.Outcome ?? DBNull.Value;
                        p[12].Value = (object?)r.Effort ?? DBNull.Value;
                        p[13].Value = (object?)r.Revenue ?? DBNull.Value;
                        p[14].Value = (object?)r.Cost ?? DBNull.Value;
                        p[15].Value = (object?)r.Properties ?? DBNull.Value;
                        p[16].Value = (object?)r.Context ?? DBNull.Value;
                        stored += insert.ExecuteNonQuery();
                    }

                    transaction.Commit();
                }

                var elapsed = Stopwatch.GetElapsedTime(start);
                timed += elapsed;
                latencies.Add(elapsed.TotalMilliseconds);
            }
        }

        return Result("bare prepared INSERT", stored, transactionSize, timed, latencies, parse);
    }

    public static Task<RawResult> RunPostgresCopyAsync(DatabaseTarget target, byte[][] bodies, int transactionSize) =>
        WithCpuAsync(() => RunPostgresCopyCoreAsync(target, bodies, transactionSize));

    private static async Task<RawResult> RunPostgresCopyCoreAsync(DatabaseTarget target, byte[][] bodies, int transactionSize)
    {
        await using var database = new Database(target);
        await using var connection = (NpgsqlConnection)await database.OpenAsync();
        await CreateBareTableAsync(connection);
        var copySql = $"COPY bench_interactions ({string.Join(", ", Columns)}) FROM STDIN (FORMAT BINARY)";
        var rows = new RowMaker();
        var latencies = new List<double>();
        var timed = TimeSpan.Zero;
        var parse = TimeSpan.Zero;
        long stored = 0;
        foreach (var chunk in Chunks(bodies, transactionSize))
        {
            var parseStart = Stopwatch.GetTimestamp();
            var chunkRows = rows.Make(Parse(chunk.Bodies));
            parse += Stopwatch.GetElapsedTime(parseStart);
            for (var offset = 0; offset < chunkRows.Count; offset += transactionSize)
            {
                var end = Math.Min(chunkRows.Count, offset + transactionSize);
                var start = Stopwatch.GetTimestamp();
                await using (var transaction = await connection.BeginTransactionAsync())
                {
                    await using (var importer = await connection.BeginBinaryImportAsync(copySql))
                    {
                        for (var i = offset; i < end; i++)
                        {
                            var r = chunkRows[i];
                            await importer.StartRowAsync();
                            await importer.WriteAsync(r.WorkspaceId, NpgsqlDbType.Bigint);
                            await importer.WriteAsync(r.MessageId, NpgsqlDbType.Text);
                            await importer.WriteAsync(r.CustomerId, NpgsqlDbType.Bigint);
                            await importer.WriteAsync(r.Type, NpgsqlDbType.Text);
                            await WriteAsync(importer, r.Event);
                            await importer.WriteAsync(r.OccurredAt, NpgsqlDbType.Bigint);
                            await importer.WriteAsync(r.ReceivedAt, NpgsqlDbType.Bigint);
                            await WriteAsync(importer, r.TouchpointId);
                            await WriteAsync(importer, r.Channel);
                            await WriteAsync(importer, r.JourneyKey);
                            await WriteAsync(importer, r.Stage);
                            await WriteAsync(importer, r.Outcome);
                            await WriteAsync(importer, r.Effort);
                            await WriteAsync(importer, r.Revenue);
                            await WriteAsync(importer, r.Cost);
                            await WriteAsync(importer, r.Properties);
                            await WriteAsync(importer, r.Context);
                        }

                        stored += (long)await importer.CompleteAsync();
                    }

                    await transaction.CommitAsync();
                }

                var elapsed = Stopwatch.GetElapsedTime(start);
                timed += elapsed;
                latencies.Add(elapsed.TotalMilliseconds);
            }
        }

        return Result("bare binary COPY", stored, transactionSize, timed, latencies, parse);
    }

    public static Task<RawResult> RunPostgresUnnestAsync(DatabaseTarget target, byte[][] bodies, int transactionSize) =>
        WithCpuAsync(() => RunPostgresUnnestCoreAsync(target, bodies, transactionSize));

    private static async Task<RawResult> RunPostgresUnnestCoreAsync(DatabaseTarget target, byte[][] bodies, int transactionSize)
    {
        await using var database = new Database(target);
        await using var connection = (NpgsqlConnection)await database.OpenAsync();
        await CreateBareTableAsync(connection);
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO bench_interactions ({string.Join(", ", Columns)}) " +
            "SELECT * FROM unnest(@workspace_id, @message_id, @customer_id, @type, @event, @occurred_at, @received_at, @touchpoint_id, " +
            "@channel, @journey_key, @stage, @outcome, @effort, @revenue, @cost, @properties, @context)",
            connection);
        NpgsqlDbType[] types =
        [
            NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Bigint,
            NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text,
            NpgsqlDbType.Double, NpgsqlDbType.Double, NpgsqlDbType.Double, NpgsqlDbType.Text, NpgsqlDbType.Text,
        ];
        for (var c = 0; c < Columns.Length; c++)
        {
            insert.Parameters.Add(new NpgsqlParameter(Columns[c], NpgsqlDbType.Array | types[c]));
        }

        await insert.PrepareAsync();
        var p = insert.Parameters;
        var rows = new RowMaker();
        var latencies = new List<double>();
        var timed = TimeSpan.Zero;
        var parse = TimeSpan.Zero;
        long stored = 0;
        foreach (var chunk in Chunks(bodies, transactionSize))
        {
            var parseStart = Stopwatch.GetTimestamp();
            var chunkRows = rows.Make(Parse(chunk.Bodies));
            parse += Stopwatch.GetElapsedTime(parseStart);
            for (var offset = 0; offset < chunkRows.Count; offset += transactionSize)
            {
                var slice = chunkRows.GetRange(offset, Math.Min(transactionSize, chunkRows.Count - offset));
                var start = Stopwatch.GetTimestamp();
                p[0].Value = slice.Select(r => r.WorkspaceId).ToArray();
                p[1].Value = slice.Select(r => r.MessageId).ToArray();
                p[2].Value = slice.Select(r => r.CustomerId).ToArray();
                p[3].Value = slice.Select(r => r.Type).ToArray();
                p[4].Value = slice.Select(r => r.Event).ToArray();
                p[5].Value = slice.Select(r => r.OccurredAt).ToArray();
                p[6].Value = slice.Select(r => r.ReceivedAt).ToArray();
                p[7].Value = slice.Select(r => r.TouchpointId).ToArray();
                p[8].Value = slice.Select(r => r.Channel).ToArray();
                p[9].Value = slice.Select(r => r.JourneyKey).ToArray();
                p[10].Value = slice.Select(r => r.Stage).ToArray();
                p[11].Value = slice.Select(r => r.Outcome).ToArray();
                p[12].Value = slice.Select(r => r.Effort).ToArray();
                p[13].Value = slice.Select(r => r.Revenue).ToArray();
                p[14].Value = slice.Select(r => r.Cost).ToArray();
                p[15].Value = slice.Select(r => r.Properties).ToArray();
                p[16].Value = slice.Select(r => r.Context).ToArray();
                await using (var transaction = await connection.BeginTransactionAsync())
                {
                    insert.Transaction = transaction;
                    stored += await insert.ExecuteNonQueryAsync();
                    await transaction.CommitAsync();
                }

                var elapsed = Stopwatch.GetElapsedTime(start);
                timed += elapsed;
                latencies.Add(elapsed.TotalMilliseconds);
            }
        }

        return Result("bare unnest INSERT", stored, transactionSize, timed, latencies, parse);
    }

    private static async Task<RawResult> WithCpuAsync(Func<Task<RawResult>> run)
    {
        var start = CpuSample.Take();
        var result = await run();
        return result with { Cpu = CpuSample.Take().Since(start) };
    }

    private static async Task CreateBareTableAsync(NpgsqlConnection connection)
    {
        await using var ddl = new NpgsqlCommand(
            BareTableSql.Replace("{id}", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", StringComparison.Ordinal), connection);
        await ddl.ExecuteNonQueryAsync();
    }

    private static async Task WriteAsync<T>(NpgsqlBinaryImporter importer, T? value)
        where T : class
    {
        if (value is null)
        {
            await importer.WriteNullAsync();
        }
        else
        {
            await importer.WriteAsync(value);
        }
    }

    private static async Task WriteAsync<T>(NpgsqlBinaryImporter importer, T? value)
        where T : struct
    {
        if (value is { } v)
        {
            await importer.WriteAsync(v);
        }
        else
        {
            await importer.WriteNullAsync();
        }
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
    private sealed record RawRow(
        long WorkspaceId, string MessageId, long CustomerId, string Type, string? Event, long OccurredAt, long ReceivedAt,
        long? TouchpointId, string? Channel, string? JourneyKey, string? Stage, string? Outcome, double? Effort, double? Revenue,
        double? Cost, string? Properties, string? Context);

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

                var placement = _resolver.Place(e);
                rows.Add(new RawRow(
                    1, e.MessageId, customerId, e.Type.ToString().ToLowerInvariant(), e.EventName, e.Timestamp.ToUnixTimeMilliseconds(),
                    e.ReceivedAt.ToUnixTimeMilliseconds(), placement.TouchpointId, placement.Channel, placement.JourneyKey, placement.Stage,
                    e.Outcome is null ? null : InteractionRollup.OutcomeName(e.Outcome), e.Effort, e.Revenue, e.Cost, e.PropertiesJson, e.ContextJson));
            }

            return rows;
        }
    }
}
