using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
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

        if (db.IdBlocks is { } blocks && count <= IdentityRepository.SmallBatch)
        {
            return await blocks.TakeAsync(db, table, count, cancellationToken);
        }

        await db.FlushAsync();
        return await NextValuesAsync(db, table, count, cancellationToken);
    }

    /// <summary>Takes <paramref name="count"/> values of the table's id sequence (PostgreSQL).</summary>
    internal static async Task<long[]> NextValuesAsync(IdentityRepository db, string table, int count, CancellationToken cancellationToken)
    {
        var ids = new long[count];
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

    public static Task InsertCustomersAsync(IdentityRepository db, long ws, IReadOnlyList<ProfileTraits> profiles, long now, CancellationToken cancellationToken) =>
        InsertRowsAsync(db, "customers", ["id", "workspace_id", "created_at", "updated_at", "traits", "trait_sources", "search_name"], profiles,
            (p, v) => (v[0], v[1], v[2], v[3], v[4], v[5], v[6]) = (p.CustomerId, ws, now, now, p.Traits, p.Sources, p.SearchName), cancellationToken);

    /// <summary>Stores recomputed traits of existing profiles.</summary>
    public static async Task UpdateProfilesAsync(IdentityRepository db, IReadOnlyList<ProfileTraits> profiles, long now, CancellationToken cancellationToken)
    {
        if (profiles.Count == 0)
        {
            return;
        }

        if (db.Kind == DatabaseKind.Postgres)
        {
            // One statement whatever the count, so it goes with the other queued writes.
            await db.WriteAsync(
                """
                UPDATE customers SET traits = t.traits, trait_sources = t.sources, search_name = t.name, updated_at = $1
                FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[]) AS t(id, traits, sources, name)
                WHERE customers.id = t.id
                """,
                [now, profiles.Select(p => p.CustomerId).ToArray(), profiles.Select(p => p.Traits).ToArray(), profiles.Select(p => p.Sources).ToArray(), profiles.Select(p => p.SearchName).ToArray()]);
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

    public static Task InsertRecordsAsync(IdentityRepository db, long ws, IReadOnlyList<StoredRecord> records, CancellationToken cancellationToken) =>
        InsertRowsAsync(db, "source_records", ["id", "workspace_id", "source", "record_key", "customer_id", "identifiers", "traits", "updated_at", "received_at", "created_at"], records,
            (r, v) => (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]) =
                (r.Id, ws, r.Source, r.Key, r.CustomerId, IdentifierCodec.Encode(r.Identifiers), r.TraitsJson ?? "{}", r.UpdatedAt, r.ReceivedAt, r.ReceivedAt),
            cancellationToken);

    public static Task InsertIdentitiesAsync(IdentityRepository db, long ws, IReadOnlyList<(long Id, Identifier Identifier, long CustomerId)> rows, long now, CancellationToken cancellationToken) =>
        InsertRowsAsync(db, "customer_identities", ["id", "workspace_id", "kind", "value", "customer_id", "created_at"], rows,
            (r, v) => (v[0], v[1], v[2], v[3], v[4], v[5]) = (r.Id, ws, r.Identifier.Type, r.Identifier.Value, r.CustomerId, now), cancellationToken);

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

        await InsertRowsAsync(db, "record_identifiers", ["workspace_id", "kind", "value", "record_id"], rows,
            (r, v) => (v[0], v[1], v[2], v[3]) = (ws, r.Identifier.Type, r.Identifier.Value, r.RecordId), cancellationToken);
    }

    /// <summary>
    /// Inserts rows at the speed of the database: binary COPY on PostgreSQL; on SQLite one prepared statement
    /// reused inside the caller's transaction (its fastest bulk path). <paramref name="fill"/> puts a row's values,
    /// in column order, into the array it is given.
    /// </summary>
    internal static async Task InsertRowsAsync<T>(IdentityRepository db, string table, string[] columns, IReadOnlyList<T> rows, Action<T, object?[]> fill, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var values = new object?[columns.Length];
        var list = string.Join(", ", columns);
        if (db.Small(rows.Count))
        {
            // A handful of rows: one multi-row INSERT with a stable text per row count, prepared, queued with the
            // call's other writes; a COPY costs a round trip of its own and more server time than the rows.
            var all = new List<object?>(rows.Count * columns.Length);
            var tuples = new string[rows.Count];
            for (var r = 0; r < rows.Count; r++)
            {
                fill(rows[r], values);
                tuples[r] = "(" + string.Join(", ", columns.Select((_, i) => "$" + (all.Count + i + 1))) + ")";
                all.AddRange(values);
            }

            await db.WriteAsync($"INSERT INTO {table} ({list}) VALUES {string.Join(", ", tuples)}", all);
            return;
        }

        if (db.Kind == DatabaseKind.Postgres)
        {
            await db.FlushAsync();
            await using var copy = await ((NpgsqlConnection)db.Connection).BeginBinaryImportAsync($"COPY {table} ({list}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var row in rows)
            {
                fill(row, values);
                await copy.WriteRowAsync(cancellationToken, values);
            }

            await copy.CompleteAsync(cancellationToken);
            return;
        }

        await using var command = SqliteCommand(db, $"INSERT INTO {table} ({list}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})");
        var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        foreach (var row in rows)
        {
            fill(row, values);
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

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
