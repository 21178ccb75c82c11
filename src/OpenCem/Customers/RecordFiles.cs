using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using CsvHelper.Configuration;
using OpenCem.Hosting;

namespace OpenCem.Customers;

/// <summary>A problem with the command or file as a whole (not one line), such as an unknown column in a mapping.</summary>
public sealed class RecordFileException(string message) : Exception(message);

/// <summary>
/// Reads source records from CSV (RFC 4180, with a header) and from JSON (an array, or NDJSON: one object per
/// line). Each bad line becomes a <see cref="RecordRejection"/> with its line number and reason; the good ones
/// load. Column names map to fields by <c>--map column=field</c>, else by name (case, spaces, '_' and '-' ignored).
/// Given a <see cref="Utf8LineReader"/> over the file's bytes, a line that is not UTF-8 is rejected as bad too (a
/// <see cref="StreamReader"/> would have turned its bytes into U+FFFD, stored unseen); a header or a JSON array that
/// is not UTF-8 fails the file.
/// </summary>
public static class RecordFiles
{
    private static readonly string[] KnownFields = ["id", "email", "phone", "customerNumber", "updatedAt"];

    /// <summary>Parses <c>column=field,column=field</c>.</summary>
    public static Dictionary<string, string> ParseMap(string? map)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(map))
        {
            return result;
        }

        foreach (var pair in map.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0 || equals == pair.Length - 1)
            {
                throw new RecordFileException($"--map entry '{pair}' is not column=field");
            }

            var field = pair[(equals + 1)..].Trim();
            if (field.StartsWith("identifiers.", StringComparison.Ordinal) && !IdentifierKinds.IsValidName(field["identifiers.".Length..]))
            {
                throw new RecordFileException($"--map entry '{pair}': identifier type must be letters, digits, '_' or '-'");
            }

            result[pair[..equals].Trim()] = field;
        }

        return result;
    }

    /// <summary>Reads CSV rows as records of a source.</summary>
    public static IEnumerable<IncomingRecord> ReadCsv(TextReader text, string source, SourceRecordReader reader, IReadOnlyDictionary<string, string> map, List<RecordRejection> rejections)
    {
        string[] fields = [];
        return ReadAll(
            CsvRows(text, reader, map, rejections, header => fields = header),
            row => reader.Read(source, fields, row),
            row => Array.IndexOf(fields, "id") is var i and >= 0 && !string.IsNullOrWhiteSpace(row[i]) ? row[i] : null,
            rejections);
    }

    private static IEnumerable<(long Line, string?[] Values)> CsvRows(
        TextReader text, SourceRecordReader reader, IReadOnlyDictionary<string, string> map, List<RecordRejection> rejections, Action<string[]> onFields)
    {
        var bad = (string?)null;
        var bytes = text as Utf8LineReader;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = args => bad ??= $"broken quoting near \"{Shorten(args.RawRecord)}\"",
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
            TrimOptions = TrimOptions.None,
        };
        using var csv = new CsvReader(text, configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            throw new RecordFileException("the file has no header line");
        }

        if (bytes?.Take(1, csv.Parser.RawRow) is { } badHeader)
        {
            throw new RecordFileException($"line {badHeader.Line} (the header) {badHeader.Reason}");
        }

        foreach (var column in map.Keys)
        {
            if (Array.IndexOf(header, column) < 0)
            {
                throw new RecordFileException($"unknown column '{column}' in --map; the header has: {string.Join(", ", header)}");
            }
        }

        var fields = header.Select(column => map.TryGetValue(column, out var field) ? field : FieldFor(column, reader)).ToArray();
        if (Array.IndexOf(fields, "id") < 0)
        {
            throw new RecordFileException($"no column maps to id; name one with --map COLUMN=id (the header has: {string.Join(", ", header)})");
        }

        onFields(fields);
        var previousEnd = csv.Parser.RawRow;
        while (true)
        {
            bool more;
            try
            {
                more = csv.Read();
            }
            catch (CsvHelperException ex)
            {
                rejections.Add(new RecordRejection(csv.Parser.RawRow, null, ex.Message.Split('\n')[0]));
                yield break;
            }

            if (!more)
            {
                yield break;
            }

            // A record may span lines (a quoted line break); it is reported by the line it starts on.
            var line = previousEnd + 1;
            var end = csv.Parser.RawRow;
            previousEnd = end;
            // Fields are parsed when first read, and only then is bad quoting reported: read them before asking.
            var record = csv.Parser.Record!;
            // Checked first: bytes that are not UTF-8 are the cause of whatever else looks wrong on the line.
            if (bytes?.Take(line, end) is { } invalid)
            {
                rejections.Add(new RecordRejection(line, null, invalid.Line == line ? invalid.Reason : $"line {invalid.Line} of the record {invalid.Reason}"));
                bad = null;
                continue;
            }

            if (bad is not null)
            {
                rejections.Add(new RecordRejection(line, null, bad));
                bad = null;
                continue;
            }

            if (record.Length != header.Length)
            {
                var reason = end > line
                    ? $"broken quoting: a quoted field is not closed, it runs from line {line} to line {end}"
                    : $"has {record.Length} fields, the header has {header.Length}";
                rejections.Add(new RecordRejection(line, null, reason));
                continue;
            }

            var row = new string?[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                row[i] = record[i];
            }

            yield return (line, row);
        }
    }

    /// <summary>Reads NDJSON (one object per line) or a JSON array; a malformed line is rejected, the rest load.</summary>
    public static IEnumerable<IncomingRecord> ReadJson(TextReader text, string source, SourceRecordReader reader, List<RecordRejection> rejections) =>
        ReadAll(JsonRows(text, rejections), row => reader.Read(source, row), row => row["id"] is JsonValue id ? id.ToString() : null, rejections);

    private static IEnumerable<(long Line, JsonObject Fields)> JsonRows(TextReader text, List<RecordRejection> rejections)
    {
        var first = text.Peek();
        while (first is ' ' or '\t' or '\r' or '\n' or '\uFEFF')
        {
            text.Read();
            first = text.Peek();
        }

        if (first == '[')
        {
            JsonArray array;
            OpenCem.Hosting.UnstorableText?[] unstorable = [];
            try
            {
                var all = text.ReadToEnd();
                if ((text as Utf8LineReader)?.FirstPending is { } invalid)
                {
                    throw new RecordFileException($"line {invalid.Line} {invalid.Reason}; a JSON array is read whole, so nothing of it is stored");
                }

                array = JsonNode.Parse(all, documentOptions: OpenCem.Hosting.JsonInput.DocumentOptions) as JsonArray ?? [];
                unstorable = Unstorable(all);
            }
            catch (JsonException ex)
            {
                throw new RecordFileException($"the JSON array is malformed: {ex.Message}");
            }

            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is not JsonObject item)
                {
                    rejections.Add(new RecordRejection(i + 1, null, "is not a JSON object"));
                }
                else if (i < unstorable.Length && unstorable[i] is { } bad)
                {
                    rejections.Add(new RecordRejection(i + 1, null, $"{bad.Field}: {bad.Reason}"));
                }
                else
                {
                    yield return (i + 1, item);
                }
            }

            yield break;
        }

        var number = 0L;
        var bytes = text as Utf8LineReader;
        while (text.ReadLine() is { } line)
        {
            number++;
            if (bytes?.Take(number, number) is { } invalid)
            {
                rejections.Add(new RecordRejection(number, null, invalid.Reason));
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonObject? item = null;
            string? error = null;
            try
            {
                item = JsonNode.Parse(line, documentOptions: OpenCem.Hosting.JsonInput.DocumentOptions) as JsonObject;
                error = item is null ? "is not a JSON object"
                    : Unstorable(line) is [{ } bad] ? $"{bad.Field}: {bad.Reason}"
                    : null;
            }
            catch (JsonException ex)
            {
                error = $"malformed JSON: {ex.Message.Split('.')[0]}";
            }

            if (error is not null)
            {
                rejections.Add(new RecordRejection(number, null, error));
            }
            else
            {
                yield return (number, item!);
            }
        }
    }

    /// <summary>
    /// Normalises rows in blocks on all cores (phone parsing is the costly part) and hands them on in file order.
    /// </summary>
    private static IEnumerable<IncomingRecord> ReadAll<TRow>(
        IEnumerable<(long Line, TRow Fields)> rows, Func<TRow, (SourceRecord?, string?)> read, Func<TRow, string?> idOf, List<RecordRejection> rejections)
    {
        const int Block = 4096;
        var block = new List<(long Line, TRow Fields)>(Block);
        var results = new (SourceRecord? Record, string? Error)[Block];
        foreach (var row in rows)
        {
            block.Add(row);
            if (block.Count == Block)
            {
                foreach (var record in Flush())
                {
                    yield return record;
                }
            }
        }

        foreach (var record in Flush())
        {
            yield return record;
        }

        IEnumerable<IncomingRecord> Flush()
        {
            Parallel.For(0, block.Count, i => results[i] = read(block[i].Fields));
            var ready = new List<IncomingRecord>(block.Count);
            for (var i = 0; i < block.Count; i++)
            {
                var (line, fields) = block[i];
                if (results[i].Record is { } record)
                {
                    ready.Add(new IncomingRecord(record, line));
                }
                else
                {
                    rejections.Add(new RecordRejection(line, idOf(fields), results[i].Error ?? "unreadable"));
                }
            }

            block.Clear();
            return ready;
        }
    }

    /// <summary>The field a CSV column means when the mapping does not say: a known field or identifier type by name, else a trait.</summary>
    private static string FieldFor(string column, SourceRecordReader reader)
    {
        var key = Canonical(column);
        foreach (var field in KnownFields)
        {
            if (Canonical(field) == key)
            {
                return field;
            }
        }

        foreach (var type in reader.IdentifierTypes)
        {
            if (Canonical(type) == key)
            {
                return "identifiers." + type;
            }
        }

        return column;
    }

    private static string Canonical(string name) =>
        new(name.Where(c => c is not ('_' or '-' or ' ')).Select(char.ToLowerInvariant).ToArray());

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text.TrimEnd('\r', '\n');

    /// <summary>
    /// For a JSON array, the first text of each record the database could not store as sent (NUL, half a surrogate
    /// pair); for one NDJSON line, that of its record. Empty when the text has no escape that could carry one.
    /// </summary>
    private static OpenCem.Hosting.UnstorableText?[] Unstorable(string json)
    {
        if (!OpenCem.Hosting.JsonInput.MayHoldUnstorable(System.Text.Encoding.UTF8.GetBytes(json)))
        {
            return [];
        }

        using var document = OpenCem.Hosting.JsonInput.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? [.. document.RootElement.EnumerateArray().Select(record => OpenCem.Hosting.JsonInput.Find(record))]
            : [OpenCem.Hosting.JsonInput.Find(document.RootElement)];
    }
}
