using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenCem.IdentityBench;

/// <summary>
/// Reads <c>log_min_duration_statement</c> lines from a PostgreSQL server log (from a byte offset on) and sums
/// the durations per statement text and protocol step (parse, bind, execute, or a simple-protocol statement),
/// up to the byte offset <c>end</c>.
/// </summary>
internal static partial class StatementLog
{
    public static List<SlowStatement> Summarise(string logFile, long offset, long end)
    {
        var totals = new Dictionary<string, (int Count, double Total, double Max)>(StringComparer.Ordinal);
        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        string? pending = null;
        double pendingMs = 0;
        var text = new StringBuilder();

        void Flush()
        {
            if (pending is null)
            {
                return;
            }

            var key = pending + Whitespace().Replace(text.ToString(), " ").Trim();
            key = key.Length > 160 ? key[..160] + "…" : key;
            var (count, total, max) = totals.GetValueOrDefault(key);
            totals[key] = (count + 1, total + pendingMs, Math.Max(max, pendingMs));
            pending = null;
            text.Clear();
        }

        var consumed = offset;
        while (consumed < end && reader.ReadLine() is { } line)
        {
            consumed += Encoding.UTF8.GetByteCount(line) + 1;
            if (line.StartsWith('\t'))
            {
                if (pending is not null)
                {
                    text.Append(' ').Append(line.AsSpan(1));
                }

                continue;
            }

            Flush();
            var match = Duration().Match(line);
            if (!match.Success)
            {
                continue;
            }

            pendingMs = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var step = match.Groups[2].Value;
            pending = step.StartsWith("statement", StringComparison.Ordinal) ? "" : step.Split(' ')[0] + ": ";
            text.Append(match.Groups[3].Value);
        }

        Flush();
        return totals.Select(t => new SlowStatement(t.Key, t.Value.Count, Math.Round(t.Value.Total, 1), Math.Round(t.Value.Max, 2)))
            .OrderByDescending(s => s.TotalMs).ToList();
    }

    [GeneratedRegex(@"LOG:\s+duration: ([0-9.]+) ms\s+(statement|parse [^:]*|bind [^:]*|execute [^:]*): (.*)$")]
    private static partial Regex Duration();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
