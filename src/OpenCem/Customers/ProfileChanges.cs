using Dapper;
using OpenCem.Customers.Storage;
using OpenCem.Text;

namespace OpenCem.Customers;

/// <summary>A record named by its source and its key there.</summary>
public sealed record RecordReference(string Source, string Id);

/// <summary>Why a split could not be done, naming the field at fault.</summary>
public sealed class ProfileChangeException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

public sealed record SplitResult(long CustomerId, IReadOnlyList<long> NewProfiles);

public sealed record ErasureResult(long CustomerId, int Records, int Identifiers, long Interactions);

/// <summary>
/// The changes a user makes to a profile by hand: split a wrong merge (remembered, so rebuilds keep it) and
/// erase a person on request (GDPR article 17), each in one transaction under the workspace's identity lock.
/// </summary>
public sealed class ProfileChanges(IdentityService identity)
{
    /// <summary>Detaches records from a profile; they never join its remaining records again.</summary>
    public async Task<SplitResult?> SplitAsync(long workspaceId, long customerId, IReadOnlyList<RecordReference> detach, CancellationToken cancellationToken = default)
    {
        var settings = await identity.GetSettingsAsync(workspaceId, cancellationToken);
        return await identity.InLockAsync(workspaceId, async (db, now) =>
        {
            var id = await CurrentIdAsync(db, workspaceId, customerId);
            if (id is null)
            {
                return null;
            }

            var records = await db.RecordsOfCustomersAsync(workspaceId, [id.Value]);
            var detached = new List<StoredRecord>();
            for (var i = 0; i < detach.Count; i++)
            {
                var record = records.FirstOrDefault(r => r.Source == detach[i].Source && r.Key == detach[i].Id)
                    ?? throw new ProfileChangeException($"records[{i}]", $"{detach[i].Source}/{detach[i].Id} is not a record of customer {id}.");
                detached.Add(record);
            }

            var remaining = records.Except(detached).ToList();
            if (detached.Count == 0 || remaining.Count == 0)
            {
                throw new ProfileChangeException("records", "Name at least one record to detach and leave at least one.");
            }

            var anchor = MainGroup(remaining, settings);
            await db.InsertSplitsAsync(workspaceId, detached.SelectMany(d => anchor.Select(r => (d.Id, r.Id))).ToList(), now);
            await new ProfileResolver(db, workspaceId, settings, now).ReResolveAsync(records, cancellationToken);
            var after = (await db.Connection.QueryAsync<long>(
                "SELECT DISTINCT customer_id FROM source_records WHERE workspace_id = @workspaceId AND id IN (" + string.Join(",", detached.Select(d => d.Id)) + ")",
                new { workspaceId }, db.Transaction)).ToList();
            var kept = await db.Connection.ExecuteScalarAsync<long>(
                "SELECT customer_id FROM source_records WHERE id = @id", new { id = anchor[0].Id }, db.Transaction);
            return new SplitResult(kept, after.Where(a => a != kept).OrderBy(a => a).ToList());
        }, cancellationToken);
    }

    /// <summary>
    /// Erases a person: records, identifiers and traits are deleted; the identifiers are remembered only as hashes
    /// so later events and records do not bring the person back; interactions stay for aggregates, stripped of
    /// their payload and linked only to the emptied profile.
    /// </summary>
    public async Task<ErasureResult?> EraseAsync(long workspaceId, long customerId, CancellationToken cancellationToken = default)
    {
        var result = await identity.InLockAsync(workspaceId, async (db, now) =>
        {
            var id = await CurrentIdAsync(db, workspaceId, customerId);
            if (id is null)
            {
                return null;
            }

            var connection = db.Connection;
            var transaction = db.Transaction;
            var args = new { workspaceId, id, now };
            var records = await db.RecordsOfCustomersAsync(workspaceId, [id.Value], withTraits: false);
            var tracking = (await connection.QueryAsync<(string Kind, string Value)>(
                "SELECT kind, value FROM customer_identities WHERE workspace_id = @workspaceId AND customer_id = @id", args, transaction)).ToList();
            var identifiers = records.SelectMany(r => r.Identifiers).Concat(tracking.Select(t => new Identifier(t.Kind, t.Value))).Distinct().ToList();

            await connection.ExecuteAsync(
                """
                INSERT INTO identity_tombstones (workspace_id, kind, value_hash, customer_id, erased_at) VALUES (@workspaceId, @kind, @hash, @id, @now)
                ON CONFLICT (workspace_id, kind, value_hash) DO NOTHING
                """,
                identifiers.Select(i => new { workspaceId, kind = i.Type, hash = Tombstone.Hash(i), id, now }), transaction);
            await db.DeleteRecordIdentifiersAsync(workspaceId, records.SelectMany(r => r.Identifiers.Select(i => (i, r.Id))).ToList());
            await connection.ExecuteAsync(
                "DELETE FROM identity_splits WHERE workspace_id = @workspaceId AND (record_a = @record OR record_b = @record)",
                records.Select(r => new { workspaceId, record = r.Id }), transaction);
            await connection.ExecuteAsync("DELETE FROM source_records WHERE workspace_id = @workspaceId AND customer_id = @id", args, transaction);
            await connection.ExecuteAsync("DELETE FROM customer_identities WHERE workspace_id = @workspaceId AND customer_id = @id", args, transaction);
            var interactions = await connection.ExecuteAsync(
                "UPDATE interactions SET properties = NULL, context = NULL, identity_id = NULL WHERE workspace_id = @workspaceId AND customer_id = @id", args, transaction);
            // Scores stay in their columns for anonymous aggregates; what the person wrote and where to reach them goes,
            // and with it what the text analysis read in it.
            await StoredAnalyses.ForgetCustomerAsync(connection, transaction, workspaceId, id.Value);
            // The outbox copies of her responses and signals (their comments and texts), also those appended before she was linked.
            await connection.ExecuteAsync(
                """
                UPDATE events SET payload = '{}' WHERE workspace_id = @workspaceId AND (customer_id = @id
                    OR (type = 'response.submitted' AND subject_id IN (SELECT id FROM survey_responses WHERE workspace_id = @workspaceId AND customer_id = @id))
                    OR (type = 'signal.received' AND subject_id IN (SELECT id FROM signals WHERE workspace_id = @workspaceId AND customer_id = @id)))
                """,
                args, transaction);
            await connection.ExecuteAsync("DELETE FROM customer_tags WHERE workspace_id = @workspaceId AND customer_id = @id", args, transaction);
            await connection.ExecuteAsync("DELETE FROM help_offers WHERE workspace_id = @workspaceId AND customer_id = @id", args, transaction);
            // Predictions and their reasons (which quote her traits) go; notes on her cases (free text about her) are blanked.
            await connection.ExecuteAsync("DELETE FROM customer_values WHERE workspace_id = @workspaceId AND customer_id = @id", args, transaction);
            await Value.Equity.EquityTotalsStore.RefreshAsync(connection, transaction, workspaceId, now);
            await connection.ExecuteAsync("DELETE FROM churn_customers WHERE workspace_id = @workspaceId AND customer_id = @id", args, transaction);
            await connection.ExecuteAsync(
                "UPDATE case_notes SET text = '' WHERE workspace_id = @workspaceId AND case_id IN (SELECT id FROM cases WHERE workspace_id = @workspaceId AND customer_id = @id)",
                args, transaction);
            await connection.ExecuteAsync(
                "UPDATE survey_responses SET answers = '{}', comment = NULL WHERE workspace_id = @workspaceId AND customer_id = @id", args, transaction);
            await OpenCem.Storage.DataVersions.BumpAsync(connection, transaction, workspaceId, OpenCem.Storage.DataVersions.Responses);
            await connection.ExecuteAsync("UPDATE survey_invitations SET address = NULL WHERE workspace_id = @workspaceId AND customer_id = @id", args, transaction);
            await connection.ExecuteAsync("DELETE FROM signals WHERE workspace_id = @workspaceId AND customer_id = @id", args, transaction);
            // Customer ideas, advocate programmes and personas: what each keeps of her is decided in its own folder.
            await Feedback.Ideas.IdeaErasure.ForgetCustomerAsync(connection, transaction, workspaceId, id.Value);
            await Feedback.Advocates.AdvocateErasure.ForgetCustomerAsync(connection, transaction, workspaceId, id.Value);
            await Personas.PersonaErasure.ForgetCustomerAsync(connection, transaction, workspaceId, id.Value);
            await Actions.Notifications.NotificationErasure.ForgetAddressesAsync(
                connection, transaction, workspaceId, [.. identifiers.Where(i => i.Type == IdentifierKinds.Email).Select(i => i.Value), .. await TraitEmailAsync(db, id.Value)]);
            await connection.ExecuteAsync(
                "UPDATE customers SET traits = NULL, trait_sources = NULL, search_name = NULL, erased_at = @now, updated_at = @now WHERE id = @id", args, transaction);
            await db.AddCountersAsync(workspaceId, ("customers", -1), (IdentityGeneration.CounterName, 1), (OpenCem.Storage.DataVersions.Traits, 1));
            return new ErasureResult(id.Value, records.Count, identifiers.Count, interactions);
        }, cancellationToken);

        if (result is not null)
        {
            await identity.CompactAfterErasureAsync(cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// The records that stay: the largest group the remaining records form without the detached ones. Remaining
    /// records linked to the profile only through a detached record are free to follow it.
    /// </summary>
    private static List<StoredRecord> MainGroup(List<StoredRecord> remaining, IdentitySettings settings)
    {
        var resolution = IdentityGraph.Resolve(remaining.Select(r => r.Source).ToList(), remaining.Select(r => r.Identifiers).ToList(), settings);
        var main = resolution.ProfileOf.GroupBy(p => p).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        return remaining.Where((_, i) => resolution.ProfileOf[i] == main).ToList();
    }

    /// <summary>The address mails went to: the profile's <c>email</c> trait, which may differ in case or form from the identifier.</summary>
    private static async Task<IReadOnlyList<string>> TraitEmailAsync(IdentityRepository db, long id)
    {
        var traits = await db.Connection.ExecuteScalarAsync<string?>("SELECT traits FROM customers WHERE id = @id", new { id }, db.Transaction);
        try
        {
            return traits is not null && System.Text.Json.Nodes.JsonNode.Parse(traits) is System.Text.Json.Nodes.JsonObject json
                && ProfileTraitsReader.Text(json, "email") is { } email ? [email] : [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    private static async Task<long?> CurrentIdAsync(IdentityRepository db, long workspaceId, long customerId) =>
        await db.Connection.ExecuteScalarAsync<long?>(
            """
            SELECT id FROM customers WHERE workspace_id = @workspaceId AND erased_at IS NULL
                AND id = coalesce((SELECT customer_id FROM customer_redirects WHERE workspace_id = @workspaceId AND old_customer_id = @customerId), @customerId)
            """,
            new { workspaceId, customerId }, db.Transaction);
}
