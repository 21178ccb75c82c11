using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OpenCem.Storage;

/// <summary>
/// The one entry point to storage: opens connections to SQLite or PostgreSQL with the settings each needs.
/// Everything above it speaks portable SQL through Dapper; hot paths ask for <see cref="Kind"/> and
/// use provider-specific bulk code.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly Lazy<NpgsqlDataSource>? _preparing;
    private readonly WriteTurns? _turns;

    public Database(DatabaseTarget target)
    {
        Target = target;
        if (target.Kind == DatabaseKind.Postgres)
        {
            var builder = new NpgsqlDataSourceBuilder(target.ConnectionString);
            _postgres = builder.Build();
            _preparing = new Lazy<NpgsqlDataSource>(() =>
            {
                var preparing = new NpgsqlDataSourceBuilder(target.ConnectionString);
                preparing.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
                preparing.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
                return preparing.Build();
            });
        }
        else
        {
            _turns = new WriteTurns();
        }
    }

    public DatabaseTarget Target { get; }

    public DatabaseKind Kind => Target.Kind;

    public NpgsqlDataSource PostgresDataSource =>
        _postgres ?? throw new InvalidOperationException("This database is not PostgreSQL.");

    /// <summary>
    /// Waits for this process's turn at SQLite's one write lock; take it before beginning a write transaction whose
    /// latency matters, and dispose it after the commit. Free on PostgreSQL.
    /// </summary>
    public ValueTask<WriteTurn> TakeWriteTurnAsync(CancellationToken cancellationToken = default, WritePriority priority = WritePriority.Prompt) =>
        _turns is null ? ValueTask.FromResult(default(WriteTurn)) : _turns.TakeAsync(priority, cancellationToken);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(Target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // WAL lets readers run while the ingestion writer commits; FULL makes each commit an fsync, so an
        // acknowledged event survives a crash of the process or the machine. secure_delete zeroes deleted and
        // overwritten content, so an erased person's data does not linger in free space of the file. busy_timeout: a
        // writer that finds the lock taken (by another process, or a writer that takes no WriteTurn) retries after 1, 2,
        // 5, 10... ms inside SQLite, rather than after Microsoft.Data.Sqlite's flat 150 ms sleeps.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA secure_delete=ON; PRAGMA busy_timeout=10000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Statements each connection of <see cref="OpenPreparingAsync"/> keeps prepared (the most used ones).</summary>
    public const int AutoPreparedStatements = 64;

    /// <summary>
    /// A connection for paths that run the same few small statements many times (identity resolution of single
    /// records): on PostgreSQL from a pool of its own whose connections prepare a statement the second time they
    /// see its text and keep it, so the server neither parses nor plans it again. Other paths keep unprepared
    /// statements (a schema change under a prepared <c>SELECT *</c> would fail it). The same as <see cref="OpenAsync"/> on SQLite.
    /// </summary>
    public async Task<DbConnection> OpenPreparingAsync(CancellationToken cancellationToken = default) =>
        _preparing is not null ? await _preparing.Value.OpenConnectionAsync(cancellationToken) : await OpenAsync(cancellationToken);

    /// <summary>
    /// A connection for bulk loads that can simply be rerun after a crash (the demo, imports into a new
    /// database): commits do not wait for the disk. Never used for acknowledged tracking calls.
    /// </summary>
    public async Task<DbConnection> OpenForBulkLoadAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Kind == DatabaseKind.Sqlite ? "PRAGMA synchronous=OFF" : "SET synchronous_commit = off";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_preparing is { IsValueCreated: true })
        {
            await _preparing.Value.DisposeAsync();
        }
    }
}
