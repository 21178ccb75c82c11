using System.Globalization;

namespace OpenCem.SoakBench;

/// <summary>What the kernel says about the server process: resident memory and CPU time (from /proc/PID), and the machine's load.</summary>
internal static class ServerStats
{
    /// <summary>VmRSS of the process in MiB; NaN when it cannot be read (the process is gone).</summary>
    public static double RssMiB(int pid) => StatusMiB(pid, "VmRSS:");

    /// <summary>
    /// RssAnon in MiB: the resident memory that is the process's own (heaps, SQLite's page caches), without the mapped
    /// files and shared memory (SQLite's WAL index) that VmRSS also counts.
    /// </summary>
    public static double RssAnonMiB(int pid) => StatusMiB(pid, "RssAnon:");

    private static double StatusMiB(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return double.NaN;
    }

    /// <summary>User plus system CPU seconds the process used so far (fields 14 and 15 of /proc/PID/stat; 100 ticks a second).</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    /// <summary>The one-minute load average: how busy the shared machine was besides us.</summary>
    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or FormatException)
        {
            return double.NaN;
        }
    }
}
