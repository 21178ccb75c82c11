using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OpenCem.Analytics.Statistics;

/// <summary>
/// The nonparametric bootstrap of a linear model's cross products (of standardised data: products are then small and
/// single precision per chunk is plenty for an interval). A sample draws n rows with replacement, which is
/// the same as weighting each row by how often it was drawn; the weighted sums of products (see
/// <see cref="CrossProducts"/>) are then one matrix product of the samples' counts with the rows' products. Rows are
/// taken in chunks whose products stay in cache while a batch of samples accumulates over them, and batches run in
/// parallel. Each sample has its own random stream from the seed and its number, so results do not depend on threads.
/// </summary>
public static class Bootstrap
{
    private const int ChunkRows = 256;
    private const int BatchSamples = 64;

    /// <summary>
    /// Calls <paramref name="evaluate"/> for each sample with its packed weighted sums (a buffer reused afterwards), on
    /// up to <paramref name="parallelism"/> threads, each with a state from <paramref name="createState"/>.
    /// </summary>
    public static void Moments<TState>(
        double[] data, int n, int p, int samples, ulong seed, int parallelism, Func<TState> createState, Action<int, double[], TState> evaluate)
    {
        var size = CrossProducts.Size(p);
        // Padded to whole groups of vectors (16 floats; 32 for the 256-bit path's groups of four).
        var stride = (size + 31) & ~31;
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
    private static void Products(double[] data, int p, int start, int rows, int stride, float[] products)
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
                    products[e++] = (float)(x * row[b]);
                }
            }

            while (e < (r + 1) * stride)
            {
                products[e++] = 0;
            }
        }
    }

    /// <summary>
    /// sums += Σ_r weights[r] · products[r], over one chunk: four vector accumulators stay in registers per pass over
    /// the rows (512-bit vectors where the processor has them). The chunk's partial sums are single precision; they are
    /// added to the double sums per chunk, so rounding never accumulates over more than one chunk of rows.
    /// </summary>
    private static void Accumulate(float[] products, float[] weights, int rows, int stride, Span<double> sums)
    {
        Span<float> partial = stackalloc float[stride];
        ref var pBase = ref MemoryMarshal.GetArrayDataReference(products);
        ref var partialBase = ref MemoryMarshal.GetReference(partial);
        var v = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; v + 64 <= stride; v += 64)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (var r = 0; r < rows; r++)
                {
                    var w = Vector512.Create(weights[r]);
                    ref var row = ref Unsafe.Add(ref pBase, (r * stride) + v);
                    a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row), w, a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 16), w, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 32), w, a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 48), w, a3);
                }

                ref var target = ref Unsafe.Add(ref partialBase, v);
                a0.StoreUnsafe(ref target);
                a1.StoreUnsafe(ref target, 16);
                a2.StoreUnsafe(ref target, 32);
                a3.StoreUnsafe(ref target, 48);
            }

            for (; v < stride; v += 16)
            {
                Vector512<float> a0 = default;
                for (var r = 0; r < rows; r++)
                {
                    a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pBase, (nuint)((r * stride) + v)), Vector512.Create(weights[r]), a0);
                }

                a0.StoreUnsafe(ref Unsafe.Add(ref partialBase, v));
            }
        }
        else
        {
            for (; v < stride; v += 32)
            {
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (var r = 0; r < rows; r++)
                {
                    var w = Vector256.Create(weights[r]);
                    ref var row = ref Unsafe.Add(ref pBase, (r * stride) + v);
                    a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row), w, a0);
                    a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, 8), w, a1);
                    a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, 16), w, a2);
                    a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, 24), w, a3);
                }

                ref var target = ref Unsafe.Add(ref partialBase, v);
                a0.StoreUnsafe(ref target);
                a1.StoreUnsafe(ref target, 8);
                a2.StoreUnsafe(ref target, 16);
                a3.StoreUnsafe(ref target, 24);
            }
        }

        for (var e = 0; e < stride; e++)
        {
            sums[e] += partial[e];
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
        // A row drawn more than 255 times in one sample would wrap; with n ≥ 256 draws of 1/n each that never happens in practice.
        public byte[] Counts { get; } = new byte[BatchSamples * n];

        public float[] Products { get; } = new float[ChunkRows * stride];

        public float[] Weights { get; } = new float[ChunkRows];

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
