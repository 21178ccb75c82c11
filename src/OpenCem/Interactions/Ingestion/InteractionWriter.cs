using System.Data.Common;
using OpenCem.Customers;
using OpenCem.Storage;

namespace OpenCem.Interactions.Ingestion;

/// <summary>
/// Stores batches of tracking calls in one transaction each: resolves customers, stores interactions
/// exactly once per messageId, merges identify traits, and advances the daily rollup and the counters in the
/// same transaction, so the rollup never disagrees with the raw events. Not thread-safe: one writer owns
/// one connection, and the <see cref="IngestionQueue"/> feeds it.
/// </summary>
public abstract class InteractionWriter : IAsyncDisposable
{
    private const int MaxCachedIdentities = 2_000_000;

    private readonly Dictionary<(long WorkspaceId, CustomerIdentifier Identifier), long> _identityCache = [];
    private readonly Func<long, TouchpointResolver> _catalogue;
    private readonly TimeProvider _time;
    private DbConnection? _connection;
    private bool _bulkLoad;

    protected InteractionWriter(Database database, Func<long, TouchpointResolver> catalogue, TimeProvider time)
    {
        Database = database;
        _catalogue = catalogue;
        _time = time;
    }

    protected Database Database { get; }

    /// <summary>A writer for the database's kind.</summary>
    /// <param name="bulkLoad">True for reruneable loads (demo, imports): commits do not wait for the disk.</param>
    public static InteractionWriter Create(Database database, Func<long, TouchpointResolver> catalogue, TimeProvider time, bool bulkLoad = false)
    {
        InteractionWriter writer = database.Kind == DatabaseKind.Sqlite
            ? new SqliteInteractionWriter(database, catalogue, time)
            : new PostgresInteractionWriter(database, catalogue, time);
        writer._bulkLoad = bulkLoad;
        return writer;
    }

    public async Task<IngestionOutcome> WriteAsync(IReadOnlyList<IngestionItem> items, CancellationToken cancellationToken)
    {
        _connection ??= await OpenAsync(cancellationToken);
        try
        {
            return await WriteInTransactionAsync(_connection, items, cancellationToken);
        }
        catch
        {
            // The connection may be broken; the next batch starts from a fresh one.
            await ResetConnectionAsync();
            throw;
        }
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = _bulkLoad ? await Database.OpenForBulkLoadAsync(cancellationToken) : await Database.OpenAsync(cancellationToken);
        await OnOpenedAsync(connection, cancellationToken);
        return connection;
    }

    /// <summary>Settings of the writer's own connection.</summary>
    protected virtual Task OnOpenedAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<IngestionOutcome> WriteInTransactionAsync(DbConnection connection, IReadOnlyList<IngestionItem> items, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var unique = Deduplicate(items);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = new List<InteractionRow>(unique.Count);
        var newIdentities = new List<(long WorkspaceId, CustomerIdentifier Identifier, long CustomerId)>();
        var traitUpdates = new Dictionary<long, string>();
        var customersCreated = 0;
        var counters = new Dictionary<(long WorkspaceId, string Name), long>();

        foreach (var workspace in unique.GroupBy(i => i.WorkspaceId))
        {
            var workspaceId = workspace.Key;
            var calls = workspace.ToList();
            var known = await LookupIdentitiesAsync(connection, transaction, workspaceId, calls, cancellationToken);
            var resolution = new IdentityResolution(known);
            var customerIds = new long[calls.Count];
            for (var i = 0; i < calls.Count; i++)
            {
                customerIds[i] = resolution.Resolve(calls[i].Event.UserId, EarlierIdentifier(calls[i].Event));
            }

            var created = resolution.NewCustomerCount == 0
                ? []
                : await CreateCustomersAsync(connection, transaction, workspaceId, resolution.NewCustomerCount, now, cancellationToken);
            customersCreated += created.Count;
            if (created.Count > 0)
            {
                counters[(workspaceId, "customers")] = created.Count;
            }
            long Real(long id) => id < 0 ? created[(int)(-id) - 1] : id;

            foreach (var (identifier, customerId) in resolution.NewLinks)
            {
                newIdentities.Add((workspaceId, identifier, Real(customerId)));
            }

            var resolver = _catalogue(workspaceId);
            for (var i = 0; i < calls.Count; i++)
            {
                var call = calls[i].Event;
                var customerId = Real(customerIds[i]);
                rows.Add(new InteractionRow(workspaceId, customerId, call, resolver.Place(call)));
                if (call.TraitsJson is { } traits)
                {
                    traitUpdates[customerId] = traitUpdates.TryGetValue(customerId, out var pending) ? TraitMerge.Merge(pending, traits) : traits;
                }
            }
        }

        if (newIdentities.Count > 0)
        {
            await InsertIdentitiesAsync(connection, transaction, newIdentities, now, cancellationToken);
        }

        if (traitUpdates.Count > 0)
        {
            var existing = await LoadTraitsAsync(connection, transaction, traitUpdates.Keys.ToList(), cancellationToken);
            var merged = traitUpdates.Select(u => (u.Key, TraitMerge.Merge(existing.GetValueOrDefault(u.Key), u.Value))).ToList();
            await SaveTraitsAsync(connection, transaction, merged, now, cancellationToken);
        }

        var inserted = await InsertInteractionsAsync(connection, transaction, rows, cancellationToken);
        var rollup = new InteractionRollup();
        var stored = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (!inserted[i])
            {
                continue;
            }

            stored++;
            rollup.Add(rows[i].WorkspaceId, rows[i].Event, rows[i].Placement);
            counters[(rows[i].WorkspaceId, "interactions")] = counters.GetValueOrDefault((rows[i].WorkspaceId, "interactions")) + 1;
        }

        await UpsertAggregatesAsync(connection, transaction, rollup.Deltas, counters, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (_identityCache.Count + newIdentities.Count > MaxCachedIdentities)
        {
            _identityCache.Clear();
        }

        foreach (var (workspaceId, identifier, customerId) in newIdentities)
        {
            _identityCache[(workspaceId, identifier)] = customerId;
        }

        return new IngestionOutcome(stored, items.Count - stored, customersCreated);
    }

    private static List<IngestionItem> Deduplicate(IReadOnlyList<IngestionItem> items)
    {
        var seen = new HashSet<(long, string)>();
        var unique = new List<IngestionItem>(items.Count);
        foreach (var item in items)
        {
            if (seen.Add((item.WorkspaceId, item.Event.MessageId)))
            {
                unique.Add(item);
            }
        }

        return unique;
    }

    private static CustomerIdentifier? EarlierIdentifier(TrackingEvent call) =>
        call.Type == TrackingCallType.Alias && call.PreviousId is { } previous
            ? new CustomerIdentifier(CustomerIdentifier.AnonymousId, previous)
            : call.AnonymousId is { } anonymous ? new CustomerIdentifier(CustomerIdentifier.AnonymousId, anonymous) : null;

    private async Task<Dictionary<CustomerIdentifier, long>> LookupIdentitiesAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, List<IngestionItem> calls, CancellationToken cancellationToken)
    {
        var known = new Dictionary<CustomerIdentifier, long>();
        var missing = new HashSet<CustomerIdentifier>();
        foreach (var call in calls)
        {
            Consider(call.Event.UserId is { } user ? new CustomerIdentifier(CustomerIdentifier.UserId, user) : null);
            Consider(EarlierIdentifier(call.Event));
        }

        if (missing.Count > 0)
        {
            foreach (var (identifier, customerId) in await FindIdentitiesAsync(connection, transaction, workspaceId, missing, cancellationToken))
            {
                known[identifier] = customerId;
                _identityCache[(workspaceId, identifier)] = customerId;
            }
        }

        return known;

        void Consider(CustomerIdentifier? identifier)
        {
            if (identifier is not { } i || known.ContainsKey(i))
            {
                return;
            }

            if (_identityCache.TryGetValue((workspaceId, i), out var cached))
            {
                known[i] = cached;
            }
            else
            {
                missing.Add(i);
            }
        }
    }

    protected abstract Task<IReadOnlyList<(CustomerIdentifier Identifier, long CustomerId)>> FindIdentitiesAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, IReadOnlyCollection<CustomerIdentifier> identifiers, CancellationToken cancellationToken);

    protected abstract Task<IReadOnlyList<long>> CreateCustomersAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, int count, long now, CancellationToken cancellationToken);

    protected abstract Task InsertIdentitiesAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<(long WorkspaceId, CustomerIdentifier Identifier, long CustomerId)> identities, long now, CancellationToken cancellationToken);

    protected abstract Task<Dictionary<long, string>> LoadTraitsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<long> customerIds, CancellationToken cancellationToken);

    protected abstract Task SaveTraitsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<(long CustomerId, string Traits)> traits, long now, CancellationToken cancellationToken);

    /// <summary>Inserts rows, skipping any whose messageId is already stored; says which were new.</summary>
    private protected abstract Task<bool[]> InsertInteractionsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<InteractionRow> rows, CancellationToken cancellationToken);

    /// <summary>Adds the batch's rollup deltas and counter increments, in the batch's transaction.</summary>
    protected abstract Task UpsertAggregatesAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyDictionary<DailyRollupKey, DailyRollupDelta> deltas,
        IReadOnlyDictionary<(long WorkspaceId, string Name), long> counters, CancellationToken cancellationToken);

    private async Task ResetConnectionAsync()
    {
        _identityCache.Clear();
        OnConnectionReset();
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    /// <summary>Drops anything prepared on the old connection.</summary>
    protected virtual void OnConnectionReset()
    {
    }

    public async ValueTask DisposeAsync()
    {
        await ResetConnectionAsync();
        GC.SuppressFinalize(this);
    }
}
