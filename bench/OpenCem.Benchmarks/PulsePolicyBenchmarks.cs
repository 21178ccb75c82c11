using BenchmarkDotNet.Attributes;
using OpenCem.Analytics.Metrics;
using OpenCem.Organisation.Pulse;

namespace OpenCem.Benchmarks;

/// <summary>
/// The employee pulse's anonymity policy on a staff like the 20k-customer demo's: 400 employees in 4 teams, 12
/// locations and 5 tenure bands answering 8 quarterly pulses (about 70 % each time). Baseline: the policy run from
/// scratch, as every request did before. Then the remembered answer (<see cref="PulseCube.Shown"/>: building its key
/// from the cube's cells and one dictionary look-up), and a whole eNPS report by team that uses it.
/// </summary>
[MemoryDiagnoser]
// Run in process with 1 warm-up and 5 iterations: see BENCHMARKS.md for the command.
public class PulsePolicyBenchmarks
{
    private static readonly string[] Teams = ["call-centre", "shops", "field-service", "back-office"];
    private static readonly string[] Tenures = ["<1y", "1-3y", "3-8y", "8y+", "unknown"];
    private PulseCube _cube = null!;
    private PulseQuery _byTeam = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var locations = Enumerable.Range(1, 12).Select(i => $"site-{i}").ToArray();
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var rows = new List<PulseRollupRow>();
        for (var employee = 0; employee < 400; employee++)
        {
            var segment = new Dictionary<string, string>
            {
                ["answer.team"] = Teams[random.Next(Teams.Length)],
                ["answer.location"] = locations[(int)(locations.Length * random.NextDouble() * random.NextDouble())],
                ["answer.tenure"] = Tenures[random.Next(Tenures.Length)],
            };
            for (var quarter = 0; quarter < 8; quarter++)
            {
                if (random.NextDouble() < 0.7)
                {
                    var score = random.Next(0, 11);
                    rows.Add(new PulseRollupRow("enps", start.AddMonths((3 * quarter) + 1).ToUnixTimeMilliseconds(), segment, score, 1, score, score * score));
                }
            }
        }

        _cube = PulseCube.Build(
            ["team", "location", "tenure"], [Teams, locations, Tenures], rows, start.AddYears(2).AddDays(20).ToUnixTimeMilliseconds());
        _byTeam = new PulseQuery(PulseLevel.Quarter, new Dictionary<int, int>(), [0], null, null);
        _cube.Shown("enps", 5);
    }

    [Benchmark(Baseline = true, Description = "AnonymityPolicy.Shown from scratch")]
    public int PolicyFromScratch() => AnonymityPolicy.Shown(_cube.Lattice("enps"), 5).Count;

    [Benchmark(Description = "PulseCube.Shown, remembered")]
    public int Remembered() => _cube.Shown("enps", 5).Count;

    [Benchmark(Description = "PulseReport.Rows by team, remembered policy")]
    public int ReportByTeam() => PulseReport.Rows(_cube, "enps", MetricKind.Enps, _byTeam, 5).Count;
}
