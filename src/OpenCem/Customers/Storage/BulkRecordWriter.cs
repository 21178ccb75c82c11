using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using OpenCem.Storage;

namespace OpenCem.Customers.Storage;

/// <summary>
/// Inserts profiles, records and their identifiers at the speed of the database: prepared statements reused
/// inside the transaction on SQLite, binary COPY on PostgreSQL. Ids are reserved up front so rows can reference
/// each other before they are written.
/// </summary>
internal static class BulkRecordWriter
{
    public static async Task<long[]> ReserveIdsAsync(IdentityRepository db, string table, int count, CancellationToken cancellationToken)
    {
        var ids = new long[count];
        if (count == 0)
        {
            return ids;
        }

        if (db.Kind == DatabaseKind.Sqlite)
        {
            // The transaction holds SQLite's write lock, so nobody else can take these ids meanwhile.
            await using var command = Command(db, $"SELECT coalesce(max(id), 0) FROM {table}");
            var next = (long)(await command.ExecuteScalarAsync(cancellationToken))! + 1;
            for (var i = 0; i < count; i++)
            {
                ids[i] = next + i;
            }

            return ids;
        }

        await using (var command = Command(db, $"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, {count})"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            var i = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                ids[i++] = reader.GetInt64(0);
            }
        }

        return ids;
    }

    public static async Task InsertCustomersAsync(IdentityRepository db, long ws, IReadOnlyList<ProfileTraits> profiles, long now, CancellationToken cancellationToken)
    {
        if (profiles.Count == 0)
        {
            return;
        }

        const string columns = "id, workspace_id, created_at, updated_at, traits, trait_sources, search_name";
        if (db.Kind == DatabaseKind.Postgres)
        {
            await using var copy = await ((NpgsqlConnection)db.Connection).BeginBinaryImportAsync(
                $"COPY customers ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var profile in profiles)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(profile.CustomerId, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(ws, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(now, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(now, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(profile.Traits, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(profile.Sources, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, profile.SearchName, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
            return;
        }

        await using var command = SqliteCommand(db, $"INSERT INTO customers ({columns}) VALUES ($id, $ws, $now, $now, $traits, $sources, $name)");
        var p = new[] { "$id", "$traits", "$sources", "$name" }.Select(name => command.Parameters.Add(new SqliteParameter(name, null))).ToArray();
        command.Parameters.AddWithValue("$ws", ws);
        command.Parameters.AddWithValue("$now", now);
        foreach (var profile in profiles)
        {
            p[0].Value = profile.CustomerId;
            p[1].Value = profile.Traits;
            p[2].Value = profile.Sources;
            p[3].Value = (object?)profile.SearchName ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Stores recomputed traits of existing profiles.</summary>
    public static async Task UpdateProfilesAsync(IdentityRepository db, IReadOnlyList<ProfileTraits> profiles, long now, CancellationToken cancellationToken)
    {
        if (profiles.Count == 0)
        {
            return;
        }

        if (db.Kind == DatabaseKind.Postgres)
        {
            await using var update = new NpgsqlCommand(
                """
                UPDATE customers SET traits = t.traits, trait_sources = t.sources, search_name = t.name, updated_at = @now
                FROM unnest(@ids::bigint[], @traits::text[], @sources::text[], @names::text[]) AS t(id, traits, sources, name)
                WHERE customers.id = t.id
                """,
                (NpgsqlConnection)db.Connection, (NpgsqlTransaction)db.Transaction);
            update.Parameters.AddWithValue("now", now);
            update.Parameters.AddWithValue("ids", profiles.Select(p => p.CustomerId).ToArray());
            update.Parameters.AddWithValue("traits", profiles.Select(p => p.Traits).ToArray());
            update.Parameters.AddWithValue("sources", profiles.Select(p => p.Sources).ToArray());
            update.Parameters.AddWithValue("names", profiles.Select(p => p.SearchName).ToArray());
            await update.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        await using var command = SqliteCommand(db, "UPDATE customers SET traits = $traits, trait_sources = $sources, search_name = $name, updated_at = $now WHERE id = $id");
        var p = new[] { "$id", "$traits", "$sources", "$name" }.Select(name => command.Parameters.Add(new SqliteParameter(name, null))).ToArray();
        command.Parameters.AddWithValue("$now", now);
        foreach (var profile in profiles)
        {
            p[0].Value = profile.CustomerId;
            p[1].Value = profile.Traits;
            p[2].Value = profile.Sources;
            p[3].Value = (object?)profile.SearchName ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(cancellationToken);
        }
        else
        {
            await copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
        }
    }

    public static async Task InsertRecordsAsync(IdentityRepository db, long ws, IReadOnlyList<StoredRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        const string columns = "id, workspace_id, source, record_key, customer_id, identifiers, traits, updated_at, received_at, created_at";
        if (db.Kind == DatabaseKind.Postgres)
        {
            await using var copy = await ((NpgsqlConnection)db.Connection).BeginBinaryImportAsync(
                $"COPY source_records ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var r in records)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(r.Id, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(ws, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.Source, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Key, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.CustomerId, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(IdentifierCodec.Encode(r.Identifiers), NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.TraitsJson ?? "{}", NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.UpdatedAt, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.ReceivedAt, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.ReceivedAt, NpgsqlDbType.Bigint, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
            return;
        }

        await using var command = SqliteCommand(db, $"INSERT INTO source_records ({columns}) VALUES ($id, $ws, $source, $key, $customer, $identifiers, $traits, $updated, $received, $received)");
        var p = new[] { "$id", "$source", "$key", "$customer", "$identifiers", "$traits", "$updated", "$received" }
            .Select(name => command.Parameters.Add(new SqliteParameter(name, null))).ToArray();
        command.Parameters.AddWithValue("$ws", ws);
        foreach (var r in records)
        {
            p[0].Value = r.Id;
            p[1].Value = r.Source;
            p[2].Value = r.Key;
            p[3].Value = r.CustomerId;
            p[4].Value = IdentifierCodec.Encode(r.Identifiers);
            p[5].Value = r.TraitsJson ?? "{}";
            p[6].Value = r.UpdatedAt;
            p[7].Value = r.ReceivedAt;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static async Task InsertIdentitiesAsync(IdentityRepository db, long ws, IReadOnlyList<(long Id, Identifier Identifier, long CustomerId)> rows, long now, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        const string columns = "id, workspace_id, kind, value, customer_id, created_at";
        if (db.Kind == DatabaseKind.Postgres)
        {
            await using var copy = await ((NpgsqlConnection)db.Connection).BeginBinaryImportAsync(
                $"COPY customer_identities ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var (id, identifier, customerId) in rows)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(ws, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(identifier.Type, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(identifier.Value, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(customerId, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(now, NpgsqlDbType.Bigint, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
            return;
        }

        await using var command = SqliteCommand(db, $"INSERT INTO customer_identities ({columns}) VALUES ($id, $ws, $kind, $value, $customer, $now)");
        var p = new[] { "$id", "$kind", "$value", "$customer" }.Select(name => command.Parameters.Add(new SqliteParameter(name, null))).ToArray();
        command.Parameters.AddWithValue("$ws", ws);
        command.Parameters.AddWithValue("$now", now);
        foreach (var (id, identifier, customerId) in rows)
        {
            p[0].Value = id;
            p[1].Value = identifier.Type;
            p[2].Value = identifier.Value;
            p[3].Value = customerId;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Inserts identifier rows; sorted first, so the index grows by appending.</summary>
    public static async Task InsertRecordIdentifiersAsync(IdentityRepository db, long ws, List<(Identifier Identifier, long RecordId)> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        rows.Sort((a, b) =>
        {
            var byKind = string.CompareOrdinal(a.Identifier.Type, b.Identifier.Type);
            if (byKind != 0)
            {
                return byKind;
            }

            var byValue = string.CompareOrdinal(a.Identifier.Value, b.Identifier.Value);
            return byValue != 0 ? byValue : a.RecordId.CompareTo(b.RecordId);
        });

        if (db.Kind == DatabaseKind.Postgres)
        {
            await using var copy = await ((NpgsqlConnection)db.Connection).BeginBinaryImportAsync(
                "COPY record_identifiers (workspace_id, kind, value, record_id) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var (identifier, recordId) in rows)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(ws, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(identifier.Type, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(identifier.Value, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(recordId, NpgsqlDbType.Bigint, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
            return;
        }

        await using var command = SqliteCommand(db, "INSERT INTO record_identifiers (workspace_id, kind, value, record_id) VALUES ($ws, $kind, $value, $record) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue("$ws", ws);
        var kind = command.Parameters.Add("$kind", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Text);
        var record = command.Parameters.Add("$record", SqliteType.Integer);
        foreach (var (identifier, recordId) in rows)
        {
            kind.Value = identifier.Type;
            value.Value = identifier.Value;
            record.Value = recordId;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static DbCommand Command(IdentityRepository db, string sql)
    {
        var command = db.Connection.CreateCommand();
        command.Transaction = db.Transaction;
        command.CommandText = sql;
        return command;
    }

    private static SqliteCommand SqliteCommand(IdentityRepository db, string sql)
    {
        var command = ((SqliteConnection)db.Connection).CreateCommand();
        command.Transaction = (SqliteTransaction)db.Transaction;
        command.CommandText = sql;
        return command;
    }
}
