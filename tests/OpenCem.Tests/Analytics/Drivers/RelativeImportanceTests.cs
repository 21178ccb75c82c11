using OpenCem.Analytics.Statistics;

namespace OpenCem.Tests.Analytics.Drivers;

/// <summary>The exact Shapley decomposition and relative weights against brute force and published examples.</summary>
public sealed class RelativeImportanceTests
{
    [Theory]
    [InlineData(1, 11)]
    [InlineData(3, 12)]
    [InlineData(5, 13)]
    [InlineData(6, 14)]
    public void Shapley_RandomCorrelatedData_EqualsTheAverageGainOverAllPermutations(int k, int seed)
    {
        var (rxx, rxy) = RandomCorrelations(k, 400, seed, collinearity: 0.6);
        var r2 = new double[1 << k];
        ShapleyR2.AllSubsets(rxx, rxy, r2);
        var shapley = new double[k];
        ShapleyR2.Values(r2, k, shapley);

        var brute = BruteForce(rxx, rxy, k);
        for (var j = 0; j < k; j++)
        {
            Assert.Equal(brute[j], shapley[j], 10);
        }

        Assert.Equal(r2[(1 << k) - 1], shapley.Sum(), 10);
    }

    [Fact]
    public void AllSubsets_Incremental_EqualsEverySubsetSolvedFromScratch()
    {
        const int k = 10;
        var (rxx, rxy) = RandomCorrelations(k, 500, 21, collinearity: 0.8);
        var incremental = new double[1 << k];
        var scratch = new double[1 << k];
        ShapleyR2.AllSubsets(rxx, rxy, incremental);
        ShapleyR2.AllSubsetsFromScratch(rxx, rxy, scratch);
        for (var mask = 0; mask < 1 << k; mask++)
        {
            Assert.Equal(scratch[mask], incremental[mask], 10);
        }
    }

    [Fact]
    public void Shapley_AttitudeData_MatchesThePublishedDominanceAnalysis()
    {
        var (rxx, rxy) = Correlations(PublishedExamples.Attitude);
        const int k = 6;
        var r2 = new double[1 << k];
        ShapleyR2.AllSubsets(rxx, rxy, r2);
        var lmg = new double[k];
        ShapleyR2.Values(r2, k, lmg);

        Assert.Equal(PublishedExamples.AttitudeR2, r2[(1 << k) - 1], 3);
        for (var j = 0; j < k; j++)
        {
            Assert.True(Math.Abs(PublishedExamples.AttitudeLmg[j] - lmg[j]) <= 0.0005, $"predictor {j}: published {PublishedExamples.AttitudeLmg[j]}, computed {lmg[j]:F5}");
        }

        // Two of the published subset fits: complaints + learning 0.708, learning + raises + advance 0.552.
        Assert.Equal(0.708, r2[0b000101], 3);
        Assert.Equal(0.552, r2[0b101100], 3);
    }

    [Fact]
    public void RelativeWeights_Mtcars_MatchThePublishedRawWeights()
    {
        var (rxx, rxy) = Correlations(PublishedExamples.Mtcars);
        var weights = RelativeWeights.Compute(rxx, rxy);
        for (var j = 0; j < weights.Length; j++)
        {
            Assert.Equal(PublishedExamples.MtcarsRelativeWeights[j], weights[j], 6);
        }

        Assert.Equal(PublishedExamples.MtcarsR2, weights.Sum(), 6);
    }

    [Fact]
    public void RelativeWeights_LowCollinearity_AgreeWithShapleyWithinAFractionOfAPoint()
    {
        const int k = 8;
        var (rxx, rxy) = RandomCorrelations(k, 5000, 5, collinearity: 0.2);
        var r2 = new double[1 << k];
        ShapleyR2.AllSubsets(rxx, rxy, r2);
        var shapley = new double[k];
        ShapleyR2.Values(r2, k, shapley);
        var weights = RelativeWeights.Compute(rxx, rxy);

        Assert.Equal(shapley.Sum(), weights.Sum(), 10);
        for (var j = 0; j < k; j++)
        {
            Assert.True(Math.Abs((100 * shapley[j] / shapley.Sum()) - (100 * weights[j] / weights.Sum())) < 0.5, $"driver {j}");
        }
    }

    [Fact]
    public void Shapley_DuplicatedDriver_SplitsItsShareAndStaysFinite()
    {
        // x1 twice: the decomposition must not blow up on the singular subset and gives both copies the same share.
        double[] rxx = [1, 1, 0.3, 1, 1, 0.3, 0.3, 0.3, 1];
        double[] rxy = [0.6, 0.6, 0.2];
        var r2 = new double[8];
        ShapleyR2.AllSubsets(rxx, rxy, r2);
        var shapley = new double[3];
        ShapleyR2.Values(r2, 3, shapley);

        Assert.All(shapley, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(shapley[0], shapley[1], 10);
        Assert.Equal(r2[0b011], r2[0b001], 10);
    }

    [Fact]
    public void Weight_SumsOverAllSubsetsOfOthersToOne()
    {
        const int k = 7;
        double total = 0;
        for (var s = 0; s < k; s++)
        {
            total += ShapleyR2.Weight(s, k) * Choose(k - 1, s);
        }

        Assert.Equal(1, total, 12);
    }

    private static double Choose(int n, int r) => r == 0 ? 1 : Choose(n - 1, r - 1) * n / r;

    /// <summary>The average marginal R² gain of each driver over all k! orders, with R² solved from scratch.</summary>
    private static double[] BruteForce(double[] rxx, double[] rxy, int k)
    {
        var r2 = new double[1 << k];
        ShapleyR2.AllSubsetsFromScratch(rxx, rxy, r2);
        var totals = new double[k];
        var orders = 0;
        foreach (var order in Permutations(Enumerable.Range(0, k).ToArray()))
        {
            var mask = 0;
            foreach (var j in order)
            {
                totals[j] += r2[mask | (1 << j)] - r2[mask];
                mask |= 1 << j;
            }

            orders++;
        }

        return totals.Select(t => t / orders).ToArray();
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, index) => index != i).ToArray();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }

    internal static (double[] Rxx, double[] Rxy) Correlations(double[,] table)
    {
        var (data, n, p) = PublishedExamples.Flatten(table);
        return Correlations(data, n, p);
    }

    internal static (double[] Rxx, double[] Rxy) Correlations(double[] data, int n, int p)
    {
        var k = p - 1;
        var rxx = new double[k * k];
        var rxy = new double[k];
        Assert.True(CrossProducts.Correlations(CrossProducts.Sums(data, n, p), p, rxx, rxy));
        return (rxx, rxy);
    }

    /// <summary>Correlated drivers (a shared factor of weight <paramref name="collinearity"/>) and an outcome of them plus noise.</summary>
    internal static (double[] Rxx, double[] Rxy) RandomCorrelations(int k, int n, int seed, double collinearity)
    {
        var data = RandomData(k, n, seed, collinearity);
        return Correlations(data, n, k + 1);
    }

    internal static double[] RandomData(int k, int n, int seed, double collinearity)
    {
        var random = new Random(seed);
        var p = k + 1;
        var data = new double[n * p];
        for (var i = 0; i < n; i++)
        {
            var shared = Gaussian(random);
            double y = 0;
            for (var j = 0; j < k; j++)
            {
                var x = (collinearity * shared) + Gaussian(random);
                data[(i * p) + j + 1] = Math.Round(4 + x, 1);
                y += (j + 1) * 0.3 * x;
            }

            data[i * p] = y + (2 * Gaussian(random));
        }

        return data;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
