namespace OpenCem.LoadTest;

/// <summary>Latency percentiles in milliseconds.</summary>
internal sealed record LatencySummary(int Count, double P50, double P95, double P99, double Max)
{
    public static LatencySummary From(ReadOnlySpan<double> milliseconds)
    {
        if (milliseconds.IsEmpty)
        {
            return new(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = milliseconds.ToArray();
        Array.Sort(sorted);
        return new(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99), sorted[^1]);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double q) =>
        sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>CPU time of this process and of the whole machine, to see who used the two cores.</summary>
internal readonly record struct CpuSample(TimeSpan Process, long MachineBusyTicks, long MachineTotalTicks, long Timestamp)
{
    public static CpuSample Take()
    {
        long busy = 0, total = 0;
        try
        {
            // First line of /proc/stat: cpu user nice system idle iowait irq softirq steal ...
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            total = fields.Take(8).Sum();
            busy = total - fields[3] - fields[4];
        }
        catch (IOException)
        {
        }

        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new(self.TotalProcessorTime, busy, total, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    /// <summary>Cores used by this process, by the whole machine, and the machine's iowait share, since <paramref name="start"/>.</summary>
    public CpuUse Since(CpuSample start)
    {
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds;
        var cores = Environment.ProcessorCount;
        var machineTotal = MachineTotalTicks - start.MachineTotalTicks;
        var machineBusy = machineTotal > 0 ? (double)(MachineBusyTicks - start.MachineBusyTicks) / machineTotal * cores : double.NaN;
        return new CpuUse(Math.Round((Process - start.Process).TotalSeconds / seconds, 2), Math.Round(machineBusy, 2), cores);
    }
}

/// <summary>Average cores busy: this process (the server and the load generator), and the machine (adds the PostgreSQL server).</summary>
internal sealed record CpuUse(double ProcessCores, double MachineCores, int Cores);
