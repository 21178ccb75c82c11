using System.Globalization;

namespace OpenCem.LoadTest;

internal sealed record MachineInfo(int Cores, string Cpu, double MemoryGiB)
{
    public static MachineInfo Read()
    {
        static string? Find(string file, string prefix)
        {
            try
            {
                return File.ReadLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
            }
            catch (IOException)
            {
                return null;
            }
        }

        var memKb = Find("/proc/meminfo", "MemTotal")?.Split(' ')[0];
        return new(Environment.ProcessorCount, Find("/proc/cpuinfo", "model name") ?? "unknown",
            memKb is null ? 0 : Math.Round(long.Parse(memKb, CultureInfo.InvariantCulture) / 1048576.0, 1));
    }
}
