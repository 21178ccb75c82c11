using System.Data.Common;
using System.Text.Json.Nodes;
using OpenCem.Customers;
using OpenCem.Customers.Storage;
using OpenCem.Storage;

namespace OpenCem.Interactions.Ingestion;

/// <summary>
/// Stores batches of tracking calls in one transaction each: resolves customers, stores interactions
/// exactly once per messageId, turns identify and alias calls into tracking records that identity resolution
/// links to the rest of the profile, and advances the daily rollup and the counters in the same transaction, so
/// the rollup never disagrees with the raw events. Not thread-safe: one writer owns one connection, and the
/// <see cref="IngestionQueue"/> feeds it.
/// </summary>
public abstract class InteractionWriter : IAsyncDisposable
{
    private const int MaxCachedIdentities = 2_000_000;

    private readonly Dictionary<(long WorkspaceId, CustomerIdentifier Identifier), TrackingIdentity> _identityCache = [];
    private readonly Dictionary<long, long> _generations = [];
    private readonly Dictionary<long, IdentitySettings> _settings = [];
    private readonly Dictionary<long, bool> _hasTombstones = [];
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
            // Bulk: on SQLite, a response's or a rule's short write waiting for the lock goes before the next group.
            await using var turn = await Database.TakeWriteTurnAsync(cancellationToken, WritePriority.Bulk);
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
        var workspaces = unique.Select(i => i.WorkspaceId).Distinct().ToList();
        await CheckIdentityGenerationsAsync(connection, transaction, workspaces, cancellationToken);
        var rows = new List<InteractionRow>(unique.Count);
        var newIdentities = new List<(long WorkspaceId, CustomerIdentifier Identifier, TrackingIdentity Identity)>();
        var customersCreated = 0;
        var counters = new Dictionary<(long WorkspaceId, string Name), long>();
        var records = new Dictionary<long, List<IncomingRecord>>();

        foreach (var workspace in unique.GroupBy(i => i.WorkspaceId))
        {
            var workspaceId = workspace.Key;
            var calls = workspace.ToList();
            var known = await LookupIdentitiesAsync(connection, transaction, workspaceId, calls, cancellationToken);
            var resolution = new IdentityResolution(known.ToDictionary(k => k.Key, k => k.Value.CustomerId));
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

            var links = resolution.NewLinks.Select(l => (workspaceId, l.Identifier, Real(l.CustomerId))).ToList();
            if (links.Count > 0)
            {
                foreach (var (identifier, identity) in await InsertIdentitiesAsync(connection, transaction, links, now, cancellationToken))
                {
                    known[identifier] = identity;
                    newIdentities.Add((workspaceId, identifier, identity));
                }
            }

            var resolver = _catalogue(workspaceId);
            for (var i = 0; i < calls.Count; i++)
            {
                var call = calls[i].Event;
                var identity = IdentityOf(call, known);
                if (identity is { Id: 0 })
                {
                    // Someone erased on request: keep the event for aggregates, without anything personal.
                    var anonymous = call with { PropertiesJson = null, ContextJson = null, TraitsJson = null };
                    rows.Add(new InteractionRow(workspaceId, Real(customerIds[i]), null, anonymous, resolver.Place(call)));
                    continue;
                }

                rows.Add(new InteractionRow(workspaceId, Real(customerIds[i]), identity?.Id, call, resolver.Place(call)));

                if (TrackingRecord(call, rows.Count) is { } record)
                {
                    (records.TryGetValue(workspaceId, out var list) ? list : records[workspaceId] = []).Add(record);
                }
            }
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
        var changes = new List<(long WorkspaceId, ResolveOutcome Outcome)>();
        foreach (var (workspaceId, incoming) in records)
        {
            var settings = await SettingsAsync(connection, transaction, workspaceId);
            var repository = new IdentityRepository(connection, transaction, Database.Kind);
            changes.Add((workspaceId, await new ProfileResolver(repository, workspaceId, settings, now).ApplyAsync(incoming, full: false, cancellationToken)));
        }

        await transaction.CommitAsync(cancellationToken);
        RememberIdentities(newIdentities);
        foreach (var (workspaceId, outcome) in changes)
        {
            Remember(workspaceId, outcome);
        }

        return new IngestionOutcome(stored, items.Count - stored, customersCreated);
    }

    /// <summary>The tracking identity a call is stored under: its userId, else its anonymousId.</summary>
    private static TrackingIdentity? IdentityOf(TrackingEvent call, Dictionary<CustomerIdentifier, TrackingIdentity> known)
    {
        if (call.UserId is { } user && known.TryGetValue(new CustomerIdentifier(CustomerIdentifier.UserId, user), out var byUser))
        {
            return byUser;
        }

        return EarlierIdentifier(call) is { } earlier && known.TryGetValue(earlier, out var byEarlier) ? byEarlier : null;
    }

    /// <summary>
    /// Identify and alias calls say who someone is: they become records of the tracking source, keyed by userId
    /// (or anonymousId), whose identifiers (userId, anonymousIds, e-mail, phone, customer number from the traits)
    /// link the visitor to the rest of their profile.
    /// </summary>
    private static IncomingRecord? TrackingRecord(TrackingEvent call, long line)
    {
        if (call.Type is not (TrackingCallType.Identify or TrackingCallType.Alias))
        {
            return null;
        }

        var identifiers = new List<Identifier>();
        if (call.UserId is { } user)
        {
            identifiers.Add(new Identifier(IdentifierKinds.UserId, user));
        }

        if (EarlierIdentifier(call) is { } earlier)
        {
            identifiers.Add(new Identifier(earlier.Kind, earlier.Value));
        }

        var key = call.UserId ?? (call.AnonymousId is { } anonymous ? IdentifierKinds.AnonymousId + ":" + anonymous : null);
        if (key is null)
        {
            return null;
        }

        var traits = call.TraitsJson is { } json && JsonNode.Parse(json) is JsonObject ? json : "{}";
        var record = new SourceRecord(IdentifierKinds.TrackingSource, key, identifiers, traits, call.Timestamp);
        return new IncomingRecord(record, line, UpsertMode.Accumulate);
    }

    private async Task<IdentitySettings> SettingsAsync(DbConnection connection, DbTransaction transaction, long workspaceId)
    {
        if (!_settings.TryGetValue(workspaceId, out var settings))
        {
            var json = await new IdentityRepository(connection, transaction, Database.Kind).SettingAsync(workspaceId, IdentitySettings.SettingName);
            settings = IdentityService.Parse(json);
            _settings[workspaceId] = settings;
        }

        return settings;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// Drops the identity cache of a workspace whose profiles another connection changed since the last batch
    /// (record imports, splits, rebuilds, erasures), and the cached rules with it.
    /// </summary>
    private async Task CheckIdentityGenerationsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<long> workspaces, CancellationToken cancellationToken)
    {
        var current = await ReadIdentityGenerationsAsync(connection, transaction, workspaces, cancellationToken);
        foreach (var workspaceId in workspaces)
        {
            var generation = current.GetValueOrDefault(workspaceId);
            if (_generations.TryGetValue(workspaceId, out var seen) && seen == generation)
            {
                continue;
            }

            if (_generations.ContainsKey(workspaceId))
            {
                ForgetWorkspace(workspaceId);
            }

            _generations[workspaceId] = generation;
        }
    }

    /// <summary>Reads the workspaces' identity generations, first taking their identity locks where the database needs it.</summary>
    protected virtual async Task<Dictionary<long, long>> ReadIdentityGenerationsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<long> workspaces, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT workspace_id, value FROM workspace_counters WHERE name = '{IdentityGeneration.CounterName}'";
        var generations = new Dictionary<long, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            generations[reader.GetInt64(0)] = reader.GetInt64(1);
        }

        return generations;
    }

    private void ForgetWorkspace(long workspaceId)
    {
        foreach (var key in _identityCache.Keys.Where(k => k.WorkspaceId == workspaceId).ToList())
        {
            _identityCache.Remove(key);
        }

        _settings.Remove(workspaceId);
        _hasTombstones.Remove(workspaceId);
    }

    /// <summary>Which of these new identifiers belong to a person erased on request; asked only of workspaces with erasures.</summary>
    protected async Task<IReadOnlyList<(CustomerIdentifier Identifier, TrackingIdentity Identity)>> FindErasedAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, IReadOnlyList<CustomerIdentifier> identifiers, CancellationToken cancellationToken)
    {
        var erased = new List<(CustomerIdentifier, TrackingIdentity)>();
        if (identifiers.Count == 0)
        {
            return erased;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        if (!_hasTombstones.TryGetValue(workspaceId, out var any))
        {
            command.CommandText = "SELECT 1 FROM identity_tombstones WHERE workspace_id = @ws LIMIT 1";
            AddParameter(command, "ws", workspaceId);
            _hasTombstones[workspaceId] = any = await command.ExecuteScalarAsync(cancellationToken) is not null;
            command.Parameters.Clear();
        }

        if (!any)
        {
            return erased;
        }

        command.CommandText = "SELECT customer_id FROM identity_tombstones WHERE workspace_id = @ws AND value_hash = @hash";
        AddParameter(command, "ws", workspaceId);
        var hash = command.CreateParameter();
        hash.ParameterName = "hash";
        command.Parameters.Add(hash);
        foreach (var identifier in identifiers)
        {
            hash.Value = Tombstone.Hash(new Identifier(identifier.Kind, identifier.Value));
            if (await command.ExecuteScalarAsync(cancellationToken) is long customerId)
            {
                erased.Add((identifier, new TrackingIdentity(0, customerId)));
            }
        }

        return erased;
    }

    private void RememberIdentities(List<(long WorkspaceId, CustomerIdentifier Identifier, TrackingIdentity Identity)> created)
    {
        if (_identityCache.Count + created.Count > MaxCachedIdentities)
        {
            _identityCache.Clear();
        }

        foreach (var (workspaceId, identifier, identity) in created)
        {
            _identityCache[(workspaceId, identifier)] = identity;
        }
    }

    /// <summary>Applies what identity resolution changed in this batch to the cache, and notes the generation it advanced to.</summary>
    private void Remember(long workspaceId, ResolveOutcome outcome)
    {
        if (outcome.Redirects.Count > 0)
        {
            // Rare (a visitor's anonymous profile joins a known one): dropping the workspace's entries is simplest.
            ForgetWorkspace(workspaceId);
        }

        foreach (var (identifier, identity) in outcome.Identities)
        {
            _identityCache[(workspaceId, new CustomerIdentifier(identifier.Type, identifier.Value))] = identity;
        }

        if (outcome.GenerationAdvanced)
        {
            _generations[workspaceId] = _generations.GetValueOrDefault(workspaceId) + 1;
        }
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

    private async Task<Dictionary<CustomerIdentifier, TrackingIdentity>> LookupIdentitiesAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, List<IngestionItem> calls, CancellationToken cancellationToken)
    {
        var known = new Dictionary<CustomerIdentifier, TrackingIdentity>();
        var missing = new HashSet<CustomerIdentifier>();
        foreach (var call in calls)
        {
            Consider(call.Event.UserId is { } user ? new CustomerIdentifier(CustomerIdentifier.UserId, user) : null);
            Consider(EarlierIdentifier(call.Event));
        }

        if (missing.Count > 0)
        {
            foreach (var (identifier, identity) in await FindIdentitiesAsync(connection, transaction, workspaceId, missing, cancellationToken))
            {
                known[identifier] = identity;
                _identityCache[(workspaceId, identifier)] = identity;
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

    /// <summary>
    /// The stored identities of these identifiers. An identifier of a person erased on request comes back with
    /// identity id 0 and the erased profile: its events are kept for aggregates but never re-create the person.
    /// </summary>
    protected abstract Task<IReadOnlyList<(CustomerIdentifier Identifier, TrackingIdentity Identity)>> FindIdentitiesAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, IReadOnlyCollection<CustomerIdentifier> identifiers, CancellationToken cancellationToken);

    protected abstract Task<IReadOnlyList<long>> CreateCustomersAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, int count, long now, CancellationToken cancellationToken);

    /// <summary>Stores new tracking identities of one workspace and returns them with their ids.</summary>
    protected abstract Task<IReadOnlyList<(CustomerIdentifier Identifier, TrackingIdentity Identity)>> InsertIdentitiesAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<(long WorkspaceId, CustomerIdentifier Identifier, long CustomerId)> identities, long now, CancellationToken cancellationToken);

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
