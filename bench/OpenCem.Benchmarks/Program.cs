using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(OpenCem.Benchmarks.IngestionBenchmarks).Assembly).Run(args);
