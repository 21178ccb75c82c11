using System.Globalization;

namespace OpenCem.SoakBench;

/// <summary>The soak bench's command line.</summary>
internal sealed record SoakOptions(
    string Database,
    int Minutes,
    double? Rate,
    int CapacitySeconds,
    double CapacityShare,
    int BatchSize,
    int Users,
    double ResponsesPerSecond,
    double DetractorShare,
    double ReadsPerSecond,
    double FlakyFailShare,
    int Seed,
    string Cli,
    string? WorkDir,
    string OutDir)
{
    public bool IsPostgres => Database == "postgres";

    public const string Usage = """
        OpenCem soak bench: the real server (`opencem serve`) as a child process on a fresh database, with an NPS survey,
        a detractor rule (open a case, call a webhook) and webhook receivers on loopback; capacity measured first, then
        mixed load at half of it for --minutes, sampled every minute and judged against the bar (PASS/FAIL).

          --db sqlite|postgres     database kind (default sqlite; postgres starts a durable throwaway cluster)
          --minutes N              length of the mixed load (default 60)
          --rate N                 tracking events/s of the mixed load; skips the capacity measurement
          --capacity-seconds N     length of the full-speed capacity measurement (default 25)
          --capacity-share X       share of the capacity the mixed load runs at (default 0.5)
          --batch N                events per /v1/batch body (default 100)
          --users N                distinct tracking users (default 20000)
          --responses N            survey responses per second (default 2)
          --detractors X           share of responses that are detractors, NPS 0-6 (default 0.3)
          --reads N                dashboard reads per second, API and HTML pages in turn (default 2)
          --flaky X                share of deliveries the flaky webhook receiver answers with 503 (default 0.2)
          --seed N                 random seed (default 17)
          --cli PATH               the opencem executable (default: the Release build of src/OpenCem.Cli in this repository)
          --work-dir DIR           where the SQLite file and server logs go (default: a fresh temp folder, removed after a PASS)
          --out DIR                where the minute rows go (default: bench/results of this repository)
        """;

    public static SoakOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }

            values[args[i][2..]] = args[++i];
        }

        int Int(string name, int fallback, int min) => values.Remove(name, out var text)
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
                ? value
                : throw new ArgumentException($"--{name} must be a whole number >= {min}, not '{text}'.")
            : fallback;

        double Number(string name, double fallback, double min, double max) => values.Remove(name, out var text)
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new ArgumentException($"--{name} must be a number from {min} to {max}, not '{text}'.")
            : fallback;

        var database = values.Remove("db", out var db) ? db : "sqlite";
        if (database is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException("--db must be sqlite or postgres.");
        }

        double? rate = values.ContainsKey("rate") ? Number("rate", 0, 1, 1_000_000) : null;
        var root = RepositoryRoot();
        var options = new SoakOptions(
            database,
            Int("minutes", 60, 1),
            rate,
            Int("capacity-seconds", 25, 5),
            Number("capacity-share", 0.5, 0.05, 1),
            Int("batch", 100, 1),
            Int("users", 20_000, 10),
            Number("responses", 2, 0, 200),
            Number("detractors", 0.3, 0, 1),
            Number("reads", 2, 0, 100),
            Number("flaky", 0.2, 0, 0.9),
            Int("seed", 17, 0),
            values.Remove("cli", out var cli) ? Path.GetFullPath(cli)
                : root is null ? "opencem" : Path.Combine(root, "src", "OpenCem.Cli", "bin", "Release", "net10.0", "opencem"),
            values.Remove("work-dir", out var work) ? Path.GetFullPath(work) : null,
            values.Remove("out", out var output) ? Path.GetFullPath(output) : Path.Combine(root ?? ".", "bench", "results"));
        if (values.Count > 0)
        {
            throw new ArgumentException($"Unknown option --{values.Keys.First()}.");
        }

        if (options.BatchSize > 1000)
        {
            throw new ArgumentException("--batch must be at most 1000.");
        }

        return options;
    }

    /// <summary>The repository this bench was built in (bench/OpenCem.SoakBench/bin/... up to the folder with OpenCem.slnx).</summary>
    private static string? RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OpenCem.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName;
    }
}
