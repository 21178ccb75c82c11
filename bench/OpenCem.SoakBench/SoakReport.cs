using System.Globalization;
using System.Text;

namespace OpenCem.SoakBench;

/// <summary>The minute rows as a CSV file and a markdown table, and the one-line form printed as each minute ends.</summary>
internal static class SoakReport
{
    public static string Line(MinuteRow row) =>
        $"  min {row.Minute,3}: " + string.Join("  ", row.Kinds.Select(k =>
            $"{k.Kind} {k.Count}{(k.Errors > 0 ? $" ({k.Errors} err)" : "")} p50/p95/p99 {Ms(k.Latency.P50)}/{Ms(k.Latency.P95)}/{Ms(k.Latency.P99)} ms"))
        + $"  | RSS {row.RssMiB:N0} MiB (anon {row.RssAnonMiB:N0}), server {row.ServerCores:N2} cores, load {row.LoadAverage:N1}"
        + $" | detractors {row.Detractors}, cases delivered {row.CasesDelivered}, rule calls {row.RuleCallsDelivered}, responses delivered {row.ResponsesDelivered} ({row.FlakyRefused} refused)";

    public static string Csv(IReadOnlyList<MinuteRow> rows)
    {
        var kinds = rows.Count == 0 ? [] : rows[0].Kinds.Select(k => k.Kind).ToList();
        var text = new StringBuilder();
        text.Append("minute,seconds");
        foreach (var kind in kinds)
        {
            text.Append(CultureInfo.InvariantCulture, $",{kind}_count,{kind}_errors,{kind}_p50_ms,{kind}_p95_ms,{kind}_p99_ms,{kind}_max_ms");
        }

        text.AppendLine(",rss_mib,rss_max_mib,rss_anon_mib,server_cores,load_average,detractors,cases_delivered,rule_calls_delivered,responses_delivered,flaky_refused");
        foreach (var row in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{row.Minute},{row.Seconds}");
            foreach (var k in row.Kinds)
            {
                text.Append(CultureInfo.InvariantCulture, $",{k.Count},{k.Errors},{Ms(k.Latency.P50)},{Ms(k.Latency.P95)},{Ms(k.Latency.P99)},{Ms(k.Latency.Max)}");
            }

            text.AppendLine(CultureInfo.InvariantCulture,
                $",{row.RssMiB},{row.RssMaxMiB},{row.RssAnonMiB},{row.ServerCores},{row.LoadAverage},{row.Detractors},{row.CasesDelivered},{row.RuleCallsDelivered},{row.ResponsesDelivered},{row.FlakyRefused}");
        }

        return text.ToString();
    }

    public static string Markdown(string title, IEnumerable<string> header, IReadOnlyList<MinuteRow> rows, IEnumerable<Verdict> verdicts)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {title}").AppendLine();
        foreach (var line in header)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }

        text.AppendLine();
        var kinds = rows.Count == 0 ? [] : rows[0].Kinds.Select(k => k.Kind).ToList();
        text.Append("| min |");
        foreach (var kind in kinds)
        {
            text.Append(CultureInfo.InvariantCulture, $" {kind} n (err) | {kind} p50 / p95 / p99 ms |");
        }

        text.AppendLine(" RSS MiB | RssAnon MiB | server cores | load | detractors | cases delivered | rule calls | responses delivered (503s) |");
        text.Append("| ---: |");
        foreach (var _ in kinds)
        {
            text.Append(" ---: | ---: |");
        }

        text.AppendLine(" ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {row.Minute} |");
            foreach (var k in row.Kinds)
            {
                text.Append(CultureInfo.InvariantCulture, $" {k.Count} ({k.Errors}) | {Ms(k.Latency.P50)} / {Ms(k.Latency.P95)} / {Ms(k.Latency.P99)} |");
            }

            text.AppendLine(CultureInfo.InvariantCulture,
                $" {row.RssMiB:N0} | {row.RssAnonMiB:N0} | {row.ServerCores:N2} | {row.LoadAverage:N1} | {row.Detractors} | {row.CasesDelivered} | {row.RuleCallsDelivered} | {row.ResponsesDelivered} ({row.FlakyRefused}) |");
        }

        text.AppendLine();
        foreach (var verdict in verdicts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {(verdict.Passed ? "PASS" : "FAIL")} {verdict.Criterion}: {verdict.Detail}");
        }

        return text.ToString();
    }

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
}
