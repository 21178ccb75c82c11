using System.Data.Common;
using Npgsql;
using OpenCem.Customers;
using OpenCem.Storage;

namespace OpenCem.Interactions.Ingestion;

/// <summary>
/// PostgreSQL: every step is one statement over arrays (<c>unnest</c>), so a batch of any size costs a fixed
/// number of round trips, and <c>ON CONFLICT DO NOTHING</c> keeps messageIds unique.
/// </summary>
internal sealed class PostgresInteractionWriter(Database database, Func<long, TouchpointResolver> catalogue, TimeProvider time)
    : InteractionWriter(database, catalogue, time)
{
    private static readonly string InsertSql =
        $"INSERT INTO interactions ({string.Join(", ", InteractionColumns.Names)}) " +
        "SELECT * FROM unnest(@workspace_id::bigint[], @message_id::text[], @client_ts::bigint[], @customer_id::bigint[], @type::text[], @event::text[], " +
        "@occurred_at::bigint[], @received_at::bigint[], @touchpoint_id::bigint[], @channel::text[], @journey_key::text[], @stage::text[], " +
        "@outcome::text[], @effort::float8[], @revenue::float8[], @cost::float8[], @properties::text[], @context::text[], @identity_id::bigint[]) " +
        "ON CONFLICT (workspace_id, client_ts, message_id) DO NOTHING RETURNING workspace_id, message_id";

    protected override async Task<IReadOnlyList<(CustomerIdentifier Identifier, TrackingIdentity Identity)>> FindIdentitiesAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, IReadOnlyCollection<CustomerIdentifier> identifiers, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            SELECT i.kind, i.value, i.id, i.customer_id FROM customer_identities i
            JOIN unnest(@kinds::text[], @values::text[]) AS w(kind, value) ON i.kind = w.kind AND i.value = w.value
            WHERE i.workspace_id = @ws
            """);
        command.Parameters.AddWithValue("ws", workspaceId);
        command.Parameters.AddWithValue("kinds", identifiers.Select(i => i.Kind).ToArray());
        command.Parameters.AddWithValue("values", identifiers.Select(i => i.Value).ToArray());
        var found = new List<(CustomerIdentifier, TrackingIdentity)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add((new CustomerIdentifier(reader.GetString(0), reader.GetString(1)), new TrackingIdentity(reader.GetInt64(2), reader.GetInt64(3))));
            }
        }

        var missing = identifiers.Except(found.Select(f => f.Item1)).ToList();
        found.AddRange(await FindErasedAsync(connection, transaction, workspaceId, missing, cancellationToken));
        return found;
    }

    protected override async Task<IReadOnlyList<long>> CreateCustomersAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, int count, long now, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "INSERT INTO customers (workspace_id, created_at, updated_at) SELECT @ws, @now, @now FROM generate_series(1, @count) RETURNING id");
        command.Parameters.AddWithValue("ws", workspaceId);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("count", count);
        var ids = new List<long>(count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    protected override async Task<IReadOnlyList<(CustomerIdentifier Identifier, TrackingIdentity Identity)>> InsertIdentitiesAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<(long WorkspaceId, CustomerIdentifier Identifier, long CustomerId)> identities, long now, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            INSERT INTO customer_identities (workspace_id, kind, value, customer_id, created_at)
            SELECT w, k, v, c, @now FROM unnest(@ws::bigint[], @kinds::text[], @values::text[], @customers::bigint[]) AS t(w, k, v, c)
            ON CONFLICT DO NOTHING
            RETURNING kind, value, id, customer_id
            """);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("ws", identities.Select(i => i.WorkspaceId).ToArray());
        command.Parameters.AddWithValue("kinds", identities.Select(i => i.Identifier.Kind).ToArray());
        command.Parameters.AddWithValue("values", identities.Select(i => i.Identifier.Value).ToArray());
        command.Parameters.AddWithValue("customers", identities.Select(i => i.CustomerId).ToArray());
        var created = new List<(CustomerIdentifier, TrackingIdentity)>(identities.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            created.Add((new CustomerIdentifier(reader.GetString(0), reader.GetString(1)), new TrackingIdentity(reader.GetInt64(2), reader.GetInt64(3))));
        }

        return created;
    }

    /// <summary>Takes the workspaces' identity locks shared, then reads their generations, in one round trip.</summary>
    protected override async Task<Dictionary<long, long>> ReadIdentityGenerationsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<long> workspaces, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"""
            SELECT w, coalesce(c.value, 0) FROM unnest(@ws::bigint[]) AS w
            CROSS JOIN LATERAL (SELECT pg_advisory_xact_lock_shared(727275, w::int)) AS l
            LEFT JOIN workspace_counters c ON c.workspace_id = w AND c.name = '{IdentityGeneration.CounterName}'
            """);
        command.Parameters.AddWithValue("ws", workspaces.ToArray());
        var generations = new Dictionary<long, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            generations[reader.GetInt64(0)] = reader.GetInt64(1);
        }

        return generations;
    }

    private protected override async Task<bool[]> InsertInteractionsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<InteractionRow> rows, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, InsertSql);
        var p = command.Parameters;
        p.AddWithValue("workspace_id", rows.Select(r => r.WorkspaceId).ToArray());
        p.AddWithValue("message_id", rows.Select(r => r.Event.MessageId).ToArray());
        p.AddWithValue("client_ts", rows.Select(r => InteractionColumns.ClientTimestamp(r.Event)).ToArray());
        p.AddWithValue("customer_id", rows.Select(r => r.CustomerId).ToArray());
        p.AddWithValue("type", rows.Select(r => InteractionColumns.TypeName(r.Event.Type)).ToArray());
        p.AddWithValue("event", rows.Select(r => r.Event.EventName).ToArray());
        p.AddWithValue("occurred_at", rows.Select(r => r.Event.Timestamp.ToUnixTimeMilliseconds()).ToArray());
        p.AddWithValue("received_at", rows.Select(r => r.Event.ReceivedAt.ToUnixTimeMilliseconds()).ToArray());
        p.AddWithValue("touchpoint_id", rows.Select(r => r.Placement.TouchpointId).ToArray());
        p.AddWithValue("channel", rows.Select(r => r.Placement.Channel).ToArray());
        p.AddWithValue("journey_key", rows.Select(r => r.Placement.JourneyKey).ToArray());
        p.AddWithValue("stage", rows.Select(r => r.Placement.Stage).ToArray());
        p.AddWithValue("outcome", rows.Select(r => r.Event.Outcome is null ? null : InteractionRollup.OutcomeName(r.Event.Outcome)).ToArray());
        p.AddWithValue("effort", rows.Select(r => r.Event.Effort).ToArray());
        p.AddWithValue("revenue", rows.Select(r => r.Event.Revenue).ToArray());
        p.AddWithValue("cost", rows.Select(r => r.Event.Cost).ToArray());
        p.AddWithValue("properties", rows.Select(r => r.Event.PropertiesJson).ToArray());
        p.AddWithValue("context", rows.Select(r => r.Event.ContextJson).ToArray());
        p.AddWithValue("identity_id", rows.Select(r => r.IdentityId).ToArray());

        var stored = new HashSet<(long, string)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                stored.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        var inserted = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            inserted[i] = stored.Contains((rows[i].WorkspaceId, rows[i].Event.MessageId));
        }

        return inserted;
    }

    /// <summary>Rollup and counters in one round trip.</summary>
    protected override async Task UpsertAggregatesAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyDictionary<DailyRollupKey, DailyRollupDelta> deltas,
        IReadOnlyDictionary<(long WorkspaceId, string Name), long> counters, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        if (deltas.Count > 0)
        {
            var rollup = new NpgsqlBatchCommand(
                InteractionColumns.RollupInsert +
                " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::float8[], $8::bigint[], $9::float8[], $10::float8[]) " +
                InteractionColumns.RollupConflict);
            var list = deltas.ToList();
            rollup.Parameters.Add(new NpgsqlParameter { Value = list.Select(d => d.Key.WorkspaceId).ToArray() });
            rollup.Parameters.Add(new NpgsqlParameter { Value = list.Select(d => d.Key.Day).ToArray() });
            rollup.Parameters.Add(new NpgsqlParameter { Value = list.Select(d => d.Key.TouchpointId).ToArray() });
            rollup.Parameters.Add(new NpgsqlParameter { Value = list.Select(d => d.Key.Channel).ToArray() });
            rollup.Parameters.Add(new NpgsqlParameter { Value = list.Select(d => d.Key.Outcome).ToArray() });
            rollup.Parameters.Add(new NpgsqlParameter { Value = list.Select(d => d.Value.Interactions).ToArray() });
            rollup.Parameters.Add(new NpgsqlParameter { Value = list.Select(d => d.Value.EffortSum).ToArray() });
            rollup.Parameters.Add(new NpgsqlParameter { Value = list.Select(d => d.Value.EffortCount).ToArray() });
            rollup.Parameters.Add(new NpgsqlParameter { Value = list.Select(d => d.Value.RevenueSum).ToArray() });
            rollup.Parameters.Add(new NpgsqlParameter { Value = list.Select(d => d.Value.CostSum).ToArray() });
            batch.BatchCommands.Add(rollup);
        }

        if (counters.Count > 0)
        {
            var counter = new NpgsqlBatchCommand("""
                INSERT INTO workspace_counters (workspace_id, name, value)
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])
                ON CONFLICT (workspace_id, name) DO UPDATE SET value = workspace_counters.value + excluded.value
                """);
            counter.Parameters.Add(new NpgsqlParameter { Value = counters.Keys.Select(k => k.WorkspaceId).ToArray() });
            counter.Parameters.Add(new NpgsqlParameter { Value = counters.Keys.Select(k => k.Name).ToArray() });
            counter.Parameters.Add(new NpgsqlParameter { Value = counters.Values.ToArray() });
            batch.BatchCommands.Add(counter);
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static NpgsqlCommand Command(DbConnection connection, DbTransaction transaction, string sql) =>
        new(sql, (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
}
