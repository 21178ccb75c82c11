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

/// <summary>CPU time of this process, of the PostgreSQL server under test and of the whole machine, to see who used the cores.</summary>
internal readonly partial record struct CpuSample(
    TimeSpan Process, IReadOnlyDictionary<int, (long Ticks, long WriteBytes)>? Postgres, long MachineBusyTicks, long MachineTotalTicks,
    long MachineIoWaitTicks, long ProcessWriteBytes, long DiskWriteBytes, long Timestamp)
{
    /// <summary>The postmaster of the cluster under test, when there is one: its children are counted as PostgreSQL.</summary>
    public static int? PostmasterPid { get; set; }

    public static CpuSample Take()
    {
        long busy = 0, total = 0, ioWait = 0;
        try
        {
            // First line of /proc/stat: cpu user nice system idle iowait irq softirq steal ...
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            total = fields.Take(8).Sum();
            ioWait = fields[4];
            busy = total - fields[3] - fields[4];
        }
        catch (IOException)
        {
        }

        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new(self.TotalProcessorTime, PostgresNow(), busy, total, ioWait, WriteBytes("self"), DiskWriteBytesNow(),
            System.Diagnostics.Stopwatch.GetTimestamp());
    }

    /// <summary>Cores used by this process, the PostgreSQL server, the whole machine, since <paramref name="start"/>.</summary>
    public CpuUse Since(CpuSample start)
    {
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds;
        var cores = Environment.ProcessorCount;
        var machineTotal = MachineTotalTicks - start.MachineTotalTicks;
        var machineBusy = machineTotal > 0 ? (double)(MachineBusyTicks - start.MachineBusyTicks) / machineTotal * cores : double.NaN;
        var process = (Process - start.Process).TotalSeconds / seconds;
        // Per server process, what it used since the start sample (all of it for processes started since);
        // processes that ended in between are missed. /proc ticks are USER_HZ, 100 per second on Linux.
        long postgresTicks = 0, postgresWrites = 0;
        foreach (var (pid, now) in Postgres ?? new Dictionary<int, (long, long)>())
        {
            var before = start.Postgres?.GetValueOrDefault(pid) ?? default;
            postgresTicks += Math.Max(0, now.Ticks - before.Ticks);
            postgresWrites += Math.Max(0, now.WriteBytes - before.WriteBytes);
        }

        var postgres = postgresTicks / 100.0 / seconds;
        var ioWait = machineTotal > 0 ? (double)(MachineIoWaitTicks - start.MachineIoWaitTicks) / machineTotal * cores : double.NaN;
        const double MiB = 1048576.0;
        return new CpuUse(
            Math.Round(process, 2), Math.Round(postgres, 2), Math.Round(Math.Max(0, machineBusy - process - postgres), 2), Math.Round(machineBusy, 2),
            Math.Round(ioWait, 2), cores, Math.Round(seconds, 2), (Process - start.Process).TotalSeconds, postgresTicks / 100.0,
            Math.Round((ProcessWriteBytes - start.ProcessWriteBytes + postgresWrites) / MiB / seconds, 1),
            Math.Round((DiskWriteBytes - start.DiskWriteBytes) / MiB / seconds, 1));
    }

    /// <summary>Bytes this process (or another, by pid) caused to be written to storage, from /proc/PID/io.</summary>
    private static long WriteBytes(string pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/io").FirstOrDefault(l => l.StartsWith("write_bytes:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["write_bytes:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    /// <summary>Sectors written to whole disks (not partitions) since boot, in bytes, from /proc/diskstats.</summary>
    private static long DiskWriteBytesNow()
    {
        try
        {
            long sectors = 0;
            foreach (var line in File.ReadLines("/proc/diskstats"))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // Whole virtio/SCSI/NVMe disks only; field 10 is sectors written (512 bytes each).
                if (f.Length > 9 && WholeDisk().IsMatch(f[2]))
                {
                    sectors += long.Parse(f[9], System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return sectors * 512;
        }
        catch (Exception exception) when (exception is IOException or FormatException)
        {
            return 0;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^((s|v|xv)d[a-z]+|nvme[0-9]+n[0-9]+)$")]
    private static partial System.Text.RegularExpressions.Regex WholeDisk();

    private static Dictionary<int, (long Ticks, long WriteBytes)>? PostgresNow()
    {
        if (PostmasterPid is not { } postmaster)
        {
            return null;
        }

        var processes = new Dictionary<int, (long, long)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!int.TryParse(name, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // After the command in parentheses: state ppid ... utime is field 14, stime 15 (1-based, whole line).
                var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ppid = int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture);
                if (pid == postmaster || ppid == postmaster)
                {
                    processes[pid] = (
                        long.Parse(rest[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(rest[12], System.Globalization.CultureInfo.InvariantCulture),
                        WriteBytes(name));
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we looked.
            }
        }

        return processes;
    }
}

/// <summary>Average cores busy: this process (server and load generator), the PostgreSQL server, anything else, and the machine in all.</summary>
internal sealed record CpuUse(
    double ProcessCores, double PostgresCores, double OtherCores, double MachineCores, double IoWaitCores, int Cores,
    double Seconds, double ProcessCpuSeconds, double PostgresCpuSeconds, double DatabaseWriteMiBps, double DiskWriteMiBps)
{
    /// <summary>CPU microseconds per event: this process and the PostgreSQL server.</summary>
    public string PerEvent(long events) => events <= 0
        ? "–"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ProcessCpuSeconds * 1e6 / events:N1} / {PostgresCpuSeconds * 1e6 / events:N1}");

    /// <summary>KiB written to storage per event by this process and PostgreSQL.</summary>
    public double WrittenKiBPerEvent(long events) => events <= 0 ? double.NaN : Math.Round(DatabaseWriteMiBps * Seconds * 1024 / events, 1);

    public override string ToString() =>
        $"this process {ProcessCores}, PostgreSQL {PostgresCores}, other {OtherCores} (machine {MachineCores} of {Cores}, iowait {IoWaitCores}); "
        + $"written by OpenCem/PostgreSQL {DatabaseWriteMiBps} MiB/s, disk {DiskWriteMiBps} MiB/s";
}
