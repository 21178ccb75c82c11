using System.Data.Common;
using Dapper;
using Npgsql;
using OpenCem.Storage;

namespace OpenCem.Customers.Storage;

/// <summary>
/// The reads and small writes of identity resolution, in portable SQL on the caller's connection and
/// transaction. Bulk inserts go through <see cref="BulkRecordWriter"/>.
/// </summary>
internal sealed class IdentityRepository(DbConnection connection, DbTransaction transaction, DatabaseKind kind)
{
    private const int Chunk = 500;
    private const string RecordColumns =
        "id AS Id, source AS Source, record_key AS RecordKey, customer_id AS CustomerId, identifiers AS Identifiers, updated_at AS UpdatedAt, received_at AS ReceivedAt";

    /// <summary>
    /// The workspace filter for lookups by record id: the unary plus keeps the planner on the primary key (or row
    /// order), which SQLite without statistics otherwise trades for a scan of the workspace's customer index.
    /// </summary>
    private const string ById = "+workspace_id = @ws";

    /// <summary>The connection, for statements of other capabilities inside the transaction; only with no writes queued.</summary>
    public DbConnection Connection => _pending is null ? connection : throw new InvalidOperationException("Flush the queued writes before using the connection directly.");

    /// <summary>A list comparison: Dapper expands a list for SQLite; PostgreSQL takes the array whole.</summary>
    private string In(string column, string parameter) =>
        kind == DatabaseKind.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    public DbTransaction Transaction => transaction;

    public DatabaseKind Kind => kind;

    /// <summary>Known to have no erasure tombstones (the look-up for them is skipped).</summary>
    public bool NoTombstones { get; set; }

    /// <summary>Known to have no split pairs (the look-up for them is skipped).</summary>
    public bool NoSplits { get; set; }

    /// <summary>PostgreSQL ids handed out from blocks reserved ahead, so a small upsert needs no <c>nextval</c> round trip.</summary>
    public IdBlocks? IdBlocks { get; init; }

    private NpgsqlBatch? _pending;

    /// <summary>
    /// While set, small writes on PostgreSQL are queued and sent together in one round trip at <see cref="FlushAsync"/>
    /// (the resolver's write phase, which reads nothing in between).
    /// </summary>
    public bool Deferring { get; set; }

    /// <summary>
    /// A write with positional parameters (<c>$1</c>, <c>$2</c>...) on PostgreSQL: queued while <see cref="Deferring"/>,
    /// else sent at once. Prepared on first use; the connection keeps it prepared for the next call with the same text.
    /// </summary>
    public async Task WriteAsync(string sql, IReadOnlyList<object?> values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        _pending ??= new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        _pending.BatchCommands.Add(command);
        if (!Deferring)
        {
            await FlushAsync();
        }
    }

    /// <summary>Sends the queued writes, if any, in one round trip.</summary>
    public async Task FlushAsync()
    {
        if (_pending is not { } batch)
        {
            return;
        }

        _pending = null;
        await using (batch)
        {
            await batch.PrepareAsync();
            await batch.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// The workspace's identity generation (0 before the first) and its identity rules, in one statement. On
    /// PostgreSQL, <paramref name="lockFirst"/> (the lock statement) goes in the same round trip, ahead of it.
    /// </summary>
    public async Task<(long Generation, string? Settings)> GenerationAndSettingAsync(long ws, string counter, string setting, string? lockFirst = null)
    {
        if (kind == DatabaseKind.Postgres && lockFirst is not null)
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
            var lockCommand = new NpgsqlBatchCommand(lockFirst);
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = (int)ws });
            batch.BatchCommands.Add(lockCommand);
            var read = new NpgsqlBatchCommand(
                """
                SELECT (SELECT value FROM workspace_counters WHERE workspace_id = $1 AND name = $2),
                       (SELECT value FROM workspace_settings WHERE workspace_id = $1 AND name = $3)
                """);
            read.Parameters.Add(new NpgsqlParameter { Value = ws });
            read.Parameters.Add(new NpgsqlParameter { Value = counter });
            read.Parameters.Add(new NpgsqlParameter { Value = setting });
            batch.BatchCommands.Add(read);
            await batch.PrepareAsync();
            await using var reader = await batch.ExecuteReaderAsync();
            await reader.NextResultAsync();
            await reader.ReadAsync();
            return (reader.IsDBNull(0) ? 0 : reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1));
        }

        if (lockFirst is not null)
        {
            throw new InvalidOperationException("Only PostgreSQL takes the identity lock by statement.");
        }

        var row = await connection.QuerySingleAsync<(long?, string?)>(
            """
            SELECT (SELECT value FROM workspace_counters WHERE workspace_id = @ws AND name = @counter),
                   (SELECT value FROM workspace_settings WHERE workspace_id = @ws AND name = @setting)
            """,
            new { ws, counter, setting }, transaction);
        return (row.Item1 ?? 0, row.Item2);
    }

    /// <summary>Whether the workspace has any erasure tombstone, and any split pair.</summary>
    public async Task<(bool Tombstones, bool Splits)> AnyTombstonesAndSplitsAsync(long ws)
    {
        var row = await connection.QuerySingleAsync<(long, long)>(
            """
            SELECT (SELECT count(*) FROM (SELECT 1 FROM identity_tombstones WHERE workspace_id = @ws LIMIT 1) AS t),
                   (SELECT count(*) FROM (SELECT 1 FROM identity_splits WHERE workspace_id = @ws LIMIT 1) AS s)
            """,
            new { ws }, transaction);
        return (row.Item1 > 0, row.Item2 > 0);
    }

    public async Task<string?> SettingAsync(long ws, string name) =>
        await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT value FROM workspace_settings WHERE workspace_id = @ws AND name = @name", new { ws, name }, transaction);

    public async Task<Dictionary<string, StoredRecord>> RecordsByKeyAsync(long ws, string source, IReadOnlyCollection<string> keys)
    {
        var found = new Dictionary<string, StoredRecord>();
        foreach (var chunk in keys.Chunk(Chunk))
        {
            var rows = await connection.QueryAsync<RecordRow>(
                $"SELECT {RecordColumns}, traits AS Traits FROM source_records WHERE workspace_id = @ws AND source = @source AND {In("record_key", "keys")}",
                new { ws, source, keys = chunk }, transaction);
            foreach (var row in rows)
            {
                found[row.RecordKey] = row.ToStored();
            }
        }

        return found;
    }

    /// <summary>The records carrying each of these identifiers (at most <paramref name="limit"/> each), in one round trip.</summary>
    public async Task<Dictionary<Identifier, List<long>>> RecordsWithAsync(long ws, IReadOnlyList<Identifier> identifiers, int limit)
    {
        var found = identifiers.Distinct().ToDictionary(i => i, _ => new List<long>());
        foreach (var chunk in found.Keys.Chunk(50))
        {
            var args = new DynamicParameters();
            args.Add("ws", ws);
            args.Add("limit", limit);
            var parts = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                args.Add("k" + i, chunk[i].Type);
                args.Add("v" + i, chunk[i].Value);
                parts.Add($"SELECT * FROM (SELECT kind, value, record_id FROM record_identifiers WHERE workspace_id = @ws AND kind = @k{i} AND value = @v{i} LIMIT @limit) AS q{i}");
            }

            foreach (var (kind, value, record) in await connection.QueryAsync<(string, string, long)>(string.Join(" UNION ALL ", parts), args, transaction))
            {
                found[new Identifier(IdentifierKinds.Intern(kind), value)].Add(record);
            }
        }

        return found;
    }

    /// <summary>
    /// <see cref="RecordsWithAsync"/> and <see cref="TrackingIdentitiesAsync"/> of the same identifiers; on PostgreSQL
    /// in one round trip when they are few (a small upsert's neighbourhood).
    /// </summary>
    public async Task<(Dictionary<Identifier, List<long>> Records, Dictionary<Identifier, TrackingIdentity> Identities)> RecordsAndIdentitiesWithAsync(
        long ws, IReadOnlyList<Identifier> identifiers, int limit)
    {
        var distinct = identifiers.Distinct().ToList();
        var tracking = distinct.Where(i => ResolutionPlan.IsTrackingType(i.Type)).GroupBy(i => i.Type).ToList();
        if (kind != DatabaseKind.Postgres || distinct.Count == 0 || tracking.Count == 0 || distinct.Count > 50)
        {
            return (await RecordsWithAsync(ws, distinct, limit), await TrackingIdentitiesAsync(ws, distinct));
        }

        var records = distinct.ToDictionary(i => i, _ => new List<long>());
        var identities = new Dictionary<Identifier, TrackingIdentity>();
        await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        var union = new NpgsqlBatchCommand();
        union.Parameters.Add(new NpgsqlParameter { Value = ws });
        union.Parameters.Add(new NpgsqlParameter { Value = limit });
        var parts = new List<string>(distinct.Count);
        foreach (var identifier in distinct)
        {
            union.Parameters.Add(new NpgsqlParameter { Value = identifier.Type });
            union.Parameters.Add(new NpgsqlParameter { Value = identifier.Value });
            parts.Add($"SELECT * FROM (SELECT kind, value, record_id FROM record_identifiers WHERE workspace_id = $1 AND kind = ${union.Parameters.Count - 1} AND value = ${union.Parameters.Count} LIMIT $2) AS q{parts.Count}");
        }

        union.CommandText = string.Join(" UNION ALL ", parts);
        batch.BatchCommands.Add(union);
        foreach (var group in tracking)
        {
            var lookup = new NpgsqlBatchCommand("SELECT value, id, customer_id FROM customer_identities WHERE workspace_id = $1 AND kind = $2 AND value = ANY($3)");
            lookup.Parameters.Add(new NpgsqlParameter { Value = ws });
            lookup.Parameters.Add(new NpgsqlParameter { Value = group.Key });
            lookup.Parameters.Add(new NpgsqlParameter { Value = group.Select(i => i.Value).ToArray() });
            batch.BatchCommands.Add(lookup);
        }

        await batch.PrepareAsync();
        await using var reader = await batch.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            records[new Identifier(IdentifierKinds.Intern(reader.GetString(0)), reader.GetString(1))].Add(reader.GetInt64(2));
        }

        foreach (var group in tracking)
        {
            await reader.NextResultAsync();
            while (await reader.ReadAsync())
            {
                identities[new Identifier(group.Key, reader.GetString(0))] = new TrackingIdentity(reader.GetInt64(1), reader.GetInt64(2));
            }
        }

        return (records, identities);
    }

    public async Task<List<long>> CustomersOfRecordsAsync(long ws, IReadOnlyCollection<long> recordIds)
    {
        var customers = new List<long>();
        foreach (var chunk in recordIds.Chunk(Chunk))
        {
            customers.AddRange(await connection.QueryAsync<long>(
                $"SELECT DISTINCT customer_id FROM source_records WHERE {ById} AND {In("id", "ids")}", new { ws, ids = chunk }, transaction));
        }

        return customers;
    }

    public async Task<List<StoredRecord>> RecordsOfCustomersAsync(long ws, IReadOnlyCollection<long> customerIds, bool withTraits = true)
    {
        var records = new List<StoredRecord>();
        foreach (var chunk in customerIds.Chunk(Chunk))
        {
            var rows = await connection.QueryAsync<RecordRow>(
                $"SELECT {RecordColumns}{(withTraits ? ", traits AS Traits" : "")} FROM source_records WHERE workspace_id = @ws AND {In("customer_id", "ids")}",
                new { ws, ids = chunk }, transaction);
            records.AddRange(rows.Select(r => r.ToStored()));
        }

        return records;
    }

    /// <summary>
    /// All records of these customers and of the customers of these records (with traits), in one statement: the
    /// neighbourhood of a small upsert without a round trip for the customer ids in between.
    /// </summary>
    public async Task<List<StoredRecord>> RecordsOfCustomersAndRecordsAsync(long ws, IReadOnlyCollection<long> customerIds, IReadOnlyCollection<long> recordIds)
    {
        if (recordIds.Count == 0 || customerIds.Count > Chunk || recordIds.Count > Chunk)
        {
            var customers = customerIds.ToHashSet();
            customers.UnionWith(await CustomersOfRecordsAsync(ws, recordIds));
            return await RecordsOfCustomersAsync(ws, customers);
        }

        // The customers as a JSON array on SQLite (json_each), an array on PostgreSQL: one statement text for any count.
        var sql = kind == DatabaseKind.Postgres
            ? $"""
               SELECT {RecordColumns}, traits AS Traits FROM source_records WHERE workspace_id = @ws AND customer_id IN (
                   SELECT customer_id FROM source_records WHERE id = ANY(@ids) AND {ById} UNION SELECT unnest(@customers))
               """
            : $"""
               SELECT {RecordColumns}, traits AS Traits FROM source_records WHERE workspace_id = @ws AND customer_id IN (
                   SELECT customer_id FROM source_records WHERE {ById} AND id IN (SELECT value FROM json_each(@ids)) UNION SELECT value FROM json_each(@customers))
               """;
        object args = kind == DatabaseKind.Postgres
            ? new { ws, ids = recordIds.ToArray(), customers = customerIds.ToArray() }
            : new { ws, ids = "[" + string.Join(",", recordIds) + "]", customers = "[" + string.Join(",", customerIds) + "]" };
        var rows = await connection.QueryAsync<RecordRow>(sql, args, transaction);
        return rows.Select(r => r.ToStored()).ToList();
    }

    /// <summary>Every record of the workspace in id order, read with a plain data reader (a million rows is common).</summary>
    public async Task<List<StoredRecord>> AllRecordsAsync(long ws, bool withTraits = false)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, source, record_key, customer_id, identifiers, updated_at, received_at" + (withTraits ? ", traits" : "") +
            $" FROM source_records WHERE {ById} ORDER BY id";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "ws";
        parameter.Value = ws;
        command.Parameters.Add(parameter);
        var records = new List<StoredRecord>();
        var sources = new Dictionary<string, string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var source = reader.GetString(1);
            // Few distinct source names: share one string each.
            if (!sources.TryGetValue(source, out var shared))
            {
                sources[source] = shared = source;
            }

            records.Add(new StoredRecord
            {
                Id = reader.GetInt64(0),
                Source = shared,
                Key = reader.GetString(2),
                CustomerId = reader.GetInt64(3),
                Identifiers = IdentifierCodec.Decode(reader.GetString(4)),
                UpdatedAt = reader.GetInt64(5),
                ReceivedAt = reader.GetInt64(6),
                TraitsJson = withTraits ? reader.GetString(7) : null,
            });
        }

        return records;
    }

    /// <summary>The traits of these records: by id lists for a few, by one pass over the workspace for many.</summary>
    public async Task<Dictionary<long, string>> TraitsOfRecordIdsAsync(long ws, IReadOnlyCollection<long> recordIds)
    {
        var traits = new Dictionary<long, string>();
        if (recordIds.Count > 20 * Chunk)
        {
            var wanted = recordIds.ToHashSet();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT id, traits FROM source_records WHERE {ById}";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "ws";
            parameter.Value = ws;
            command.Parameters.Add(parameter);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var id = reader.GetInt64(0);
                if (wanted.Contains(id))
                {
                    traits[id] = reader.GetString(1);
                }
            }

            return traits;
        }

        foreach (var chunk in recordIds.Chunk(Chunk))
        {
            foreach (var (id, json) in await connection.QueryAsync<(long, string)>(
                $"SELECT id, traits FROM source_records WHERE {ById} AND {In("id", "ids")}", new { ws, ids = chunk }, transaction))
            {
                traits[id] = json;
            }
        }

        return traits;
    }

    public async Task<Dictionary<Identifier, TrackingIdentity>> TrackingIdentitiesAsync(long ws, IReadOnlyCollection<Identifier> identifiers)
    {
        var found = new Dictionary<Identifier, TrackingIdentity>();
        foreach (var group in identifiers.Where(i => ResolutionPlan.IsTrackingType(i.Type)).GroupBy(i => i.Type))
        {
            foreach (var chunk in group.Select(i => i.Value).Chunk(Chunk))
            {
                foreach (var (value, id, customer) in await connection.QueryAsync<(string, long, long)>(
                    $"SELECT value, id, customer_id FROM customer_identities WHERE workspace_id = @ws AND kind = @kind AND {In("value", "values")}",
                    new { ws, kind = group.Key, values = chunk }, transaction))
                {
                    found[new Identifier(group.Key, value)] = new TrackingIdentity(id, customer);
                }
            }
        }

        return found;
    }

    public async Task<Dictionary<Identifier, TrackingIdentity>> AllTrackingIdentitiesAsync(long ws)
    {
        var found = new Dictionary<Identifier, TrackingIdentity>();
        foreach (var (k, value, id, customer) in await connection.QueryAsync<(string, string, long, long)>(
            "SELECT kind, value, id, customer_id FROM customer_identities WHERE workspace_id = @ws", new { ws }, transaction))
        {
            found[new Identifier(k, value)] = new TrackingIdentity(id, customer);
        }

        return found;
    }

    /// <summary>Split pairs touching these records (all of the workspace's when null).</summary>
    public async Task<List<(long A, long B)>> SplitsAsync(long ws, IReadOnlyCollection<long>? recordIds)
    {
        if (NoSplits)
        {
            return [];
        }

        if (recordIds is null)
        {
            return (await connection.QueryAsync<(long, long)>(
                "SELECT record_a, record_b FROM identity_splits WHERE workspace_id = @ws", new { ws }, transaction)).ToList();
        }

        var pairs = new List<(long, long)>();
        foreach (var chunk in recordIds.Chunk(Chunk))
        {
            pairs.AddRange(await connection.QueryAsync<(long, long)>(
                $"SELECT record_a, record_b FROM identity_splits WHERE workspace_id = @ws AND ({In("record_a", "ids")} OR {In("record_b", "ids")})",
                new { ws, ids = chunk }, transaction));
        }

        return pairs.Distinct().ToList();
    }

    /// <summary>Which of these identifiers belong to an erased person.</summary>
    public async Task<HashSet<Identifier>> TombstonedAsync(long ws, IReadOnlyCollection<Identifier> identifiers)
    {
        var erased = new HashSet<Identifier>();
        if (identifiers.Count == 0 || NoTombstones || !await AnyTombstoneAsync(ws))
        {
            return erased;
        }

        var byHash = identifiers.Distinct().ToDictionary(Tombstone.Hash);
        foreach (var chunk in byHash.Keys.Chunk(Chunk))
        {
            foreach (var hash in await connection.QueryAsync<string>(
                $"SELECT value_hash FROM identity_tombstones WHERE workspace_id = @ws AND {In("value_hash", "hashes")}", new { ws, hashes = chunk }, transaction))
            {
                erased.Add(byHash[hash]);
            }
        }

        return erased;
    }

    private async Task<bool> AnyTombstoneAsync(long ws) =>
        await connection.ExecuteScalarAsync<long?>("SELECT 1 FROM identity_tombstones WHERE workspace_id = @ws LIMIT 1", new { ws }, transaction) is not null;

    /// <summary>Up to this many rows, PostgreSQL writes go as parameterised statements in the write batch instead of COPY or a statement each.</summary>
    public const int SmallBatch = 8;

    /// <summary>Whether <paramref name="rows"/> rows go through <see cref="WriteAsync"/> (PostgreSQL, a handful).</summary>
    public bool Small(int rows) => kind == DatabaseKind.Postgres && rows <= SmallBatch;

    public async Task UpdateRecordsAsync(IReadOnlyCollection<StoredRecord> records)
    {
        if (Small(records.Count))
        {
            foreach (var r in records)
            {
                await WriteAsync(
                    "UPDATE source_records SET customer_id = $1, identifiers = $2, traits = $3, updated_at = $4, received_at = $5 WHERE id = $6",
                    [r.CustomerId, IdentifierCodec.Encode(r.Identifiers), r.TraitsJson ?? "{}", r.UpdatedAt, r.ReceivedAt, r.Id]);
            }

            return;
        }

        await FlushAsync();
        await connection.ExecuteAsync(
            """
            UPDATE source_records SET customer_id = @CustomerId, identifiers = @Identifiers, traits = @Traits,
                updated_at = @UpdatedAt, received_at = @ReceivedAt WHERE id = @Id
            """,
            records.Select(r => new
            {
                r.CustomerId,
                Identifiers = IdentifierCodec.Encode(r.Identifiers),
                Traits = r.TraitsJson ?? "{}",
                r.UpdatedAt,
                r.ReceivedAt,
                r.Id,
            }),
            transaction);
    }

    public async Task UpdateRecordCustomersAsync(IReadOnlyCollection<(long RecordId, long CustomerId)> moves)
    {
        if (Small(moves.Count))
        {
            foreach (var (record, customer) in moves)
            {
                await WriteAsync("UPDATE source_records SET customer_id = $1 WHERE id = $2", [customer, record]);
            }

            return;
        }

        await FlushAsync();
        await connection.ExecuteAsync(
            "UPDATE source_records SET customer_id = @CustomerId WHERE id = @RecordId",
            moves.Select(m => new { m.RecordId, m.CustomerId }), transaction);
    }

    public async Task DeleteRecordIdentifiersAsync(long ws, IReadOnlyCollection<(Identifier Identifier, long RecordId)> rows)
    {
        if (Small(rows.Count))
        {
            foreach (var (identifier, record) in rows)
            {
                await WriteAsync("DELETE FROM record_identifiers WHERE workspace_id = $1 AND kind = $2 AND value = $3 AND record_id = $4", [ws, identifier.Type, identifier.Value, record]);
            }

            return;
        }

        await FlushAsync();
        await connection.ExecuteAsync(
            "DELETE FROM record_identifiers WHERE workspace_id = @ws AND kind = @Kind AND value = @Value AND record_id = @RecordId",
            rows.Select(r => new { ws, Kind = r.Identifier.Type, r.Identifier.Value, r.RecordId }), transaction);
    }

    /// <summary>Stores new tracking identities (ids reserved up front, inserted in bulk).</summary>
    public async Task<List<TrackingIdentity>> InsertIdentitiesAsync(long ws, IReadOnlyList<(Identifier Identifier, long CustomerId)> identities, long now)
    {
        var ids = await BulkRecordWriter.ReserveIdsAsync(this, "customer_identities", identities.Count, CancellationToken.None);
        var rows = identities.Select((identity, i) => (ids[i], identity.Identifier, identity.CustomerId)).ToList();
        await BulkRecordWriter.InsertIdentitiesAsync(this, ws, rows, now, CancellationToken.None);
        return rows.Select(r => new TrackingIdentity(r.Item1, r.CustomerId)).ToList();
    }

    /// <summary>Moves a tracking identity and the interactions it sent to another profile.</summary>
    public async Task MoveIdentityAsync(long ws, TrackingIdentity identity, long toCustomer)
    {
        await FlushAsync();
        await connection.ExecuteAsync("UPDATE customer_identities SET customer_id = @toCustomer WHERE id = @id", new { toCustomer, id = identity.Id }, transaction);
        await connection.ExecuteAsync(
            "UPDATE interactions SET customer_id = @toCustomer WHERE workspace_id = @ws AND customer_id = @from AND identity_id = @id",
            new { ws, toCustomer, from = identity.CustomerId, id = identity.Id }, transaction);
    }

    /// <summary>Tables whose rows belong to a customer and follow the profile when it is merged into another.</summary>
    private static readonly string[] FollowingTables = ["survey_responses", "survey_invitations", "signals", "cases", "events", "transactions", "help_offers", "ideas", "idea_comments", "advocate_invitations"];

    /// <summary>Per-customer results recomputed by the next fit or scoring; the merged-away profile's rows just go.</summary>
    private static readonly string[] DerivedTables = ["customer_values", "churn_customers"];

    /// <summary>Folds a profile into another: its interactions and identities follow, its id redirects.</summary>
    public async Task MergeAwayAsync(long ws, long from, long into, long now)
    {
        await FlushAsync();
        var args = new { ws, from, into, now };
        await connection.ExecuteAsync("UPDATE interactions SET customer_id = @into WHERE workspace_id = @ws AND customer_id = @from", args, transaction);
        await connection.ExecuteAsync("UPDATE customer_identities SET customer_id = @into WHERE workspace_id = @ws AND customer_id = @from", args, transaction);
        foreach (var table in FollowingTables)
        {
            await connection.ExecuteAsync($"UPDATE {table} SET customer_id = @into WHERE workspace_id = @ws AND customer_id = @from", args, transaction);
        }

        foreach (var table in DerivedTables)
        {
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE workspace_id = @ws AND customer_id = @from", args, transaction);
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO customer_tags (workspace_id, customer_id, tag, rule_id, created_at)
            SELECT workspace_id, @into, tag, rule_id, created_at FROM customer_tags WHERE workspace_id = @ws AND customer_id = @from
            ON CONFLICT (workspace_id, customer_id, tag) DO NOTHING
            """,
            args, transaction);
        await connection.ExecuteAsync("DELETE FROM customer_tags WHERE workspace_id = @ws AND customer_id = @from", args, transaction);
        // Votes follow too, one per person and idea: where both profiles voted, the merged-away vote goes and the counter is recounted.
        var doubled = (await connection.QueryAsync<long>(
            "SELECT idea_id FROM idea_votes v WHERE v.workspace_id = @ws AND v.customer_id = @from AND EXISTS (SELECT 1 FROM idea_votes w WHERE w.idea_id = v.idea_id AND w.customer_id = @into)",
            args, transaction)).ToList();
        await connection.ExecuteAsync(
            "DELETE FROM idea_votes WHERE workspace_id = @ws AND customer_id = @from AND idea_id IN (SELECT idea_id FROM idea_votes w WHERE w.workspace_id = @ws AND w.customer_id = @into)",
            args, transaction);
        await connection.ExecuteAsync("UPDATE idea_votes SET customer_id = @into WHERE workspace_id = @ws AND customer_id = @from", args, transaction);
        await connection.ExecuteAsync(
            "UPDATE ideas SET votes = (SELECT count(*) FROM idea_votes v WHERE v.idea_id = ideas.id) WHERE id = @idea", doubled.Select(idea => new { idea }), transaction);
        await connection.ExecuteAsync("UPDATE customer_redirects SET customer_id = @into WHERE workspace_id = @ws AND customer_id = @from", args, transaction);
        await connection.ExecuteAsync(
            """
            INSERT INTO customer_redirects (workspace_id, old_customer_id, customer_id, merged_at) VALUES (@ws, @from, @into, @now)
            ON CONFLICT (workspace_id, old_customer_id) DO UPDATE SET customer_id = excluded.customer_id, merged_at = excluded.merged_at
            """,
            args, transaction);
        await connection.ExecuteAsync("DELETE FROM customers WHERE id = @from AND workspace_id = @ws", args, transaction);
    }

    /// <summary>Adds to several counters in one statement; zero deltas are left out.</summary>
    public async Task AddCountersAsync(long ws, params (string Name, long Delta)[] deltas)
    {
        var nonZero = deltas.Where(d => d.Delta != 0).ToList();
        if (nonZero.Count == 0)
        {
            return;
        }

        const string Upsert = " ON CONFLICT (workspace_id, name) DO UPDATE SET value = workspace_counters.value + excluded.value";
        if (kind == DatabaseKind.Postgres)
        {
            var values = new List<object?> { ws };
            var rows = new List<string>();
            foreach (var (name, delta) in nonZero)
            {
                values.Add(name);
                values.Add(delta);
                rows.Add($"($1, ${values.Count - 1}, ${values.Count})");
            }

            await WriteAsync("INSERT INTO workspace_counters (workspace_id, name, value) VALUES " + string.Join(", ", rows) + Upsert, values);
            return;
        }

        var args = new DynamicParameters();
        args.Add("ws", ws);
        for (var i = 0; i < nonZero.Count; i++)
        {
            args.Add("n" + i, nonZero[i].Name);
            args.Add("d" + i, nonZero[i].Delta);
        }

        await connection.ExecuteAsync(
            "INSERT INTO workspace_counters (workspace_id, name, value) VALUES " + string.Join(", ", nonZero.Select((_, i) => $"(@ws, @n{i}, @d{i})")) + Upsert,
            args, transaction);
    }

    public Task AddCounterAsync(long ws, string name, long delta) => AddCountersAsync(ws, (name, delta));

    public async Task InsertSplitsAsync(long ws, IReadOnlyCollection<(long A, long B)> pairs, long now) =>
        await connection.ExecuteAsync(
            "INSERT INTO identity_splits (workspace_id, record_a, record_b, created_at) VALUES (@ws, @A, @B, @now) ON CONFLICT DO NOTHING",
            pairs.Select(p => new { ws, A = Math.Min(p.A, p.B), B = Math.Max(p.A, p.B), now }), transaction);

    private sealed class RecordRow
    {
        public long Id { get; set; }

        public string Source { get; set; } = "";

        public string RecordKey { get; set; } = "";

        public long CustomerId { get; set; }

        public string Identifiers { get; set; } = "[]";

        public string? Traits { get; set; }

        public long UpdatedAt { get; set; }

        public long ReceivedAt { get; set; }

        public StoredRecord ToStored() => new()
        {
            Id = Id,
            Source = Source,
            Key = RecordKey,
            CustomerId = CustomerId,
            Identifiers = IdentifierCodec.Decode(Identifiers),
            TraitsJson = Traits,
            UpdatedAt = UpdatedAt,
            ReceivedAt = ReceivedAt,
        };
    }
}

/// <summary>A profile's surviving traits, ready to store.</summary>
internal sealed record ProfileTraits(long CustomerId, string Traits, string Sources, string? SearchName)
{
    public static ProfileTraits Empty(long customerId) => new(customerId, "{}", "{}", null);
}
