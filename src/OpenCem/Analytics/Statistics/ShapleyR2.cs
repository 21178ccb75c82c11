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
    /// <paramref name="outcomeCorrelations"/> the k correlations with the outcome. Subsets are visited depth first, each
    /// extending its parent by one driver, so its Cholesky factor grows by one row: O(k²) per subset, not O(k³).
    /// </summary>
    public static void AllSubsets(ReadOnlySpan<double> driverCorrelations, ReadOnlySpan<double> outcomeCorrelations, Span<double> r2, Workspace? workspace = null)
    {
        var k = outcomeCorrelations.Length;
        if (k > MaxDrivers || r2.Length < 1 << k)
        {
            throw new ArgumentException($"At most {MaxDrivers} drivers, and room for 2^k values.");
        }

        var w = workspace ?? new Workspace(k);
        r2[0] = 0;
        Visit(driverCorrelations, outcomeCorrelations, r2, w, k, depth: 0, mask: 0, next: 0, parentR2: 0);
    }

    private static void Visit(ReadOnlySpan<double> corr, ReadOnlySpan<double> r, Span<double> r2, Workspace w, int k, int depth, int mask, int next, double parentR2)
    {
        var l = w.L;
        var z = w.Z;
        var vars = w.Vars;
        var row = depth * k;
        for (var j = next; j < k; j++)
        {
            // The new row of the Cholesky factor: solve L l = R[S, j] by forward substitution.
            double squares = 0, projected = 0;
            for (var i = 0; i < depth; i++)
            {
                var s = corr[(vars[i] * k) + j];
                var li = i * k;
                for (var t = 0; t < i; t++)
                {
                    s -= l[li + t] * l[row + t];
                }

                s /= l[li + i];
                l[row + i] = s;
                squares += s * s;
                projected += s * z[i];
            }

            var residual = corr[(j * k) + j] - squares;
            double gain;
            if (residual > Collinear)
            {
                var d = Math.Sqrt(residual);
                l[row + depth] = d;
                z[depth] = (r[j] - projected) / d;
                gain = z[depth] * z[depth];
            }
            else
            {
                // Nothing new in driver j given the subset: an infinite diagonal makes later rows ignore it.
                l[row + depth] = double.PositiveInfinity;
                z[depth] = 0;
                gain = 0;
            }

            var value = Math.Min(parentR2 + gain, 1);
            var child = mask | (1 << j);
            r2[child] = value;
            vars[depth] = j;
            if (j + 1 < k)
            {
                Visit(corr, r, r2, w, k, depth + 1, child, j + 1, value);
            }
        }
    }

    /// <summary>
    /// Shapley values from the R² of all subsets: φ_j = Σ_{S∌j} |S|!(k−|S|−1)!/k! · (R²(S∪j) − R²(S)). They sum to R² of all drivers.
    /// </summary>
    public static void Values(ReadOnlySpan<double> r2, int k, Span<double> shapley)
    {
        Span<double> weights = stackalloc double[k];
        for (var s = 0; s < k; s++)
        {
            weights[s] = Weight(s, k);
        }

        shapley[..k].Clear();
        var full = 1 << k;
        for (var mask = 0; mask < full; mask++)
        {
            var value = r2[mask];
            var size = System.Numerics.BitOperations.PopCount((uint)mask);
            if (size == k)
            {
                continue;
            }

            var w = weights[size];
            for (var j = 0; j < k; j++)
            {
                if ((mask & (1 << j)) == 0)
                {
                    shapley[j] += w * (r2[mask | (1 << j)] - value);
                }
            }
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

    /// <summary>Scratch space for one thread: the growing Cholesky factor, the projected outcome and the subset's drivers.</summary>
    public sealed class Workspace(int k)
    {
        public double[] L { get; } = new double[k * k];

        public double[] Z { get; } = new double[k];

        public int[] Vars { get; } = new int[k];
    }
}
