using System.Globalization;
using System.Text;

namespace OpenCem.LoadTest;

internal sealed record Report(
    DateTimeOffset Date, MachineInfo Machine, string Db, string Database, string SourceRevision, string CommandLine, long Events, int Batch, int Connections,
    double BytesPerEvent, MaxPhaseResult Max, PacedPhaseResult? Paced, long StoredRows, long DatabaseBytes, long RawEvents,
    double HttpEventsPerSecondOverRawSpan, IReadOnlyList<RawResult> Raw, IReadOnlyList<CeilingResult> Ceilings)
{
    public string ToMarkdown()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"## {Db}: {Events:N0} events over HTTP, batches of {Batch}, {Connections} connections");
        s.AppendLine();
        var walNote = Max.MaxWalMiB is { } wal ? string.Create(CultureInfo.InvariantCulture, $" (largest WAL seen: {wal:N0} MiB)") : string.Empty;
        s.AppendLine(CultureInfo.InvariantCulture, $"OpenCem source {SourceRevision}; {Database}; {Machine.Cores} cores ({Machine.Cpu}), {Machine.MemoryGiB} GiB; {Date:yyyy-MM-dd HH:mm} UTC; "
            + $"{BytesPerEvent:N0} bytes/event on the wire; final database {StoredRows:N0} interactions, {DatabaseBytes / 1048576.0:N0} MiB{walNote}.");
        if (Max.StopReason is { } reason)
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"**The max phase stopped early: {reason}.**");
        }
        s.AppendLine();
        s.AppendLine("| phase | events/s | p50 ms | p95 ms | p99 ms | max ms | cores busy: OpenCem+client / PostgreSQL / other | CPU µs/event: OpenCem+client / PostgreSQL | disk writes MiB/s (KiB/event) |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        s.AppendLine(CultureInfo.InvariantCulture,
            $"| max (closed loop) | {Max.EventsPerSecond:N0} | {Max.Latency.P50:N1} | {Max.Latency.P95:N1} | {Max.Latency.P99:N1} | {Max.Latency.Max:N1} | {Max.Cpu.ProcessCores} / {Max.Cpu.PostgresCores} / {Max.Cpu.OtherCores} | {Max.Cpu.PerEvent(Max.Events)} | {Writes(Max.Cpu, Max.EventsPerSecond)} |");
        if (Paced is { } p)
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| paced at {p.TargetEventsPerSecond:N0}/s (open loop, from schedule) | {p.AchievedEventsPerSecond:N0} | {p.LatencyFromSchedule.P50:N1} | {p.LatencyFromSchedule.P95:N1} | {p.LatencyFromSchedule.P99:N1} | {p.LatencyFromSchedule.Max:N1} | {p.Cpu.ProcessCores} / {p.Cpu.PostgresCores} / {p.Cpu.OtherCores} | {p.Cpu.PerEvent(p.Events)} | {Writes(p.Cpu, p.AchievedEventsPerSecond)} |");
        }

        s.AppendLine();
        s.AppendLine("| events stored | segment s | events/s | p50 ms | p99 ms | cores: OpenCem+client / PostgreSQL / other | disk writes MiB/s (KiB/event) | WAL MiB at end |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var g in Max.Segments)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {g.FromEvent:N0} – {g.ToEvent:N0} | {g.Seconds:N1} | {g.EventsPerSecond:N0} | {g.Latency.P50:N1} | {g.Latency.P99:N1} | {(g.Cpu is { } c ? $"{c.ProcessCores} / {c.PostgresCores} / {c.OtherCores} | {Writes(c, g.EventsPerSecond)}" : "– | –")} | {(g.WalMiB is { } w ? w.ToString("N0", CultureInfo.InvariantCulture) : "–")} |");
        }

        if (Raw.Count > 0)
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture,
                $"Raw limits ({RawEvents:N0} events into a fresh database, no HTTP); HTTP max over its first {RawEvents:N0} events: {HttpEventsPerSecondOverRawSpan:N0} events/s.");
            s.AppendLine();
            s.AppendLine("| method | rows per transaction | events/s | transaction p50 ms | p99 ms | HTTP / raw (same span) | HTTP overall / raw | CPU µs/event: .NET (incl. untimed parse) / PostgreSQL | KiB written/event |");
            s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in Raw)
            {
                var usage = r.Cpu is { } c ? string.Create(CultureInfo.InvariantCulture, $"{c.PerEvent(r.Events)} | {c.WrittenKiBPerEvent(r.Events):N1}") : "– | –";
                s.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Method} | {r.TransactionSize} | {r.EventsPerSecond:N0} | {r.TransactionLatency.P50:N2} | {r.TransactionLatency.P99:N2} | "
                    + $"{HttpEventsPerSecondOverRawSpan / r.EventsPerSecond:P0} | {Max.EventsPerSecond / r.EventsPerSecond:P0} | {usage} |");
            }
        }

        if (Ceilings.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("Ceilings without a database (same client, bodies and connections; stub endpoint in the same process):");
            s.AppendLine();
            s.AppendLine("| stub endpoint | events/s | p50 ms | p99 ms | cores busy (process) | CPU µs/event |");
            s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (var c in Ceilings)
            {
                s.AppendLine(CultureInfo.InvariantCulture,
                    $"| {c.Stub} | {c.EventsPerSecond:N0} | {c.Latency.P50:N1} | {c.Latency.P99:N1} | {c.Cpu.ProcessCores} | {c.Cpu.ProcessCpuSeconds * 1e6 / c.Events:N1} |");
            }
        }

        return s.ToString();
    }

    /// <summary>Bytes OpenCem and PostgreSQL caused to be written, per second and per event stored.</summary>
    private static string Writes(CpuUse cpu, double eventsPerSecond) =>
        string.Create(CultureInfo.InvariantCulture, $"{cpu.DatabaseWriteMiBps:N0} ({cpu.DatabaseWriteMiBps * 1024 / eventsPerSecond:N1})");
}
