using OpenCem.Customers;
using OpenCem.Feedback.Responses;
using OpenCem.Storage;

namespace OpenCem.Value.Transactions;

/// <summary>
/// Stores purchases against profiles: a profile id (merged-away ids followed), or an identifier looked up through the
/// identity graph (tracking identities and every source record's identifiers), as response imports do. A buyer nobody
/// knows yet gets a profile from a record of the <c>transactions</c> source — a purchase is proof of a customer, and
/// identity resolution links that record as soon as another source carries the same identifier. A profile id that is
/// not a profile is rejected. Re-importing skips purchases whose key is stored already.
/// </summary>
public sealed class TransactionImport(Database database, IdentityService identity, TimeProvider time)
{
    public const string RecordSource = "transactions";
    private const int BatchSize = 10_000;

    public async Task<TransactionImportResult> ImportAsync(
        long workspaceId, IEnumerable<TransactionItem> items, string source, IReadOnlyCollection<TransactionRejection> readRejections,
        Action<long>? stored = null, CancellationToken cancellationToken = default)
    {
        var known = new Dictionary<Identifier, long>();
        var profiles = new Dictionary<long, long?>();
        var rejections = new List<TransactionRejection>();
        long read = 0, storedCount = 0, duplicates = 0;
        var created = 0;
        foreach (var batch in items.Chunk(BatchSize))
        {
            read += batch.Length;
            await using var connection = await database.OpenAsync(cancellationToken);
            created += await ResolveAsync(connection, workspaceId, batch, known, profiles, cancellationToken);
            var rows = new List<(long, TransactionItem)>(batch.Length);
            foreach (var item in batch)
            {
                if (Find(item, known, profiles) is { } customer)
                {
                    rows.Add((customer, item));
                }
                else
                {
                    rejections.Add(new TransactionRejection(item.Line, item.CustomerId is { } id
                        ? $"customerId {id} is not a profile of this workspace."
                        : "the purchase names no customer (customerId, userId, email, customerNumber, phone or identifiers)."));
                }
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var inserted = await TransactionWriter.InsertAsync(connection, transaction, workspaceId, source, time.GetUtcNow().ToUnixTimeMilliseconds(), rows, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            storedCount += inserted;
            duplicates += rows.Count - inserted;
            stored?.Invoke(storedCount);
        }

        // Lines the reader refused are known only once it has read everything.
        read += readRejections.Count;
        rejections.AddRange(readRejections);
        rejections.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new TransactionImportResult(read, storedCount, duplicates, rejections.Count, created, rejections);
    }

    private static long? Find(TransactionItem item, Dictionary<Identifier, long> known, Dictionary<long, long?> profiles)
    {
        if (item.CustomerId is { } id)
        {
            return profiles.GetValueOrDefault(id);
        }

        foreach (var identifier in item.Identifiers)
        {
            if (known.TryGetValue(identifier, out var customer))
            {
                return customer;
            }
        }

        return null;
    }

    /// <summary>Looks up what the batch names and this import has not met yet; creates profiles for unknown identifiers. Returns the profiles created.</summary>
    private async Task<int> ResolveAsync(
        System.Data.Common.DbConnection connection, long workspaceId, TransactionItem[] batch,
        Dictionary<Identifier, long> known, Dictionary<long, long?> profiles, CancellationToken cancellationToken)
    {
        var ids = batch.Where(i => i.CustomerId is { } id && !profiles.ContainsKey(id)).Select(i => i.CustomerId!.Value).Distinct().ToList();
        if (ids.Count > 0)
        {
            var current = await RespondentLookup.CurrentIdsAsync(connection, null, workspaceId, ids);
            foreach (var id in ids)
            {
                profiles[id] = current.TryGetValue(id, out var now) ? now : null;
            }
        }

        var unseen = batch.Where(i => i.CustomerId is null).SelectMany(i => i.Identifiers).Where(i => !known.ContainsKey(i)).Distinct().ToList();
        if (unseen.Count == 0)
        {
            return 0;
        }

        foreach (var (identifier, customer) in await RespondentLookup.FindIdentifiersAsync(connection, null, workspaceId, unseen))
        {
            known[identifier] = customer;
        }

        // Buyers none of whose identifiers is known: one record each, keyed by its first identifier.
        var records = batch.Where(i => i.CustomerId is null && i.Identifiers.Count > 0 && !i.Identifiers.Any(known.ContainsKey))
            .DistinctBy(i => i.Identifiers[0])
            .Select((i, n) => new IncomingRecord(new SourceRecord(RecordSource, i.Identifiers[0].ToString(), i.Identifiers, "{}", null), i.Line, UpsertMode.Accumulate))
            .ToList();
        if (records.Count == 0)
        {
            return 0;
        }

        var outcome = await identity.UpsertAsync(workspaceId, records, cancellationToken);
        foreach (var (identifier, customer) in await RespondentLookup.FindIdentifiersAsync(connection, null, workspaceId, records.SelectMany(r => r.Record.Identifiers).Distinct()))
        {
            known[identifier] = customer;
        }

        return outcome.ProfilesCreated;
    }
}
