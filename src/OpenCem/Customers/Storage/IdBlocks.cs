namespace OpenCem.Customers.Storage;

/// <summary>
/// Ids of PostgreSQL tables taken from their sequences a block at a time and handed out to small upserts, so an
/// identify does not spend a round trip on <c>nextval</c> for each table it inserts into. Sequence values are never
/// given twice, whichever process holds them; ids of a block left unused when the process ends are gaps, as after
/// a rolled-back insert.
/// </summary>
internal sealed class IdBlocks(int blockSize = IdBlocks.DefaultBlockSize)
{
    public const int DefaultBlockSize = 64;

    private readonly Dictionary<string, Queue<long>> _free = [];

    public async Task<long[]> TakeAsync(IdentityRepository db, string table, int count, CancellationToken cancellationToken)
    {
        var ids = new long[count];
        var taken = Take(table, ids, 0);
        if (taken == count)
        {
            return ids;
        }

        // Short of ids: one nextval round trip for the rest and a new block.
        await db.FlushAsync();
        var fetched = await BulkRecordWriter.NextValuesAsync(db, table, count - taken + blockSize, cancellationToken);
        Array.Copy(fetched, 0, ids, taken, count - taken);
        lock (_free)
        {
            var queue = Queue(table);
            foreach (var id in fetched.AsSpan(count - taken))
            {
                queue.Enqueue(id);
            }
        }

        return ids;
    }

    private int Take(string table, long[] ids, int from)
    {
        lock (_free)
        {
            var queue = Queue(table);
            var i = from;
            while (i < ids.Length && queue.TryDequeue(out var id))
            {
                ids[i++] = id;
            }

            return i - from;
        }
    }

    private Queue<long> Queue(string table)
    {
        if (!_free.TryGetValue(table, out var queue))
        {
            _free[table] = queue = new Queue<long>();
        }

        return queue;
    }
}
