using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using OpenCem.Hosting;

namespace OpenCem.Value.Transactions;

/// <summary>A problem with the file or the options as a whole (a column that is not there), not with one line.</summary>
public sealed class TransactionFileException(string message) : Exception(message);

/// <summary>
/// Reads a purchase log: delimited text (RFC 4180 CSV with ',', ';' or tabs, or fields separated by runs of
/// whitespace as in the raw CDNOW log), one purchase per line. Dates read with <c>--date-format</c> when given, else as
/// ISO dates (yyyy-MM-dd, yyyyMMdd, or a full ISO 8601 time; a date alone is midnight UTC); amounts with a '.' decimal
/// point. A bad date or amount rejects its line, reported by number; the rest load.
/// </summary>
public static class TransactionFile
{
    private static readonly string[] IsoDates = ["yyyy-MM-dd", "yyyyMMdd", "yyyy/MM/dd"];

    public static IEnumerable<TransactionLine> Read(TextReader text, TransactionColumns columns, string delimiter, string? dateFormat, List<TransactionRejection> rejections)
    {
        var rows = delimiter == TransactionDelimiters.Whitespace ? WhitespaceRows(text) : CsvRows(text, delimiter);
        int[]? index = null;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var utf8 = text as Utf8LineReader;
        var previous = 0L;
        foreach (var (line, fields) in rows)
        {
            // Read through a Utf8LineReader, a line with bytes that are not UTF-8 is refused rather than stored with U+FFFD.
            var invalid = utf8?.Take(previous + 1, line);
            previous = line;
            if (invalid is not null && index is null && !columns.ByNumberOnly)
            {
                throw new TransactionFileException($"The header (line {invalid.Line}) {invalid.Reason}; re-encode the file to UTF-8 (iconv -f WINDOWS-1252 -t UTF-8).");
            }

            if (invalid is not null)
            {
                rejections.Add(new TransactionRejection(invalid.Line, $"{invalid.Reason}; re-encode the file to UTF-8."));
                continue;
            }

            if (index is null)
            {
                if (!columns.ByNumberOnly)
                {
                    index = Resolve(columns, fields);
                    continue;
                }

                index = Resolve(columns, null);
                if (!TryDate(Field(fields, index[1]), dateFormat, out _) && !TryAmount(Field(fields, index[2]), out _))
                {
                    continue;
                }
            }

            var customer = Field(fields, index[0]).Trim();
            var dateText = Field(fields, index[1]);
            var amountText = Field(fields, index[2]);
            if (customer.Length == 0)
            {
                rejections.Add(new TransactionRejection(line, "the customer is empty."));
                continue;
            }

            if (!TryDate(dateText, dateFormat, out var at))
            {
                rejections.Add(new TransactionRejection(line, $"the date '{dateText}' does not read{(dateFormat is null ? " as an ISO date (yyyy-MM-dd, yyyyMMdd or ISO 8601)" : $" with the format {dateFormat}")}."));
                continue;
            }

            if (!TryAmount(amountText, out var amount))
            {
                rejections.Add(new TransactionRejection(line, $"the amount '{amountText}' is not a number (use '.' as the decimal point)."));
                continue;
            }

            var id = index[3] >= 0 ? Field(fields, index[3]).Trim() : "";
            string key;
            if (id.Length > 0)
            {
                key = "id:" + id;
            }
            else
            {
                // Identical lines in one file are distinct purchases: the repetition keeps their keys apart, and a re-import of the same file finds every key again.
                var basis = string.Create(CultureInfo.InvariantCulture, $"{customer}|{at}|{amount:R}");
                var repeat = seen.TryGetValue(basis, out var n) ? n + 1 : 1;
                seen[basis] = repeat;
                key = $"line:{basis}|{repeat}";
            }

            yield return new TransactionLine(line, customer, at, amount, key);
        }
    }

    public static bool TryDate(string text, string? format, out long epochMilliseconds)
    {
        text = text.Trim();
        epochMilliseconds = 0;
        const DateTimeStyles Utc = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
        if (format is not null)
        {
            if (!DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, Utc, out var exact))
            {
                return false;
            }

            epochMilliseconds = exact.ToUnixTimeMilliseconds();
            return true;
        }

        if (DateTimeOffset.TryParseExact(text, IsoDates, CultureInfo.InvariantCulture, Utc, out var date)
            || (text.Length > 10 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, Utc, out date)))
        {
            epochMilliseconds = date.ToUnixTimeMilliseconds();
            return true;
        }

        return false;
    }

    public static bool TryAmount(string text, out double amount) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out amount) && double.IsFinite(amount);

    private static string Field(string[] fields, int index) => index < fields.Length ? fields[index] : "";

    private static int[] Resolve(TransactionColumns columns, string[]? header)
    {
        int Find(string? column, string option)
        {
            if (column is null)
            {
                return -1;
            }

            if (TransactionColumns.IsNumber(column))
            {
                return int.Parse(column, CultureInfo.InvariantCulture) - 1;
            }

            var at = header is null ? -1 : Array.FindIndex(header, h => string.Equals(h.Trim(), column.Trim(), StringComparison.OrdinalIgnoreCase));
            return at >= 0 ? at : throw new TransactionFileException(
                $"{option} '{column}' is neither a column of the header ({string.Join(", ", header ?? [])}) nor a column number.");
        }

        return [Find(columns.Customer, "--customer"), Find(columns.Date, "--date"), Find(columns.Amount, "--amount"), Find(columns.Id, "--id")];
    }

    private static IEnumerable<(long Line, string[] Fields)> WhitespaceRows(TextReader text)
    {
        long line = 0;
        while (text.ReadLine() is { } content)
        {
            line++;
            var fields = content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0)
            {
                yield return (line, fields);
            }
        }
    }

    private static IEnumerable<(long Line, string[] Fields)> CsvRows(TextReader text, string delimiter)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter, HasHeaderRecord = false, BadDataFound = null, IgnoreBlankLines = true };
        using var csv = new CsvParser(text, configuration, leaveOpen: true);
        while (csv.Read())
        {
            var fields = csv.Record;
            if (fields is { Length: > 0 } && !(fields.Length == 1 && string.IsNullOrWhiteSpace(fields[0])))
            {
                yield return (csv.RawRow, fields);
            }
        }
    }
}
