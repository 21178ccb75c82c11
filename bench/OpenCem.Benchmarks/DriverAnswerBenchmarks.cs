using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using OpenCem.Analytics.Drivers;

namespace OpenCem.Benchmarks;

/// <summary>
/// The CPU side of reading the drivers endpoint's data: 100,000 stored answer objects (16 ratings, a comment and a
/// choice, as a survey stores them) parsed with <see cref="System.Text.Json.Utf8JsonReader"/> into the 16 wanted
/// columns, against a <see cref="System.Text.Json.JsonDocument"/> per response as the baseline. The database's own
/// time to hand out the rows comes on top.
/// </summary>
[MemoryDiagnoser]
// Run in process with 1 warm-up and 5 iterations: see BENCHMARKS.md for the command.
public class DriverAnswerBenchmarks
{
    private const int Rows = 100_000;
    private byte[][] _json = [];
    private byte[][] _names = [];
    private (byte[]? Row, int Column)[][] _targets = [];
    private readonly double[] _row = new double[16];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _json = new byte[Rows][];
        for (var i = 0; i < Rows; i++)
        {
            var json = new StringBuilder("{\"nps\":").Append(random.Next(0, 11)).Append(",\"reason\":\"price\"");
            for (var q = 0; q < 15; q++)
            {
                json.Append(CultureInfo.InvariantCulture, $",\"q{q}\":{random.Next(1, 8)}");
            }

            _json[i] = Encoding.UTF8.GetBytes(json.Append(",\"comment\":\"The repair took far too long, and nobody called back.\"}").ToString());
        }

        _names = new[] { "nps" }.Concat(Enumerable.Range(0, 15).Select(q => $"q{q}")).Select(Encoding.UTF8.GetBytes).ToArray();
        _targets = Enumerable.Range(0, 16).Select(c => new (byte[]?, int)[] { (null, c) }).ToArray();
    }

    [Benchmark(Description = "Utf8JsonReader, 16 wanted answers of 100,000 responses")]
    public double Reader()
    {
        double sum = 0;
        foreach (var json in _json)
        {
            Array.Fill(_row, double.NaN);
            AnswerTable.Parse(json, _names, _targets, _row);
            sum += _row[15];
        }

        return sum;
    }

    [Benchmark(Baseline = true, Description = "JsonDocument per response (baseline)")]
    public double Document()
    {
        double sum = 0;
        foreach (var json in _json)
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            for (var c = 0; c < 16; c++)
            {
                _row[c] = document.RootElement.TryGetProperty(_names[c], out var value) ? value.GetDouble() : double.NaN;
            }

            sum += _row[15];
        }

        return sum;
    }
}
