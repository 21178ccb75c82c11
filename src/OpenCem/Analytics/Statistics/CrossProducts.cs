namespace OpenCem.Analytics.Statistics;

/// <summary>
/// Sums of products of the columns [1, x₀, …, x_{p−1}] of a row-major data matrix, packed as the upper triangle row by
/// row: (0,0) is the (weighted) count, (0,j+1) the sums, the rest the cross products. Everything a linear model's R²
/// needs; a bootstrap sample differs only in the weights.
/// </summary>
public static class CrossProducts
{
    /// <summary>The number of packed entries for <paramref name="p"/> columns (plus the constant).</summary>
    public static int Size(int p) => (p + 1) * (p + 2) / 2;

    /// <summary>The packed sums over all rows, each once.</summary>
    public static double[] Sums(ReadOnlySpan<double> data, int n, int p)
    {
        var m = p + 1;
        var sums = new double[Size(p)];
        Span<double> row = stackalloc double[m];
        row[0] = 1;
        for (var i = 0; i < n; i++)
        {
            data.Slice(i * p, p).CopyTo(row[1..]);
            var e = 0;
            for (var a = 0; a < m; a++)
            {
                var x = row[a];
                for (var b = a; b < m; b++)
                {
                    sums[e++] += x * row[b];
                }
            }
        }

        return sums;
    }

    /// <summary>
    /// Correlations from packed sums: the k×k matrix among columns 1..p−1 (the drivers) and their k correlations
    /// with column 0 (the outcome). False when a column has no variance in these sums.
    /// </summary>
    public static bool Correlations(ReadOnlySpan<double> sums, int p, Span<double> driverCorrelations, Span<double> outcomeCorrelations)
    {
        var m = p + 1;
        var count = sums[0];
        Span<double> mean = stackalloc double[p];
        Span<double> cov = p <= 64 ? stackalloc double[p * p] : new double[p * p];
        for (var j = 0; j < p; j++)
        {
            mean[j] = sums[1 + j] / count;
        }

        var e = m;
        for (var a = 0; a < p; a++)
        {
            for (var b = a; b < p; b++)
            {
                var c = (sums[e++] / count) - (mean[a] * mean[b]);
                cov[(a * p) + b] = c;
                cov[(b * p) + a] = c;
            }
        }

        Span<double> sd = stackalloc double[p];
        for (var j = 0; j < p; j++)
        {
            var v = cov[(j * p) + j];
            if (!(v > 1e-12 * Math.Max(1, Math.Abs(mean[j] * mean[j]))))
            {
                return false;
            }

            sd[j] = Math.Sqrt(v);
        }

        var k = p - 1;
        for (var a = 0; a < k; a++)
        {
            outcomeCorrelations[a] = cov[a + 1] / (sd[0] * sd[a + 1]);
            for (var b = 0; b < k; b++)
            {
                driverCorrelations[(a * k) + b] = a == b ? 1 : cov[((a + 1) * p) + b + 1] / (sd[a + 1] * sd[b + 1]);
            }
        }

        return true;
    }
}
