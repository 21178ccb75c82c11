using System.Diagnostics;
using System.Globalization;

namespace OpenCem.Value.Fits;

/// <summary>
/// The wall time of each phase of one fit (read, summarise, BG/NBD, Gamma-Gamma, holdout, valuation, write), in
/// order, so a slow fit says where its time went (the runner logs it; the benchmark prints it).
/// </summary>
public sealed class ClvFitPhases
{
    private readonly List<(string Phase, TimeSpan Took)> _phases = [];
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public IReadOnlyList<(string Phase, TimeSpan Took)> Phases => _phases;

    /// <summary>Ends the phase running since the last mark (or the start).</summary>
    public void Mark(string phase)
    {
        _phases.Add((phase, _watch.Elapsed));
        _watch.Restart();
    }

    public override string ToString() =>
        string.Join(", ", _phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Phase} {p.Took.TotalSeconds:0.00} s")));
}
