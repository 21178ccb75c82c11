using OpenCem.Analytics.Statistics;

namespace OpenCem.Analytics.Drivers;

public enum DriverMethod
{
    Shapley,
    RelativeWeights,
}

/// <summary>A column of the analysis: a question (or matrix row) and the scale its performance is put on 0–100 with.</summary>
public sealed record DriverColumn(string Question, string Title, double? ScaleMin, double? ScaleMax);

/// <summary>How to analyse: bootstrap samples, the seed that makes the intervals reproducible, threads, and the method (null: by k).</summary>
/// <remarks><see cref="SubsetsFromScratch"/> solves every subset's regression anew: the baseline the benchmark measures against.</remarks>
public sealed record DriverOptions(
    int Samples = DriverOptions.DefaultSamples, ulong Seed = DriverOptions.DefaultSeed, int Parallelism = 0, DriverMethod? Method = null, bool SubsetsFromScratch = false)
{
    public const int DefaultSamples = 500;
    public const ulong DefaultSeed = 20_061_980;
}

public sealed record DriverImportance(
    string Question, string Title, int Rank, double Share, double ShareCiLow, double ShareCiHigh, double R2Part,
    double Performance, double Performance100, string Quadrant);

public sealed record DriverResult(long N, double R2, string Method, int Samples, double MeanShare, double MeanPerformance100, IReadOnlyList<DriverImportance> Drivers);

/// <summary>A reason the data cannot be analysed, naming the request parameter it comes from.</summary>
public sealed class DriverDataException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Key driver analysis, pure: relative importance of the drivers for the outcome as shares of R² (Shapley up to 15
/// drivers, Johnson's relative weights above), percentile bootstrap intervals, performance and the priority quadrant.
/// </summary>
public static class DriverAnalysis
{
    /// <summary>
    /// Analyses <paramref name="n"/> complete rows of <paramref name="data"/> (row-major; column 0 the outcome, then the drivers).
    /// The data are standardised in place.
    /// </summary>
    public static DriverResult Analyse(double[] data, int n, DriverColumn outcome, IReadOnlyList<DriverColumn> drivers, DriverOptions options)
    {
        var k = drivers.Count;
        var p = k + 1;
        if (n < 2)
        {
            throw new DriverDataException("survey", $"Only {n} response(s) answer the outcome and every driver; at least 2 are needed.");
        }

        if (n < k + 2)
        {
            throw new DriverDataException("drivers", $"{n} complete responses are too few for {k} drivers: a model with {k} drivers needs at least {k + 2}.");
        }

        var method = options.Method ?? (k <= ShapleyR2.MaxDrivers ? DriverMethod.Shapley : DriverMethod.RelativeWeights);
        if (method == DriverMethod.Shapley && k > ShapleyR2.MaxDrivers)
        {
            throw new DriverDataException("method", $"The exact Shapley decomposition takes at most {ShapleyR2.MaxDrivers} drivers; {k} were given. Use relative-weights.");
        }

        var scales = drivers.Select(d => (d.ScaleMin, d.ScaleMax)).ToArray();
        for (var j = 0; j < k; j++)
        {
            // A number without a declared scale is placed between the smallest and largest answer given.
            if (scales[j].ScaleMin is null || scales[j].ScaleMax is null)
            {
                var (lo, hi) = (double.MaxValue, double.MinValue);
                for (var i = 0; i < n; i++)
                {
                    var v = data[(i * p) + j + 1];
                    (lo, hi) = (Math.Min(lo, v), Math.Max(hi, v));
                }

                scales[j] = (lo, hi);
            }
        }

        var (means, deviations) = Standardise(data, n, p);
        for (var j = 0; j < p; j++)
        {
            if (deviations[j] == 0)
            {
                throw j == 0
                    ? new DriverDataException("outcome", $"The outcome '{outcome.Question}' has the same answer in all {n} responses used; nothing can be explained.")
                    : new DriverDataException("drivers", $"The driver '{drivers[j - 1].Question}' has the same answer in all {n} responses used; it cannot explain anything.");
            }
        }

        var state = new SampleState(k, method, options.SubsetsFromScratch);
        var sums = CrossProducts.Sums(data, n, p);
        if (!state.Evaluate(sums, p))
        {
            throw new DriverDataException("drivers", "The drivers are linear combinations of each other; no model can be fitted.");
        }

        var parts = state.Parts.ToArray();
        var r2 = parts.Sum();
        var shares = Shares(parts, r2);

        var bootstrapShares = new double[options.Samples * k];
        if (options.Samples > 0)
        {
            var parallelism = options.Parallelism > 0 ? options.Parallelism : Environment.ProcessorCount;
            Bootstrap.Moments(data, n, p, options.Samples, options.Seed, parallelism, () => new SampleState(k, method, options.SubsetsFromScratch), (sample, moments, s) =>
            {
                var valid = s.Evaluate(moments, p);
                var total = valid ? s.Parts.Sum() : 0;
                for (var j = 0; j < k; j++)
                {
                    bootstrapShares[(sample * k) + j] = total > 1e-12 ? 100 * s.Parts[j] / total : double.NaN;
                }
            });
        }

        var performance = new double[k];
        var performance100 = new double[k];
        for (var j = 0; j < k; j++)
        {
            performance[j] = means[j + 1];
            var (min, max) = scales[j];
            performance100[j] = min is { } lo && max is { } hi && hi > lo ? Math.Clamp(100 * (performance[j] - lo) / (hi - lo), 0, 100) : double.NaN;
        }

        var meanShare = 100.0 / k;
        var known = performance100.Where(v => !double.IsNaN(v)).ToList();
        var meanPerformance = known.Count > 0 ? known.Average() : double.NaN;
        var rows = new List<DriverImportance>(k);
        for (var j = 0; j < k; j++)
        {
            var values = new List<double>(options.Samples);
            for (var b = 0; b < options.Samples; b++)
            {
                values.Add(bootstrapShares[(b * k) + j]);
            }

            var low = Bootstrap.Percentile(values, 0.025);
            var high = Bootstrap.Percentile(values, 0.975);
            rows.Add(new DriverImportance(
                drivers[j].Question, drivers[j].Title, 0, Round(shares[j]), Round(double.IsNaN(low) ? shares[j] : low), Round(double.IsNaN(high) ? shares[j] : high),
                Math.Round(parts[j], 6), Math.Round(performance[j], 4), double.IsNaN(performance100[j]) ? 0 : Round(performance100[j]),
                DriverQuadrants.Of(shares[j], meanShare, performance100[j], meanPerformance)));
        }

        var ranked = rows.OrderByDescending(d => d.Share).Select((d, i) => d with { Rank = i + 1 }).ToList();
        return new DriverResult(
            n, Math.Round(r2, 6), method == DriverMethod.Shapley ? "shapley" : "relative-weights", options.Samples, Round(meanShare),
            double.IsNaN(meanPerformance) ? 0 : Round(meanPerformance), ranked);
    }

    private static double[] Shares(double[] parts, double r2) =>
        r2 > 1e-12 ? parts.Select(v => 100 * v / r2).ToArray() : parts.Select(_ => 100.0 / parts.Length).ToArray();

    private static double Round(double value) => Math.Round(value, 2);

    /// <summary>Means and standard deviations, then z-scores in place: the cross products stay small and exact enough.</summary>
    private static (double[] Means, double[] Deviations) Standardise(double[] data, int n, int p)
    {
        var means = new double[p];
        var deviations = new double[p];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
            {
                means[j] += data[(i * p) + j];
            }
        }

        for (var j = 0; j < p; j++)
        {
            means[j] /= n;
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
            {
                var d = data[(i * p) + j] - means[j];
                deviations[j] += d * d;
            }
        }

        for (var j = 0; j < p; j++)
        {
            var sd = Math.Sqrt(deviations[j] / n);
            deviations[j] = sd > 1e-9 * Math.Max(1, Math.Abs(means[j])) ? sd : 0;
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
            {
                if (deviations[j] > 0)
                {
                    data[(i * p) + j] = (data[(i * p) + j] - means[j]) / deviations[j];
                }
            }
        }

        return (means, deviations);
    }

    /// <summary>One thread's scratch: correlations, the R² of all subsets and the decomposition of one sample.</summary>
    private sealed class SampleState(int k, DriverMethod method, bool fromScratch)
    {
        private readonly double[] _driverCorrelations = new double[k * k];
        private readonly double[] _outcomeCorrelations = new double[k];
        private readonly double[] _r2 = method == DriverMethod.Shapley ? new double[1 << k] : [];
        private readonly ShapleyR2.Workspace _workspace = new(k);

        public double[] Parts { get; private set; } = new double[k];

        public bool Evaluate(ReadOnlySpan<double> moments, int p)
        {
            if (!CrossProducts.Correlations(moments, p, _driverCorrelations, _outcomeCorrelations))
            {
                return false;
            }

            if (method == DriverMethod.Shapley)
            {
                if (fromScratch)
                {
                    ShapleyR2.AllSubsetsFromScratch(_driverCorrelations, _outcomeCorrelations, _r2);
                }
                else
                {
                    ShapleyR2.AllSubsets(_driverCorrelations, _outcomeCorrelations, _r2, _workspace);
                }

                ShapleyR2.Values(_r2, k, Parts);
            }
            else
            {
                Parts = RelativeWeights.Compute(_driverCorrelations, _outcomeCorrelations);
            }

            return Parts.All(double.IsFinite);
        }
    }
}
