using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OpenCem.Analytics.Statistics;

/// <summary>
/// The nonparametric bootstrap of a linear model's cross products. A sample draws n rows with replacement, which is
/// the same as weighting each row by how often it was drawn; the weighted sums of products (see
/// <see cref="CrossProducts"/>) are then one matrix product of the samples' counts with the rows' products. Rows are
/// taken in chunks whose products stay in cache while a batch of samples accumulates over them, and batches run in
/// parallel. Each sample has its own random stream from the seed and its number, so results do not depend on threads.
/// </summary>
public static class Bootstrap
{
    private const int ChunkRows = 256;
    private const int BatchSamples = 16;

    /// <summary>
    /// Calls <paramref name="evaluate"/> for each sample with its packed weighted sums (a buffer reused afterwards), on
    /// up to <paramref name="parallelism"/> threads, each with a state from <paramref name="createState"/>.
    /// </summary>
    public static void Moments<TState>(
        double[] data, int n, int p, int samples, ulong seed, int parallelism, Func<TState> createState, Action<int, double[], TState> evaluate)
    {
        var size = CrossProducts.Size(p);
        var stride = (size + 3) & ~3;
        var batches = (samples + BatchSamples - 1) / BatchSamples;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) };
        Parallel.For(
            0,
            batches,
            options,
            () => new Scratch<TState>(n, stride, size, createState()),
            (batch, _, scratch) =>
            {
                var first = batch * BatchSamples;
                var count = Math.Min(BatchSamples, samples - first);
                RunBatch(data, n, p, stride, first, count, seed, scratch);
                for (var b = 0; b < count; b++)
                {
                    Array.Copy(scratch.Sums, b * stride, scratch.Sample, 0, size);
                    evaluate(first + b, scratch.Sample, scratch.State);
                }

                return scratch;
            },
            _ => { });
    }

    private static void RunBatch<TState>(double[] data, int n, int p, int stride, int first, int count, ulong seed, Scratch<TState> s)
    {
        var counts = s.Counts;
        Array.Clear(counts, 0, count * n);
        for (var b = 0; b < count; b++)
        {
            var random = new SplitMix64(seed + ((ulong)(first + b) * 0xD1B54A32D192ED03UL));
            var offset = b * n;
            for (var i = 0; i < n; i++)
            {
                counts[offset + random.Below(n)]++;
            }
        }

        Array.Clear(s.Sums, 0, count * stride);
        for (var start = 0; start < n; start += ChunkRows)
        {
            var rows = Math.Min(ChunkRows, n - start);
            Products(data, p, start, rows, stride, s.Products);
            for (var b = 0; b < count; b++)
            {
                var weights = s.Weights;
                var offset = (b * n) + start;
                for (var r = 0; r < rows; r++)
                {
                    weights[r] = counts[offset + r];
                }

                Accumulate(s.Products, weights, rows, stride, s.Sums.AsSpan(b * stride, stride));
            }
        }
    }

    /// <summary>The packed products of each row of the chunk, padded to whole vectors.</summary>
    private static void Products(double[] data, int p, int start, int rows, int stride, double[] products)
    {
        var m = p + 1;
        Span<double> row = stackalloc double[m];
        row[0] = 1;
        for (var r = 0; r < rows; r++)
        {
            data.AsSpan((start + r) * p, p).CopyTo(row[1..]);
            var e = r * stride;
            for (var a = 0; a < m; a++)
            {
                var x = row[a];
                for (var b = a; b < m; b++)
                {
                    products[e++] = x * row[b];
                }
            }

            while (e < (r + 1) * stride)
            {
                products[e++] = 0;
            }
        }
    }

    /// <summary>sums += Σ_r weights[r] · products[r]: four vector accumulators in registers per pass over the rows.</summary>
    private static void Accumulate(double[] products, double[] weights, int rows, int stride, Span<double> sums)
    {
        ref var pBase = ref MemoryMarshal.GetArrayDataReference(products);
        ref var sBase = ref MemoryMarshal.GetReference(sums);
        var v = 0;
        for (; v + 16 <= stride; v += 16)
        {
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (var r = 0; r < rows; r++)
            {
                var w = Vector256.Create(weights[r]);
                ref var row = ref Unsafe.Add(ref pBase, (r * stride) + v);
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row), w, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, 4), w, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, 8), w, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, 12), w, a3);
            }

            ref var target = ref Unsafe.Add(ref sBase, v);
            (Vector256.LoadUnsafe(ref target) + a0).StoreUnsafe(ref target);
            (Vector256.LoadUnsafe(ref target, 4) + a1).StoreUnsafe(ref target, 4);
            (Vector256.LoadUnsafe(ref target, 8) + a2).StoreUnsafe(ref target, 8);
            (Vector256.LoadUnsafe(ref target, 12) + a3).StoreUnsafe(ref target, 12);
        }

        for (; v < stride; v += 4)
        {
            Vector256<double> a0 = default;
            for (var r = 0; r < rows; r++)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pBase, (nuint)((r * stride) + v)), Vector256.Create(weights[r]), a0);
            }

            ref var target = ref Unsafe.Add(ref sBase, v);
            (Vector256.LoadUnsafe(ref target) + a0).StoreUnsafe(ref target);
        }
    }

    /// <summary>The q-quantile (0–1) of the values that are numbers, interpolated as R's type 7; NaN when there are none.</summary>
    public static double Percentile(List<double> values, double q)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    private sealed class Scratch<TState>(int n, int stride, int size, TState state)
    {
        public ushort[] Counts { get; } = new ushort[BatchSamples * n];

        public double[] Products { get; } = new double[ChunkRows * stride];

        public double[] Weights { get; } = new double[ChunkRows];

        public double[] Sums { get; } = new double[BatchSamples * stride];

        public double[] Sample { get; } = new double[size];

        public TState State { get; } = state;
    }

    /// <summary>Steele, Lea and Flood's SplitMix64: tiny, fast, and good enough to draw row numbers.</summary>
    private struct SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public int Below(int n)
        {
            _state += 0x9E3779B97F4A7C15UL;
            var z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(((z >> 32) * (ulong)n) >> 32);
        }
    }
}
