using System.Data.Common;
using Microsoft.Data.Sqlite;
using OpenCem.Customers;
using OpenCem.Storage;

namespace OpenCem.Interactions.Ingestion;

/// <summary>SQLite: prepared single-row statements inside one transaction, which is SQLite's fastest bulk path.</summary>
internal sealed class SqliteInteractionWriter(Database database, Func<long, TouchpointResolver> catalogue, TimeProvider time)
    : InteractionWriter(database, catalogue, time)
{
    /// <summary>
    /// Pages the WAL may hold before the writer checkpoints it itself (SQLite's default is 1,000). The
    /// <see cref="Storage.SqliteCheckpointer"/> copies pages in the background meanwhile; a larger log lets a page
    /// that many commits touch (an index leaf of an active customer) be copied once instead of after every commit.
    /// </summary>
    public const int WalPagesBeforeCheckpoint = 16_384;

    private SqliteCommand? _insertInteraction;

    protected override async Task OnOpenedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_autocheckpoint={WalPagesBeforeCheckpoint}";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task<IReadOnlyList<(CustomerIdentifier Identifier, TrackingIdentity Identity)>> FindIdentitiesAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, IReadOnlyCollection<CustomerIdentifier> identifiers, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "SELECT id, customer_id FROM customer_identities WHERE workspace_id = $ws AND kind = $kind AND value = $value");
        var ws = command.Parameters.Add("$ws", SqliteType.Integer);
        var kind = command.Parameters.Add("$kind", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Text);
        ws.Value = workspaceId;
        var found = new List<(CustomerIdentifier, TrackingIdentity)>();
        var missing = new List<CustomerIdentifier>();
        foreach (var identifier in identifiers)
        {
            kind.Value = identifier.Kind;
            value.Value = identifier.Value;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                found.Add((identifier, new TrackingIdentity(reader.GetInt64(0), reader.GetInt64(1))));
            }
            else
            {
                missing.Add(identifier);
            }
        }

        found.AddRange(await FindErasedAsync(connection, transaction, workspaceId, missing, cancellationToken));
        return found;
    }

    protected override async Task<IReadOnlyList<long>> CreateCustomersAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, int count, long now, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "INSERT INTO customers (workspace_id, created_at, updated_at) VALUES ($ws, $now, $now) RETURNING id");
        command.Parameters.AddWithValue("$ws", workspaceId);
        command.Parameters.AddWithValue("$now", now);
        var ids = new List<long>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add((long)(await command.ExecuteScalarAsync(cancellationToken))!);
        }

        return ids;
    }

    protected override async Task<IReadOnlyList<(CustomerIdentifier Identifier, TrackingIdentity Identity)>> InsertIdentitiesAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<(long WorkspaceId, CustomerIdentifier Identifier, long CustomerId)> identities, long now, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "INSERT INTO customer_identities (workspace_id, kind, value, customer_id, created_at) VALUES ($ws, $kind, $value, $customer, $now) ON CONFLICT DO NOTHING RETURNING id");
        var ws = command.Parameters.Add("$ws", SqliteType.Integer);
        var kind = command.Parameters.Add("$kind", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Text);
        var customer = command.Parameters.Add("$customer", SqliteType.Integer);
        command.Parameters.AddWithValue("$now", now);
        var created = new List<(CustomerIdentifier, TrackingIdentity)>(identities.Count);
        foreach (var identity in identities)
        {
            ws.Value = identity.WorkspaceId;
            kind.Value = identity.Identifier.Kind;
            value.Value = identity.Identifier.Value;
            customer.Value = identity.CustomerId;
            if (await command.ExecuteScalarAsync(cancellationToken) is long id)
            {
                created.Add((identity.Identifier, new TrackingIdentity(id, identity.CustomerId)));
            }
        }

        return created;
    }

    private protected override async Task<bool[]> InsertInteractionsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<InteractionRow> rows, CancellationToken cancellationToken)
    {
        var command = _insertInteraction ??= PrepareInsert((SqliteConnection)connection);
        command.Transaction = (SqliteTransaction)transaction;
        var p = command.Parameters;
        var inserted = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var e = row.Event;
            p[0].Value = row.WorkspaceId;
            p[1].Value = e.MessageId;
            p[2].Value = InteractionColumns.ClientTimestamp(e);
            p[3].Value = row.CustomerId;
            p[4].Value = InteractionColumns.TypeName(e.Type);
            p[5].Value = (object?)e.EventName ?? DBNull.Value;
            p[6].Value = e.Timestamp.ToUnixTimeMilliseconds();
            p[7].Value = e.ReceivedAt.ToUnixTimeMilliseconds();
            p[8].Value = (object?)row.Placement.TouchpointId ?? DBNull.Value;
            p[9].Value = (object?)row.Placement.Channel ?? DBNull.Value;
            p[10].Value = (object?)row.Placement.JourneyKey ?? DBNull.Value;
            p[11].Value = (object?)row.Placement.Stage ?? DBNull.Value;
            p[12].Value = e.Outcome is null ? DBNull.Value : InteractionRollup.OutcomeName(e.Outcome);
            p[13].Value = (object?)e.Effort ?? DBNull.Value;
            p[14].Value = (object?)e.Revenue ?? DBNull.Value;
            p[15].Value = (object?)e.Cost ?? DBNull.Value;
            p[16].Value = (object?)e.PropertiesJson ?? DBNull.Value;
            p[17].Value = (object?)e.ContextJson ?? DBNull.Value;
            p[18].Value = (object?)row.IdentityId ?? DBNull.Value;
            inserted[i] = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }

        return inserted;
    }

    protected override async Task UpsertAggregatesAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyDictionary<DailyRollupKey, DailyRollupDelta> deltas,
        IReadOnlyDictionary<(long WorkspaceId, string Name), long> counters, CancellationToken cancellationToken)
    {
        await UpsertRollupAsync(connection, transaction, deltas, cancellationToken);
        await AddCountersAsync(connection, transaction, counters, cancellationToken);
    }

    private static async Task UpsertRollupAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyDictionary<DailyRollupKey, DailyRollupDelta> deltas, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, InteractionColumns.RollupUpsertSql);
        foreach (var (key, delta) in deltas)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("@ws", key.WorkspaceId);
            command.Parameters.AddWithValue("@day", key.Day);
            command.Parameters.AddWithValue("@tp", key.TouchpointId);
            command.Parameters.AddWithValue("@channel", key.Channel);
            command.Parameters.AddWithValue("@outcome", key.Outcome);
            command.Parameters.AddWithValue("@n", delta.Interactions);
            command.Parameters.AddWithValue("@effort", delta.EffortSum);
            command.Parameters.AddWithValue("@effortN", delta.EffortCount);
            command.Parameters.AddWithValue("@revenue", delta.RevenueSum);
            command.Parameters.AddWithValue("@cost", delta.CostSum);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task AddCountersAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyDictionary<(long WorkspaceId, string Name), long> counters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, InteractionColumns.CounterUpsertSql);
        foreach (var ((workspaceId, name), value) in counters)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("@ws", workspaceId);
            command.Parameters.AddWithValue("@name", name);
            command.Parameters.AddWithValue("@value", value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    protected override void OnConnectionReset()
    {
        _insertInteraction?.Dispose();
        _insertInteraction = null;
    }

    private static SqliteCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = ((SqliteConnection)connection).CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        return command;
    }

    private static SqliteCommand PrepareInsert(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = InteractionColumns.InsertSql;
        foreach (var name in InteractionColumns.Names)
        {
            command.Parameters.Add(new SqliteParameter("@" + name, null));
        }

        return command;
    }
}
