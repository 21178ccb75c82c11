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
            var state = await ResolutionState.ReadAsync(db, workspaceId, _states.GetValueOrDefault(workspaceId));
            db.NoTombstones = !state.HasTombstones;
            db.NoSplits = !state.HasSplits;
            var result = await new ProfileResolver(db, workspaceId, state.Settings, now).ApplyAsync(records, records.Count >= FullResolutionThreshold, cancellationToken);
            after = result.GenerationAdvanced ? state.Advanced() : state;
            return result;
        }, cancellationToken, analyzeAfter: records.Count >= FullResolutionThreshold);

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

    private readonly IdBlocks? _idBlocks = database.Kind == DatabaseKind.Postgres ? new IdBlocks() : null;

    /// <param name="analyzeAfter">After a bulk change, refresh the planner's statistics so the small lookups that follow use the right indexes.</param>
    internal async Task<T> InLockAsync<T>(long workspaceId, Func<IdentityRepository, long, Task<T>> work, CancellationToken cancellationToken, bool analyzeAfter = false)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        T result;
        await using (var turn = await database.TakeWriteTurnAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await LockAsync(connection, transaction, database.Kind, workspaceId, shared: false);
            result = await work(new IdentityRepository(connection, transaction, database.Kind) { IdBlocks = _idBlocks }, time.GetUtcNow().ToUnixTimeMilliseconds());
            await transaction.CommitAsync(cancellationToken);
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
            var function = shared ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock";
            await connection.ExecuteAsync($"SELECT {function}(727275, @key)", new { key = (int)workspaceId }, transaction);
        }
    }
}
