using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Customers.Storage;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.Customers;

/// <summary>
/// Identity resolution as a service: loads a workspace's rules, runs each change in one transaction that holds
/// the workspace's identity lock (SQLite's write lock; a PostgreSQL advisory lock that the ingestion writer takes
/// shared), so profiles never change under a batch of tracking calls being stored.
/// </summary>
public sealed class IdentityService(Database database, TimeProvider time)
{
    /// <summary>From this many records on, an upsert re-resolves the whole workspace in memory, which is cheaper than per-record lookups.</summary>
    public const int DefaultFullResolutionThreshold = 5_000;

    /// <summary>Lets tests drive either path with small data.</summary>
    internal int FullResolutionThreshold { get; init; } = DefaultFullResolutionThreshold;

    /// <summary>How long reads (profile pages, search) reuse the rules before asking the database again.</summary>
    private static readonly TimeSpan SettingsLifetime = TimeSpan.FromSeconds(5);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, (IdentitySettings Settings, long ReadAt)> _settings = new();

    public async Task<IdentitySettings> GetSettingsAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        if (_settings.TryGetValue(workspaceId, out var cached) && time.GetElapsedTime(cached.ReadAt) < SettingsLifetime)
        {
            return cached.Settings;
        }

        var json = await new WorkspaceStore(database).GetSettingAsync(workspaceId, IdentitySettings.SettingName, cancellationToken);
        var settings = Parse(json);
        _settings[workspaceId] = (settings, time.GetTimestamp());
        return settings;
    }

    internal static IdentitySettings Parse(string? json) =>
        json is null ? new IdentitySettings() : JsonSerializer.Deserialize<IdentitySettings>(json, IdentitySettings.Json) ?? new IdentitySettings();

    /// <summary>Stores the rules; the generation advances so the ingestion writer picks them up at its next batch.</summary>
    public async Task SaveSettingsAsync(long workspaceId, IdentitySettings settings, CancellationToken cancellationToken = default) =>
        await InLockAsync(workspaceId, async (db, savedAt) =>
        {
            await db.Connection.ExecuteAsync(
                """
                INSERT INTO workspace_settings (workspace_id, name, value) VALUES (@workspaceId, @name, @value)
                ON CONFLICT (workspace_id, name) DO UPDATE SET value = excluded.value
                """,
                new { workspaceId, name = IdentitySettings.SettingName, value = JsonSerializer.Serialize(settings, IdentitySettings.Json) },
                db.Transaction);
            await db.AddCounterAsync(workspaceId, IdentityGeneration.CounterName, 1);
            _settings.TryRemove(workspaceId, out _);
            return true;
        }, cancellationToken);

    /// <summary>What upserts learnt of each workspace, valid while its identity generation is the one recorded.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, ResolutionState> _states = new();

    /// <summary>Upserts records by (source, id) and resolves them into profiles.</summary>
    public async Task<ResolveOutcome> UpsertAsync(long workspaceId, IReadOnlyList<IncomingRecord> records, CancellationToken cancellationToken = default)
    {
        ResolutionState? after = null;
        var outcome = await InLockAsync(workspaceId, async (db, now) =>
        {
            // PostgreSQL: the lock goes in one round trip with the first read (InLockAsync was told not to take it).
            var state = await ResolutionState.ReadAsync(db, workspaceId, _states.GetValueOrDefault(workspaceId), database.Kind == DatabaseKind.Postgres ? LockSql(shared: false) : null);
            db.NoTombstones = !state.HasTombstones;
            db.NoSplits = !state.HasSplits;
            var result = await new ProfileResolver(db, workspaceId, state.Settings, now).ApplyAsync(records, records.Count >= FullResolutionThreshold, cancellationToken);
            after = result.GenerationAdvanced ? state.Advanced() : state;
            return result;
        }, cancellationToken, analyzeAfter: records.Count >= FullResolutionThreshold, lockedByWork: true);

        // Only after the commit: a rolled-back upsert must not leave a generation behind that never existed.
        if (after is not null)
        {
            _states[workspaceId] = after;
        }

        return outcome;
    }

    /// <summary>Re-resolves every record of the workspace with the current rules.</summary>
    public async Task<ResolveOutcome> RebuildAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        var settings = await GetSettingsAsync(workspaceId, cancellationToken);
        return await InLockAsync(workspaceId, (db, now) => new ProfileResolver(db, workspaceId, settings, now).RebuildAsync(cancellationToken), cancellationToken, analyzeAfter: true);
    }

    /// <summary>
    /// After an erasure, pushes the SQLite write-ahead log into the database file and empties it, so the erased
    /// bytes (already zeroed by secure_delete) do not survive in old log frames.
    /// </summary>
    internal async Task CompactAfterErasureAsync(CancellationToken cancellationToken)
    {
        if (database.Kind != DatabaseKind.Sqlite)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
    }

    /// <summary>
    /// SQLite: pages the write-ahead log may hold before an identity commit copies it into the database itself (the
    /// default, 1,000, made every 80th identify or so wait about 5 ms for that copy). As for the ingestion writer, the
    /// server's <see cref="SqliteCheckpointer"/> copies pages in the background meanwhile, so the commit rarely finds
    /// the limit reached; without it (the CLI) one commit in about 1,300 single-record identifies does the copying.
    /// </summary>
    public const int WalPagesBeforeCheckpoint = Interactions.Ingestion.SqliteInteractionWriter.WalPagesBeforeCheckpoint;

    private readonly IdBlocks? _idBlocks = database.Kind == DatabaseKind.Postgres ? new IdBlocks() : null;

    /// <param name="analyzeAfter">After a bulk change, refresh the planner's statistics so the small lookups that follow use the right indexes.</param>
    /// <param name="lockedByWork">The work takes the PostgreSQL lock itself, with its first statement (<see cref="LockSql"/>, the workspace id as its one parameter).</param>
    internal async Task<T> InLockAsync<T>(long workspaceId, Func<IdentityRepository, long, Task<T>> work, CancellationToken cancellationToken, bool analyzeAfter = false, bool lockedByWork = false)
    {
        await using var connection = await database.OpenPreparingAsync(cancellationToken);
        T result;
        var sqlite = database.Kind == DatabaseKind.Sqlite;
        if (sqlite)
        {
            await connection.ExecuteAsync($"PRAGMA wal_autocheckpoint={WalPagesBeforeCheckpoint}");
        }

        try
        {
            await using (var turn = await database.TakeWriteTurnAsync(cancellationToken))
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                if (!lockedByWork)
                {
                    await LockAsync(connection, transaction, database.Kind, workspaceId, shared: false);
                }

                result = await work(new IdentityRepository(connection, transaction, database.Kind) { IdBlocks = _idBlocks }, time.GetUtcNow().ToUnixTimeMilliseconds());
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (sqlite)
            {
                // The pooled connection goes back with SQLite's default for whoever opens it next.
                await connection.ExecuteAsync("PRAGMA wal_autocheckpoint=1000");
            }
        }

        if (analyzeAfter)
        {
            await connection.ExecuteAsync(database.Kind == DatabaseKind.Sqlite
                ? "PRAGMA analysis_limit=1000; PRAGMA optimize=0x10002"
                : "ANALYZE source_records, record_identifiers, customer_identities, customers");
        }

        return result;
    }

    /// <summary>
    /// Takes the workspace's identity lock for the transaction. SQLite transactions begin with the write lock
    /// already (BEGIN IMMEDIATE), so only PostgreSQL needs one.
    /// </summary>
    internal static async Task LockAsync(DbConnection connection, DbTransaction transaction, DatabaseKind kind, long workspaceId, bool shared)
    {
        if (kind == DatabaseKind.Postgres)
        {
            await connection.ExecuteAsync(LockSql(shared).Replace("$1", "@key", StringComparison.Ordinal), new { key = (int)workspaceId }, transaction);
        }
    }

    /// <summary>The PostgreSQL statement that takes a workspace's identity lock; <c>$1</c> is the workspace id as an int.</summary>
    internal static string LockSql(bool shared) => shared ? "SELECT pg_advisory_xact_lock_shared(727275, $1)" : "SELECT pg_advisory_xact_lock(727275, $1)";
}
