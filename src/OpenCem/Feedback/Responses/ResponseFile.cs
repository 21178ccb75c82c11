using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using OpenCem.Customers;
using OpenCem.Hosting;

namespace OpenCem.Feedback.Responses;

/// <summary>
/// Reads an import file — CSV (RFC 4180) with a header line — as a stream: the header decides what each column
/// means (<see cref="ResponseColumns"/>) before any row is read; rows are then validated in blocks on all cores
/// and handed on in file order. Each bad row becomes a <see cref="RecordRejection"/> with the line it starts on.
/// </summary>
public sealed class ResponseFile : IDisposable
{
    public const int DefaultBlockSize = 4096;

    private readonly CsvParser _parser;
    private readonly Utf8LineReader? _utf8;
    private readonly Func<string?> _takeBadData;
    private readonly int _blockSize;

    private ResponseFile(CsvParser parser, Utf8LineReader? utf8, ResponseColumns columns, Func<string?> takeBadData, int blockSize)
    {
        _parser = parser;
        _utf8 = utf8;
        Columns = columns;
        _takeBadData = takeBadData;
        _blockSize = blockSize;
    }

    public ResponseColumns Columns { get; }

    /// <summary>Rows that cannot be stored, in file order; complete once <see cref="ReadBlocks"/> has been enumerated.</summary>
    public List<RecordRejection> Rejections { get; } = [];

    /// <summary>Data rows met so far, readable or not.</summary>
    public long Rows { get; private set; }

    /// <summary>Reads the header; throws <see cref="ResponseFileException"/> when it is missing or names a column nobody knows.</summary>
    /// <param name="blockSize">Rows validated together and handed on together (small values let tests cover several blocks).</param>
    public static ResponseFile Open(TextReader text, IReadOnlyList<(string Column, string Target)> map, ImportSetup setup, int blockSize = DefaultBlockSize)
    {
        string? bad = null;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = args => bad ??= $"broken quoting near \"{Shorten(args.RawRecord)}\"",
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
            TrimOptions = TrimOptions.None,
            // Blank lines come through as records, so every physical line is counted and line numbers stay exact.
            IgnoreBlankLines = false,
        };
        var parser = new CsvParser(text, configuration, leaveOpen: true);
        try
        {
            while (true)
            {
                if (!parser.Read())
                {
                    throw new ResponseFileException("header", "the file is empty: it has no header line.");
                }

                if (!IsBlank(parser))
                {
                    break;
                }
            }

            if ((text as Utf8LineReader)?.Take(1, parser.RawRow) is { } invalid)
            {
                throw new ResponseFileException("header", $"line {invalid.Line} {invalid.Reason}; re-encode the file to UTF-8 (iconv -f WINDOWS-1252 -t UTF-8).");
            }

            var header = parser.Record!.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
            var columns = ResponseColumns.Create(header, map, setup);
            bad = null;
            return new ResponseFile(
                parser,
                text as Utf8LineReader,
                columns,
                () =>
                {
                    var taken = bad;
                    bad = null;
                    return taken;
                },
                blockSize);
        }
        catch
        {
            parser.Dispose();
            throw;
        }
    }

    /// <summary>The readable rows in blocks (of 4,096 unless asked otherwise), in file order; bad ones go to <see cref="Rejections"/>.</summary>
    public IEnumerable<IReadOnlyList<ImportRow>> ReadBlocks()
    {
        var block = new List<(long Line, string?[] Fields)>(_blockSize);
        var results = new ImportRow?[_blockSize];
        var reasons = new string?[_blockSize];
        var previousEnd = (long)_parser.RawRow;
        while (true)
        {
            bool more;
            try
            {
                more = _parser.Read();
            }
            catch (CsvHelperException ex)
            {
                Rows++;
                Rejections.Add(new RecordRejection(previousEnd + 1, null, ex.Message.Split('\n')[0]));
                break;
            }

            if (!more)
            {
                break;
            }

            // A row may span lines (a quoted line break); it is reported by the line it starts on.
            var line = previousEnd + 1;
            var end = (long)_parser.RawRow;
            previousEnd = end;
            // Read through a Utf8LineReader, a row with bytes that are not UTF-8 is refused rather than stored with U+FFFD.
            if (_utf8?.Take(line, end) is { } invalid)
            {
                Rows++;
                Rejections.Add(new RecordRejection(invalid.Line, null, $"{invalid.Reason}; re-encode the file to UTF-8"));
                continue;
            }

            if (IsBlank(_parser))
            {
                continue;
            }

            Rows++;
            // Fields are parsed when first read, and only then is bad quoting reported.
            var fields = _parser.Record!;
            if (_takeBadData() is { } bad)
            {
                Rejections.Add(new RecordRejection(line, null, bad));
                continue;
            }

            if (fields.Length != Columns.Count)
            {
                Rejections.Add(new RecordRejection(line, null, end > line
                    ? $"broken quoting: a quoted field is not closed, it runs from line {line} to line {end}"
                    : $"has {fields.Length} fields, the header has {Columns.Count}"));
                continue;
            }

            block.Add((line, [.. fields.Select(CsvFormulas.Restore)]));
            if (block.Count == _blockSize)
            {
                yield return Validate(block, results, reasons);
                block.Clear();
            }
        }

        if (block.Count > 0)
        {
            yield return Validate(block, results, reasons);
        }
    }

    public void Dispose() => _parser.Dispose();

    /// <summary>Validates a block on all cores (answers, identifiers, times) and keeps file order.</summary>
    private List<ImportRow> Validate(List<(long Line, string?[] Fields)> block, ImportRow?[] results, string?[] reasons)
    {
        var columns = Columns;
        Parallel.For(0, block.Count, i => results[i] = columns.Read(block[i].Line, block[i].Fields, out reasons[i]));
        var ready = new List<ImportRow>(block.Count);
        for (var i = 0; i < block.Count; i++)
        {
            if (results[i] is { } row)
            {
                ready.Add(row);
            }
            else
            {
                Rejections.Add(new RecordRejection(block[i].Line, columns.ResponseIdOf(block[i].Fields), reasons[i] ?? "unreadable"));
            }

            results[i] = null;
        }

        return ready;
    }

    private static bool IsBlank(CsvParser parser) => parser.Count == 1 && parser.RawRecord.AsSpan().Trim().IsEmpty;

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text.TrimEnd('\r', '\n');
}
