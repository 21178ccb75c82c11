using System.Globalization;

namespace OpenCem.IdentityBench;

/// <summary>The command line of the identity benchmark.</summary>
internal sealed class BenchOptions
{
    public const string Usage = """
        OpenCem identity benchmark: import of planted crm/billing/webshop CSV files (about 2.09 records per person)
        into profiles, the raw insert limit of the same rows, incremental identify calls with the profiles present,
        and a profile page with a long timeline over HTTP.

          --db sqlite|postgres|both   database kind(s) (default both)
          --persons N                 planted persons (default 478000: about 998,000 records)
          --seed N                    generator seed (default 42)
          --incremental N             single-record upserts after the import (default 2000)
          --timeline N                interactions of the profile-page customer (default 10000)
          --page-calls N              timed GETs per endpoint (default 200)
          --pg-log-ms N               PostgreSQL only: log statements slower than N ms during the import, and
                                      summarise them per statement (a profiling aid; costs time; default off)
          --out-dir DIR               where identity-<db>.md/.json and identity-progress.log go (default bench/results)
          --repeat N                  run everything N times per database, each on fresh databases; the report gives
                                      every run and the medians, with the details of the median run (default 1)
          --skip-raw                  leave out the raw-limit phase
          --import-only               stop after the import and its accuracy check (for profiling the import)
          --sqlite-analyze            experiment: run ANALYZE after the first file, inside the import's time, so that
                                      SQLite's planner has statistics for the later files
          --render DIR                only write identity-<db>.md again from identity-<db>.json in DIR (after a change
                                      to the report's layout), without measuring anything
          --revision TEXT             what to call the measured source in the report (default: git commit of the
                                      checkout and how many files under src/ differ from it)
        """;

    public IReadOnlyList<string> Databases { get; private set; } = ["sqlite", "postgres"];

    public int Persons { get; private set; } = 478_000;

    public int Seed { get; private set; } = 42;

    public int Incremental { get; private set; } = 2_000;

    public int TimelineEvents { get; private set; } = 10_000;

    public int PageCalls { get; private set; } = 200;

    public int? PgLogMs { get; private set; }

    public string? OutDir { get; private set; }

    public bool SkipRaw { get; private set; }

    public bool ImportOnly { get; private set; }

    public int Repeat { get; private set; } = 1;

    public bool SqliteAnalyze { get; private set; }

    public string? Revision { get; private set; }

    public string? Render { get; private set; }

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int(int min) => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v
                : throw new ArgumentException($"{args[i - 1]} needs a whole number of at least {min}.");

            switch (args[i])
            {
                case "--db":
                    o.Databases = Value() switch
                    {
                        "sqlite" => ["sqlite"],
                        "postgres" => ["postgres"],
                        "both" => ["sqlite", "postgres"],
                        var other => throw new ArgumentException($"--db {other}: use sqlite, postgres or both."),
                    };
                    break;
                case "--persons":
                    o.Persons = Int(PlantedSources.MinPersons);
                    if (o.Persons > PlantedSources.MaxPersons)
                    {
                        throw new ArgumentException($"--persons may be at most {PlantedSources.MaxPersons}.");
                    }

                    break;
                case "--seed":
                    o.Seed = Int(0);
                    break;
                case "--incremental":
                    o.Incremental = Int(2);
                    break;
                case "--timeline":
                    o.TimelineEvents = Int(2);
                    break;
                case "--page-calls":
                    o.PageCalls = Int(1);
                    break;
                case "--pg-log-ms":
                    o.PgLogMs = Int(0);
                    break;
                case "--out-dir":
                    o.OutDir = Value();
                    break;
                case "--skip-raw":
                    o.SkipRaw = true;
                    break;
                case "--repeat":
                    o.Repeat = Int(1);
                    break;
                case "--import-only":
                    o.ImportOnly = true;
                    break;
                case "--sqlite-analyze":
                    o.SqliteAnalyze = true;
                    break;
                case "--render":
                    o.Render = Value();
                    break;
                case "--revision":
                    o.Revision = Value();
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        return o;
    }
}
