using System.Globalization;

namespace OpenCem.LoadTest;

/// <summary>The command line of the load test.</summary>
internal sealed class LoadTestOptions
{
    public const string Usage = """
        OpenCem ingestion load test: HTTP /v1/batch against an in-process server on 127.0.0.1, then the raw limits.

          --db sqlite|postgres     database kind (default sqlite)
          --events N               events to store in the "max" phase (default 1000000)
          --connections N          concurrent HTTP senders in the "max" phase (default 8)
          --batch N                events per /v1/batch request (default 100)
          --rate-fraction F        the paced phase sends at F times the measured max throughput (default 0.5)
          --paced-seconds S        length of the paced phase (default 25)
          --segment N              events per throughput segment (default 1000000, or events/5 when fewer than 2M)
          --raw-events N           events for the raw-limit phases (default min(events, 2000000))
          --raw-batches A,B        transaction sizes for the raw-limit phases (default: --batch)
          --users N                distinct userIds at the end of the run; the pool grows from N/10 (default 5000)
          --pg "Host=..."          use this PostgreSQL server (needs CREATE DATABASE) instead of a throwaway cluster
          --pg-nondurable          throwaway cluster with fsync and synchronous_commit off (the tests' settings)
          --work-dir DIR           where SQLite files go (default: a new temp folder, deleted at the end)
          --max-seconds S          hard limit for the "max" phase (default 3600)
          --min-free-gib N         stop any phase when the database's disk has less free space (default 15)
          --skip-paced, --skip-raw leave out a phase
          --ceilings               also measure stub endpoints (HTTP only; HTTP + parsing) with up to 1M of the bodies
          --seed N                 generator seed (default 42)
          --out FILE               write the results as JSON
        """;

    public string Db { get; private set; } = "sqlite";

    public long Events { get; private set; } = 1_000_000;

    public int Connections { get; private set; } = 8;

    public int Batch { get; private set; } = 100;

    public double RateFraction { get; private set; } = 0.5;

    public double PacedSeconds { get; private set; } = 25;

    public long Segment { get; private set; }

    public long RawEvents { get; private set; }

    public IReadOnlyList<int> RawBatches { get; private set; } = [];

    public int Users { get; private set; } = 5000;

    public string? Pg { get; private set; }

    public bool PgDurable { get; private set; } = true;

    public string? WorkDir { get; private set; }

    public double MaxSeconds { get; private set; } = 3600;

    public double MinFreeGiB { get; private set; } = 15;

    public bool SkipPaced { get; private set; }

    public bool SkipRaw { get; private set; }

    public bool Ceilings { get; private set; }

    public int Seed { get; private set; } = 42;

    public string? Out { get; private set; }

    public bool IsPostgres => Db == "postgres";

    public static LoadTestOptions Parse(string[] args)
    {
        var o = new LoadTestOptions();
        long? segment = null, rawEvents = null;
        string? rawBatches = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--db":
                    o.Db = Value().ToLowerInvariant() switch
                    {
                        "sqlite" => "sqlite",
                        "postgres" or "postgresql" or "pg" => "postgres",
                        var other => throw new ArgumentException($"--db {other}: use sqlite or postgres."),
                    };
                    break;
                case "--events": o.Events = Long(name, Value()); break;
                case "--connections": o.Connections = (int)Long(name, Value()); break;
                case "--batch": o.Batch = (int)Long(name, Value()); break;
                case "--rate-fraction": o.RateFraction = Double(name, Value()); break;
                case "--paced-seconds": o.PacedSeconds = Double(name, Value()); break;
                case "--segment": segment = Long(name, Value()); break;
                case "--raw-events": rawEvents = Long(name, Value()); break;
                case "--raw-batches": rawBatches = Value(); break;
                case "--users": o.Users = (int)Long(name, Value()); break;
                case "--pg": o.Pg = Value(); o.Db = "postgres"; break;
                case "--pg-nondurable": o.PgDurable = false; break;
                case "--work-dir": o.WorkDir = Value(); break;
                case "--max-seconds": o.MaxSeconds = Double(name, Value()); break;
                case "--min-free-gib": o.MinFreeGiB = Double(name, Value()); break;
                case "--skip-paced": o.SkipPaced = true; break;
                case "--skip-raw": o.SkipRaw = true; break;
                case "--ceilings": o.Ceilings = true; break;
                case "--seed": o.Seed = (int)Long(name, Value()); break;
                case "--out": o.Out = Value(); break;
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }

        if (o.Events < o.Batch || o.Batch is < 1 or > 1000 || o.Connections is < 1 or > 256 || o.Users < 10
            || o.RateFraction is <= 0 or > 2 || o.PacedSeconds is <= 0 or > 600 || o.MaxSeconds <= 0)
        {
            throw new ArgumentException("Out of range: need events >= batch, 1 <= batch <= 1000, 1 <= connections <= 256, users >= 10, "
                + "0 < rate-fraction <= 2, 0 < paced-seconds <= 600.");
        }

        // Whole requests only.
        o.Events = o.Events / o.Batch * o.Batch;
        o.Segment = Math.Max(o.Batch, segment ?? (o.Events >= 2_000_000 ? 1_000_000 : Math.Max(o.Batch, o.Events / 5))) / o.Batch * o.Batch;
        o.RawEvents = Math.Clamp(rawEvents ?? Math.Min(o.Events, 2_000_000), o.Batch, o.Events) / o.Batch * o.Batch;
        o.RawBatches = rawBatches is null
            ? [o.Batch]
            : rawBatches.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(b => (int)Long("--raw-batches", b)).ToArray();
        if (o.RawBatches.Any(b => b is < 1 or > 10_000))
        {
            throw new ArgumentException("--raw-batches: each size must be between 1 and 10000.");
        }

        return o;
    }

    private static long Long(string name, string value) =>
        long.TryParse(value.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} {value}: expected a positive whole number.");

    private static double Double(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new ArgumentException($"{name} {value}: expected a number.");
}
