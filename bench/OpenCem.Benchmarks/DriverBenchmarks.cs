using BenchmarkDotNet.Attributes;
using OpenCem.Analytics.Drivers;

namespace OpenCem.Benchmarks;

/// <summary>
/// Key driver analysis on 100,000 complete responses with 500 bootstrap samples: the exact Shapley decomposition
/// (2^k subsets per sample) on all cores, on one core, and the naive baseline that solves every subset's regression
/// from scratch (all cores), for k = 5, 10 and 15 drivers. The data: 1–7 ratings with a shared factor, an outcome of
/// them plus noise, as a survey gives them. Each run copies the data first (the analysis standardises in place).
/// </summary>
[MemoryDiagnoser]
// Run in process with 1 warm-up and 5 iterations: see BENCHMARKS.md for the command.
public class DriverBenchmarks
{
    private const int Rows = 100_000;
    private const int Samples = 500;
    private double[] _data = [];
    private double[] _work = [];
    private DriverColumn[] _drivers = [];

    [Params(5, 10, 15)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var p = K + 1;
        _data = new double[Rows * p];
        _work = new double[Rows * p];
        for (var i = 0; i < Rows; i++)
        {
            var shared = Gaussian(random);
            double y = 0;
            for (var j = 0; j < K; j++)
            {
                var x = Math.Clamp(Math.Round(4.5 + (0.8 * shared) + Gaussian(random)), 1, 7);
                _data[(i * p) + j + 1] = x;
                y += (j + 1) * x;
            }

            _data[i * p] = Math.Clamp(Math.Round((y / K / 2) + Gaussian(random)), 0, 10);
        }

        _drivers = Enumerable.Range(0, K).Select(j => new DriverColumn($"q{j}", $"Driver {j}", 1, 7)).ToArray();
    }

    [Benchmark(Baseline = true, Description = "Shapley, incremental subsets, all cores")]
    public DriverResult Parallel() => Run(new DriverOptions(Samples));

    [Benchmark(Description = "Shapley, incremental subsets, one core")]
    public DriverResult SingleThread() => Run(new DriverOptions(Samples, Parallelism: 1));

    [Benchmark(Description = "Naive: every subset solved from scratch, all cores")]
    public DriverResult FromScratch() => Run(new DriverOptions(Samples, SubsetsFromScratch: true));

    private DriverResult Run(DriverOptions options)
    {
        Array.Copy(_data, _work, _data.Length);
        return DriverAnalysis.Analyse(_work, Rows, new DriverColumn("overall", "Overall", 0, 10), _drivers, options);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
