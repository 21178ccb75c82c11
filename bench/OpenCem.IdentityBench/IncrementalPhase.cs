using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json.Nodes;
using OpenCem.Customers;
using OpenCem.Storage;

namespace OpenCem.IdentityBench;

internal sealed record IncrementalResult(
    int Calls, int WarmUpCalls, double Seconds, LatencySummary All, LatencySummary Merging, LatencySummary Fresh, double MeanMs,
    int MergedAsExpected, int CreatedAsExpected, int Unexpected, CpuUse Cpu)
{
    /// <summary>Calls during which a garbage collection ran in this process.</summary>
    public int CallsWithGc { get; init; }

    /// <summary>SQLite: calls whose commit ran the write-ahead log's automatic checkpoint (from the wal-index header).</summary>
    public int CallsWithCheckpoint { get; init; }

    /// <summary>The calls with neither a collection nor a checkpoint.</summary>
    public LatencySummary? Quiet { get; init; }

    public LatencySummary? WithCheckpoint { get; init; }

    public LatencySummary? WithGc { get; init; }
}

/// <summary>The cheapest durable write on the same database: open (pooled), begin, insert one row, commit.</summary>
internal sealed record FloorResult(int Transactions, LatencySummary Latency);

/// <summary>
/// One identify at a time with the imported profiles present: a tracking record with a new userId whose traits
/// carry an e-mail, through <see cref="IdentityService.UpsertAsync"/> (one transaction, commit included). Every
/// other call names the e-mail of an existing profile, so the record joins it; the others bring a fresh e-mail
/// and make a new profile.
/// </summary>
internal static class IncrementalPhase
{
    private const int WarmUp = 50;

    public static async Task<IncrementalResult> RunAsync(Database database, long workspaceId, IReadOnlyList<string> existingEmails, int calls)
    {
        if (existingEmails.Count < (calls + WarmUp + 1) / 2)
        {
            throw new InvalidOperationException($"Only {existingEmails.Count} suitable e-mails of existing profiles for {calls} calls.");
        }

        var identity = new IdentityService(database, TimeProvider.System);
        var emails = 0;
        IncomingRecord Make(string prefix, int i)
        {
            var userId = $"{prefix}-{i:D6}";
            var email = i % 2 == 0 ? existingEmails[emails++] : $"{prefix}.fresh.{i:D6}@example.org";
            var traits = new JsonObject { ["email"] = email, ["name"] = $"Bench {prefix} {i}" };
            var record = new SourceRecord("tracking", userId, [new Identifier("userId", userId)], traits, DateTimeOffset.UtcNow);
            return new IncomingRecord(record, 1, UpsertMode.Accumulate);
        }

        for (var i = 0; i < WarmUp; i++)
        {
            await identity.UpsertAsync(workspaceId, [Make("idb-warm", i)]);
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var wal = database.Kind == DatabaseKind.Sqlite ? new WalIndex(database.Target) : null;
        var gcFlags = new bool[calls];
        var checkpointFlags = new bool[calls];
        var all = new double[calls];
        var merging = new List<double>();
        var fresh = new List<double>();
        int merged = 0, created = 0, unexpected = 0;
        var cpu = CpuSample.Take();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            var incoming = Make("idb-user", i);
            var backfilled = wal?.Backfilled();
            var collections = GC.CollectionCount(0);
            var callStart = Stopwatch.GetTimestamp();
            var outcome = await identity.UpsertAsync(workspaceId, [incoming]);
            var ms = Stopwatch.GetElapsedTime(callStart).TotalMilliseconds;
            all[i] = ms;
            gcFlags[i] = GC.CollectionCount(0) != collections;
            checkpointFlags[i] = wal is not null && wal.Backfilled() is var after && after != backfilled && after > 0;
            if (i % 2 == 0)
            {
                merging.Add(ms);
                if (outcome.RecordsMerged == 1 && outcome.ProfilesCreated == 0)
                {
                    merged++;
                }
                else
                {
                    unexpected++;
                }
            }
            else
            {
                fresh.Add(ms);
                if (outcome.RecordsMerged == 0 && outcome.ProfilesCreated == 1)
                {
                    created++;
                }
                else
                {
                    unexpected++;
                }
            }
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        double[] Where(Func<int, bool> keep) => Enumerable.Range(0, calls).Where(keep).Select(i => all[i]).ToArray();
        return new IncrementalResult(calls, WarmUp, seconds, LatencySummary.From(all), LatencySummary.From(merging.ToArray()), LatencySummary.From(fresh.ToArray()),
            all.Average(), merged, created, unexpected, CpuSample.Take().Since(cpu))
        {
            CallsWithGc = gcFlags.Count(f => f),
            CallsWithCheckpoint = checkpointFlags.Count(f => f),
            Quiet = LatencySummary.From(Where(i => !gcFlags[i] && !checkpointFlags[i])),
            WithCheckpoint = LatencySummary.From(Where(i => checkpointFlags[i])),
            WithGc = LatencySummary.From(Where(i => gcFlags[i])),
        };
    }

    /// <summary>
    /// Identifies that each join a profile whose e-mail is on several records (crm, billing and webshop): the
    /// neighbourhood then holds several record ids, which changes the statements' plans. Not part of the target.
    /// </summary>
    public static async Task<LatencySummary> JoinSharedAsync(Database database, long workspaceId, IReadOnlyList<string> emails)
    {
        var identity = new IdentityService(database, TimeProvider.System);
        var times = new double[emails.Count];
        for (var i = 0; i < emails.Count; i++)
        {
            var userId = $"idb-shared-{i:D6}";
            var traits = new JsonObject { ["email"] = emails[i] };
            var record = new SourceRecord("tracking", userId, [new Identifier("userId", userId)], traits, DateTimeOffset.UtcNow);
            var start = Stopwatch.GetTimestamp();
            await identity.UpsertAsync(workspaceId, [new IncomingRecord(record, 1, UpsertMode.Accumulate)]);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return LatencySummary.From(times);
    }

    /// <summary>
    /// The floor under one identify: the same pooled open, a transaction inserting one row into a scratch table,
    /// and the durable commit, through the same <see cref="Database"/> settings.
    /// </summary>
    public static async Task<FloorResult> FloorAsync(Database database, int transactions)
    {
        await using (var connection = await database.OpenAsync())
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE bench_floor (id BIGINT NOT NULL, value TEXT NOT NULL)";
            await create.ExecuteNonQueryAsync();
        }

        var times = new double[transactions];
        for (var i = -50; i < transactions; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await using (var connection = await database.OpenAsync())
            await using (var transaction = await connection.BeginTransactionAsync())
            await using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO bench_floor (id, value) VALUES (@id, @value)";
                var id = insert.CreateParameter();
                id.ParameterName = "id";
                id.Value = (long)i;
                insert.Parameters.Add(id);
                var value = insert.CreateParameter();
                value.ParameterName = "value";
                value.Value = "floor";
                insert.Parameters.Add(value);
                await insert.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }

            if (i >= 0)
            {
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        await using (var connection = await database.OpenAsync())
        await using (var drop = connection.CreateCommand())
        {
            drop.CommandText = "DROP TABLE bench_floor";
            await drop.ExecuteNonQueryAsync();
        }

        return new FloorResult(transactions, LatencySummary.From(times));
    }

    /// <summary>
    /// E-mails (as the source spelled them) that exactly one imported record carries, after normalising: an
    /// identify naming one joins that record's profile without making the e-mail shared. Spread over the
    /// population in a fixed pseudo-random order.
    /// </summary>
    public static List<string> PickExistingEmails(PlantedSourceSet planted, IdentitySettings settings, int count, int seed, int carriedBy = 1)
    {
        var normaliser = new IdentifierNormaliser(settings);
        var carriers = new Dictionary<string, (int Count, string Raw)>(StringComparer.Ordinal);
        foreach (var record in planted.Records)
        {
            if (record.Email is { } raw && normaliser.Normalise(IdentifierKinds.Email, raw) is ({ } value, null))
            {
                carriers[value] = carriers.TryGetValue(value, out var seen) ? (seen.Count + 1, seen.Raw) : (1, raw);
            }
        }

        var single = carriers.Values.Where(c => c.Count == carriedBy).Select(c => c.Raw).ToList();
        var random = new Random(seed);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(single));
        return single.Take(count).ToList();
    }
}

/// <summary>
/// Reads SQLite's wal-index header from the <c>-shm</c> file: <c>nBackfill</c> (offset 96) is how many log frames
/// a checkpoint has copied into the database; it changes when a commit ran the automatic checkpoint.
/// </summary>
internal sealed class WalIndex(DatabaseTarget target)
{
    private readonly string _path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource + "-shm";
    private readonly byte[] _buffer = new byte[100];

    public uint? Backfilled()
    {
        try
        {
            using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            return file.Read(_buffer, 0, _buffer.Length) == _buffer.Length ? BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(96)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
