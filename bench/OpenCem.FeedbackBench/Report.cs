using System.Globalization;
using System.Text;

namespace OpenCem.FeedbackBench;

internal sealed record BenchReport(
    DateTimeOffset Date, MachineInfo Machine, string Db, string Database, string SourceRevision, string CommandLine, bool ServerGc,
    int Responses, int Customers, int Seed, IReadOnlyList<ImportResult> Imports, IReadOnlyList<HttpResult> Http)
{
    public const double ImportTargetPerSecond = 100_000;
    public const double HttpTargetPerSecond = 5_000;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public string ToMarkdown()
    {
        var s = new StringBuilder();
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        var sqlite = Db == "sqlite";
        string Target(double target, bool met) => sqlite
            ? $"target ≥ {target.ToString("N0", CultureInfo.InvariantCulture)}/s on SQLite: {(met ? "**met**" : "**missed**")}"
            : $"the ≥ {target.ToString("N0", CultureInfo.InvariantCulture)}/s target is for SQLite";
        static string MiB(double value) => value > 0 ? $"{value:N0} MiB" : "–";

        Line($"# Feedback benchmark: {Db}");
        Line($"");
        Line($"- Date: {Date:yyyy-MM-dd HH:mm} UTC; source {SourceRevision}");
        Line($"- Machine: {Machine.Cores} cores, {Machine.Cpu}, {Machine.MemoryGiB} GiB; .NET {Environment.Version}, server GC {ServerGc}");
        Line($"- Database: {Database}");
        Line($"- Command: `{CommandLine}`");
        Line($"- Data: an NPS (0–10, required) + CSAT (1–5) + comment survey; {Customers:N0} known customers (source crm, userId and e-mail); seed {Seed}.");
        Line($"- The machine's 2 cores are shared: \"other\" below is CPU that neither this process nor PostgreSQL used (other tenants), in cores.");
        Line($"");
        if (Imports.Count > 0)
        {
            var rate = Median(Imports.Select(i => i.ResponsesPerSecond));
            var raw = Median(Imports.Select(i => i.Raw.RowsPerSecond));
            Line($"## 1. CSV import of {Responses:N0} responses");
            Line($"");
            Line($"What `opencem import responses FILE --survey ID` does, in process: read the CSV ({Imports[0].CsvBytes / 1048576.0:N1} MiB: responseId, userId, submittedAt, nps, csat, comment) with CsvHelper, validate each row as a complete response in parallel blocks, look the respondents up, insert by the bulk path and fold the rollups, committed in chunks of 50,000. The raw limit inserts the stored rows again into an empty `survey_responses` (same indexes) by the same bulk path (`ResponseBulkInsert`) in one transaction, without reading, validation, lookups or rollups.");
            Line($"");
            var cli = Median(Imports.Select(i => i.Cli.ResponsesPerSecond));
            Line($"**Median: {rate:N0} responses/s** ({Target(ImportTargetPerSecond, rate >= ImportTargetPerSecond)}); raw insert {raw:N0} rows/s; import ÷ raw = {rate / raw:N2}. The same file through `opencem import responses` in a new process (start-up, schema check and JIT of a cold process included): median {cli:N0} responses/s.");
            Line($"");
            Line($"| run | import s | responses/s | raw s | raw rows/s | import ÷ raw | cores .NET / PostgreSQL / other | GC gen0/1/2, pause | allocated | CLI process s | CLI responses/s |");
            Line($"| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |");
            foreach (var i in Imports)
            {
                Line($"| {i.Run} | {i.Seconds:N2} | {i.ResponsesPerSecond:N0} | {i.Raw.Seconds:N2} | {i.Raw.RowsPerSecond:N0} | {i.ImportOverRaw:N2} | {i.Cpu.ProcessCores} / {i.Cpu.PostgresCores} / {i.Cpu.OtherCores} | {i.Gc.Gen0}/{i.Gc.Gen1}/{i.Gc.Gen2}, {i.Gc.PauseMs} ms | {MiB(i.Gc.AllocatedMiB)} | {i.Cli.Seconds:N2} | {i.Cli.ResponsesPerSecond:N0} |");
            }

            Line($"");
            Line($"Run 1 is the first in this process (its code not yet compiled); runs 2 and later run warm code, as a server does. A \"–\" for allocated bytes is a run where the runtime's imprecise allocation counter did not move (measured precisely since).");

            Line($"");
            Line($"Phases of each run (reading and validating overlaps with storing; the others are the storing side):");
            Line($"");
            Line($"| run | {string.Join(" | ", Imports[0].Phases.Select(p => p.Phase))} |");
            Line($"| ---: |{string.Concat(Imports[0].Phases.Select(_ => " ---: |"))}");
            foreach (var i in Imports)
            {
                Line($"| {i.Run} | {string.Join(" | ", i.Phases.Select(p => p.Seconds.ToString("N2", CultureInfo.InvariantCulture)))} |");
            }

            Line($"");
            Line($"Checks: every run stored all {Responses:N0} responses with none rejected; the summary counts {Imports[0].SummaryN:N0} (NPS {Imports[0].SummaryNps}); {Imports[0].RespondentsLinked:N0} existing profiles got responses.");
            Line($"");
        }

        if (Http.Count > 0)
        {
            var max = Median(Http.Select(h => h.Max.ResponsesPerSecond));
            var p50 = Median(Http.Select(h => h.Paced.FromSchedule.P50));
            var p99 = Median(Http.Select(h => h.Paced.FromSchedule.P99));
            var first = Http[0];
            Line($"## 2. HTTP load on POST /api/v1/responses");
            Line($"");
            Line($"A real server on 127.0.0.1 in this process (Kestrel, admin key, group commit of {OpenCem.Feedback.Responses.ResponseQueue.MaxResponsesPerCommit:N0} responses at most per transaction), each request one complete response of a known customer with its own responseId. The load generator runs on the same 2 cores.");
            Line($"");
            Line($"- Throughput, {first.Max.Concurrency} concurrent requests (closed loop, 2 s warm-up, {first.Max.Seconds:N0} s measured): **median {max:N0} responses/s** ({Target(HttpTargetPerSecond, max >= HttpTargetPerSecond)}).");
            Line($"- Latency at a fixed open-loop rate of {first.Paced.TargetPerSecond:N0}/s for {first.Paced.Seconds:N0} s, counted from each request's due time: **median p50 {p50:N2} ms, p99 {p99:N2} ms**.");
            Line($"");
            Line($"| run | max responses/s | p50 / p99 ms at max | failed | cores .NET / PostgreSQL / other at max | CPU µs per response (.NET + PostgreSQL) | paced achieved/s | p50 / p99 / max ms from schedule | service p50 / p99 ms | failed |");
            Line($"| ---: | ---: | --- | ---: | --- | --- | ---: | --- | --- | ---: |");
            foreach (var h in Http)
            {
                Line($"| {h.Run} | {h.Max.ResponsesPerSecond:N0} | {h.Max.Latency.P50:N1} / {h.Max.Latency.P99:N1} | {h.Max.Failed} | {h.Max.Cpu.ProcessCores} / {h.Max.Cpu.PostgresCores} / {h.Max.Cpu.OtherCores} | {h.Max.Cpu.PerEvent(h.Max.Responses)} | {h.Paced.AchievedPerSecond:N0} | {h.Paced.FromSchedule.P50:N2} / {h.Paced.FromSchedule.P99:N2} / {h.Paced.FromSchedule.Max:N1} | {h.Paced.ServiceTime.P50:N2} / {h.Paced.ServiceTime.P99:N2} | {h.Paced.Failed} |");
            }

            Line($"");
            Line($"Checks: after each run the table holds every acknowledged response once and `survey_daily` counts the same number.");
            Line($"");
        }

        return s.ToString();
    }
}
