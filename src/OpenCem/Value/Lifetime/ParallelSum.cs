namespace OpenCem.Value.Lifetime;

/// <summary>
/// Sums a term over many items in parallel, in fixed chunks added in order, so the same input gives the same sum
/// bit for bit however the threads are scheduled (the optimiser would otherwise wander between runs).
/// </summary>
internal static class ParallelSum
{
    private const int ChunkSize = 8_192;

    public static double Of(int count, Func<int, int, double> sumRange)
    {
        if (count <= ChunkSize)
        {
            return sumRange(0, count);
        }

        var chunks = (count + ChunkSize - 1) / ChunkSize;
        var partial = new double[chunks];
        Parallel.For(0, chunks, chunk => partial[chunk] = sumRange(chunk * ChunkSize, Math.Min(count, (chunk + 1) * ChunkSize)));
        var total = 0.0;
        foreach (var value in partial)
        {
            total += value;
        }

        return total;
    }
}
