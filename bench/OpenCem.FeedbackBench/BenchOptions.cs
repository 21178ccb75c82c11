using System.Globalization;

namespace OpenCem.FeedbackBench;

/// <summary>The command line of the feedback benchmark.</summary>
internal sealed class BenchOptions
{
    public const string Usage = """
        OpenCem feedback benchmark: (1) a CSV import of generated responses to an NPS + CSAT + comment survey whose
        respondents are known customers (userId), as `opencem import responses` runs it, beside the raw insert of the
        same rows by the same bulk path; (2) HTTP load on POST /api/v1/responses against a real server on 127.0.0.1:
        the most responses per second with concurrent requests, and latency at a fixed open-loop rate.

          --db sqlite|postgres|both   database kind(s) (default both)
          --responses N               responses in the CSV file (default 200000)
          --customers N               known customers the responses come from (default 50000)
          --seed N                    generator seed (default 42)
          --repeat N                  run each scenario N times per database on fresh databases; the report gives every
                                      run and the medians (default 1)
          --concurrency N             concurrent requests in the throughput phase (default 64)
          --http-seconds N            measured seconds of each HTTP phase (default 10; 2 more of warm-up before the
                                      throughput phase)
          --rate N                    open-loop rate of the latency phase, responses/s (default 2500)
          --skip-import               leave out scenario 1
          --skip-http                 leave out scenario 2
          --out-dir DIR               where feedback-<db>.md/.json and feedback-progress.log go (default bench/results)
          --revision TEXT             what to call the measured source in the report (default: git commit)
          --render DIR                only write feedback-<db>.md again from feedback-<db>.json in DIR (after a change
                                      to the report's layout), without measuring anything
        """;

    public IReadOnlyList<string> Databases { get; private set; } = ["sqlite", "postgres"];

    public int Responses { get; private set; } = 200_000;

    public int Customers { get; private set; } = 50_000;

    public int Seed { get; private set; } = 42;

    public int Repeat { get; private set; } = 1;

    public int Concurrency { get; private set; } = 64;

    public int HttpSeconds { get; private set; } = 10;

    public int Rate { get; private set; } = 2_500;

    public bool SkipImport { get; private set; }

    public bool SkipHttp { get; private set; }

    public string? OutDir { get; private set; }

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
                case "--responses":
                    o.Responses = Int(1);
                    break;
                case "--customers":
                    o.Customers = Int(1);
                    break;
                case "--seed":
                    o.Seed = Int(0);
                    break;
                case "--repeat":
                    o.Repeat = Int(1);
                    break;
                case "--concurrency":
                    o.Concurrency = Int(1);
                    break;
                case "--http-seconds":
                    o.HttpSeconds = Int(1);
                    break;
                case "--rate":
                    o.Rate = Int(1);
                    break;
                case "--skip-import":
                    o.SkipImport = true;
                    break;
                case "--skip-http":
                    o.SkipHttp = true;
                    break;
                case "--out-dir":
                    o.OutDir = Value();
                    break;
                case "--revision":
                    o.Revision = Value();
                    break;
                case "--render":
                    o.Render = Value();
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        return o;
    }
}
