namespace OpenCem.Analytics.Statistics;

/// <summary>
/// The Shapley decomposition of R² (LMG): each driver's average gain in R² over all orders in which the drivers can
/// enter the model. Computed exactly from the R² of all 2^k subsets, which depend only on the correlation matrix.
/// </summary>
public static class ShapleyR2
{
    /// <summary>The largest number of drivers decomposed exactly (2^15 subsets); above it relative weights are used.</summary>
    public const int MaxDrivers = 15;

    /// <summary>Below this squared residual a driver adds nothing new to the subset before it (it is a combination of those).</summary>
    private const double Collinear = 1e-10;

    /// <summary>
    /// R² of every subset of drivers, indexed by bit mask. <paramref name="driverCorrelations"/> is k×k row-major,
    /// <paramref name="outcomeCorrelations"/> the k correlations with the outcome. Subsets are visited depth first,
    /// each extending its parent by one driver of a higher index, and each level keeps the partial correlations of the
    /// drivers not yet in the subset given those in it (one sweep of the parent's, as in Beaton's sweep operator).
    /// Adding driver j then gains c_j² / C_jj, and a child's partial correlations cost only the drivers after j:
    /// about three operations per subset on average for k = 15, instead of a regression per subset.
    /// </summary>
    public static void AllSubsets(ReadOnlySpan<double> driverCorrelations, ReadOnlySpan<double> outcomeCorrelations, Span<double> r2, Workspace? workspace = null)
    {
        var k = outcomeCorrelations.Length;
        if (k > MaxDrivers || r2.Length < 1 << k)
        {
            throw new ArgumentException($"At most {MaxDrivers} drivers, and room for 2^k values.");
        }

        var w = workspace ?? new Workspace(k);
        driverCorrelations[..(k * k)].CopyTo(w.Partial);
        outcomeCorrelations.CopyTo(w.Outcome);
        r2[0] = 0;
        Visit(r2, w, k, level: 0, mask: 0, next: 0, parentR2: 0);
    }

    private static void Visit(Span<double> r2, Workspace w, int k, int level, int mask, int next, double parentR2)
    {
        var size = k * k;
        var c = w.Partial.AsSpan(level * size, size);
        var y = w.Outcome.AsSpan(level * k, k);
        for (var j = next; j < k; j++)
        {
            var pivot = c[(j * k) + j];
            var usable = pivot > Collinear;
            var gain = usable ? y[j] * y[j] / pivot : 0;
            var value = Math.Min(parentR2 + gain, 1);
            var child = mask | (1 << j);
            r2[child] = value;
            if (j + 1 == k)
            {
                continue;
            }

            // The child's partial correlations of the drivers after j, given the subset and j (upper triangle only).
            var c2 = w.Partial.AsSpan((level + 1) * size, size);
            var y2 = w.Outcome.AsSpan((level + 1) * k, k);
            var pivotRow = c.Slice(j * k, k);
            for (var l = j + 1; l < k; l++)
            {
                // A driver with nothing left given the subset is skipped: sweeping it would divide by ~0.
                var factor = usable ? pivotRow[l] / pivot : 0;
                y2[l] = y[l] - (factor * y[j]);
                var from = c.Slice(l * k, k);
                var to = c2.Slice(l * k, k);
                for (var m = l; m < k; m++)
                {
                    to[m] = from[m] - (factor * pivotRow[m]);
                }
            }

            Visit(r2, w, k, level + 1, child, j + 1, value);
        }
    }

    /// <summary>
    /// Shapley values from the R² of all subsets: φ_j = Σ_{S∌j} |S|!(k−|S|−1)!/k! · (R²(S∪j) − R²(S)). They sum to R² of all drivers.
    /// </summary>
    public static void Values(ReadOnlySpan<double> r2, int k, Span<double> shapley)
    {
        // φ_j = Σ_s w(s−1)·A_j(s) − w(s)·(T(s) − A_j(s)), with T(s) the sum of R² over subsets of size s and A_j(s)
        // over those holding j: one pass over the subsets, touching only their members.
        Span<double> inside = stackalloc double[k * (k + 1)];
        Span<double> total = stackalloc double[k + 1];
        inside.Clear();
        total.Clear();
        var full = 1 << k;
        for (var mask = 1; mask < full; mask++)
        {
            var value = r2[mask];
            var size = System.Numerics.BitOperations.PopCount((uint)mask);
            total[size] += value;
            for (var rest = (uint)mask; rest != 0; rest &= rest - 1)
            {
                inside[(System.Numerics.BitOperations.TrailingZeroCount(rest) * (k + 1)) + size] += value;
            }
        }

        for (var j = 0; j < k; j++)
        {
            double sum = 0;
            for (var s = 1; s <= k; s++)
            {
                var a = inside[(j * (k + 1)) + s];
                sum += Weight(s - 1, k) * a;
                if (s < k)
                {
                    sum -= Weight(s, k) * (total[s] - a);
                }
            }

            shapley[j] = sum;
        }
    }

    /// <summary>s!(k−s−1)!/k!, the weight of a subset of size s not holding the driver.</summary>
    public static double Weight(int s, int k)
    {
        // 1 / (k · C(k−1, s)), computed without factorials.
        double choose = 1;
        for (var i = 1; i <= s; i++)
        {
            choose = choose * (k - 1 - s + i) / i;
        }

        return 1 / (k * choose);
    }

    /// <summary>The baseline the benchmark compares with: every subset's R² solved from scratch (Cholesky of R_SS).</summary>
    public static void AllSubsetsFromScratch(ReadOnlySpan<double> driverCorrelations, ReadOnlySpan<double> outcomeCorrelations, Span<double> r2)
    {
        var k = outcomeCorrelations.Length;
        var vars = new int[k];
        var l = new double[k * k];
        var z = new double[k];
        r2[0] = 0;
        for (var mask = 1; mask < 1 << k; mask++)
        {
            var s = 0;
            for (var j = 0; j < k; j++)
            {
                if ((mask & (1 << j)) != 0)
                {
                    vars[s++] = j;
                }
            }

            double total = 0;
            for (var a = 0; a < s; a++)
            {
                for (var b = 0; b <= a; b++)
                {
                    var sum = driverCorrelations[(vars[a] * k) + vars[b]];
                    for (var t = 0; t < b; t++)
                    {
                        sum -= l[(a * k) + t] * l[(b * k) + t];
                    }

                    l[(a * k) + b] = a == b ? Math.Sqrt(Math.Max(sum, Collinear)) : sum / l[(b * k) + b];
                }

                var y = outcomeCorrelations[vars[a]];
                for (var t = 0; t < a; t++)
                {
                    y -= l[(a * k) + t] * z[t];
                }

                z[a] = y / l[(a * k) + a];
                total += z[a] * z[a];
            }

            r2[mask] = Math.Min(total, 1);
        }
    }

    /// <summary>Scratch space for one thread: the partial correlations of each level of the subset walk.</summary>
    public sealed class Workspace(int k)
    {
        public double[] Partial { get; } = new double[(k + 1) * k * k];

        public double[] Outcome { get; } = new double[(k + 1) * k];
    }
}
