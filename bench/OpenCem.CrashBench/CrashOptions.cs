using System.Globalization;

namespace OpenCem.CrashBench;

/// <summary>The crash bench's command line.</summary>
internal sealed record CrashOptions(
    string Database,
    long Events,
    int BatchSize,
    int Senders,
    int Users,
    int Kills,
    int PostgresRestarts,
    int Seed,
    string Cli,
    string? WorkDir)
{
    public bool IsPostgres => Database == "postgres";

    public long Batches => (Events + BatchSize - 1) / BatchSize;

    public const string Usage = """
        OpenCem crash bench: a client sends tracking events with retries while the server is killed with SIGKILL
        (and, on PostgreSQL, the database restarted), then the database is checked: every event exactly once, rollups
        equal to a recount.

          --db sqlite|postgres     database kind (default sqlite; postgres starts a durable throwaway cluster)
          --events N               events to send (default 1000000; must be a multiple of --batch)
          --batch N                events per /v1/batch body (default 100)
          --senders N              concurrent senders (default 8)
          --users N                distinct users (default 20000)
          --kills N                SIGKILLs of the server at random moments (default 5)
          --pg-restarts N          `pg_ctl restart -m immediate` while the server keeps running (PostgreSQL only; default 0)
          --seed N                 random seed of the events and the moments (default 11)
          --cli PATH               the opencem executable (default: the Release build of src/OpenCem.Cli in this repository)
          --work-dir DIR           where the SQLite file and server logs go (default: a fresh temp folder)
        """;

    public static CrashOptions Parse(string[] args)
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

        int Int(string name, int fallback) => values.Remove(name, out var text)
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
                ? value
                : throw new ArgumentException($"--{name} must be a whole number >= 0, not '{text}'.")
            : fallback;

        var database = values.Remove("db", out var db) ? db : "sqlite";
        var options = new CrashOptions(
            database,
            Int("events", 1_000_000),
            Int("batch", 100),
            Int("senders", 8),
            Int("users", 20_000),
            Int("kills", 5),
            Int("pg-restarts", 0),
            Int("seed", 11),
            values.Remove("cli", out var cli) ? Path.GetFullPath(cli) : DefaultCli(),
            values.Remove("work-dir", out var work) ? Path.GetFullPath(work) : null);
        if (values.Count > 0)
        {
            throw new ArgumentException($"Unknown option --{values.Keys.First()}.");
        }

        if (database is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException("--db must be sqlite or postgres.");
        }

        if (options.BatchSize == 0 || options.Events == 0 || options.Events % options.BatchSize != 0 || options.Senders == 0 || options.Users == 0)
        {
            throw new ArgumentException("--events, --batch, --senders and --users must be positive, and --events a multiple of --batch.");
        }

        if (options.PostgresRestarts > 0 && !options.IsPostgres)
        {
            throw new ArgumentException("--pg-restarts needs --db postgres.");
        }

        return options;
    }

    /// <summary>The Release CLI next to this bench in the repository (bench/OpenCem.CrashBench/bin/... up to the root).</summary>
    private static string DefaultCli()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OpenCem.slnx")))
        {
            directory = directory.Parent;
        }

        return directory is null
            ? "opencem"
            : Path.Combine(directory.FullName, "src", "OpenCem.Cli", "bin", "Release", "net10.0", "opencem");
    }
}
