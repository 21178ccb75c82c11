using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace OpenCem.Text.Evaluation;

/// <summary>One labelled text: negative, neutral or positive.</summary>
public sealed record LabelledText(string Label, string Text);

/// <summary>
/// Reads labelled texts: <c>label&lt;TAB&gt;text</c> per line (the format of the shared data sets), or CSV with a
/// header holding <c>label</c> and <c>text</c>. Labels are negative|neutral|positive (also neg/neu/pos, -1/0/1).
/// </summary>
public static class LabelledFile
{
    public static IReadOnlyList<LabelledText> Read(string path, string? format = null)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The file {path} does not exist.", path);
        }

        format ??= path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "tsv";
        return format switch
        {
            "tsv" => ReadTsv(path),
            "csv" => ReadCsv(path),
            _ => throw new ArgumentException($"Unknown format \"{format}\"; use tsv or csv.", nameof(format)),
        };
    }

    public static string? NormaliseLabel(string? label) => label?.Trim().ToLowerInvariant() switch
    {
        "negative" or "neg" or "-1" => "negative",
        "neutral" or "neu" or "0" => "neutral",
        "positive" or "pos" or "1" => "positive",
        _ => null,
    };

    private static List<LabelledText> ReadTsv(string path)
    {
        var rows = new List<LabelledText>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var label = tab > 0 ? NormaliseLabel(line[..tab]) : null;
            if (label is null)
            {
                throw new FormatException($"{Path.GetFileName(path)} line {number}: expected label<TAB>text with label negative, neutral or positive.");
            }

            rows.Add(new LabelledText(label, line[(tab + 1)..]));
        }

        return rows;
    }

    private static List<LabelledText> ReadCsv(string path)
    {
        var rows = new List<LabelledText>();
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = true });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header
            || !header.Contains("label", StringComparer.OrdinalIgnoreCase) || !header.Contains("text", StringComparer.OrdinalIgnoreCase))
        {
            throw new FormatException($"{Path.GetFileName(path)}: a CSV file needs a header with the columns label and text.");
        }

        var labelColumn = Array.FindIndex(header, h => h.Equals("label", StringComparison.OrdinalIgnoreCase));
        var textColumn = Array.FindIndex(header, h => h.Equals("text", StringComparison.OrdinalIgnoreCase));
        while (csv.Read())
        {
            var label = NormaliseLabel(csv.GetField(labelColumn))
                ?? throw new FormatException($"{Path.GetFileName(path)} row {csv.Parser.Row}: the label must be negative, neutral or positive.");
            rows.Add(new LabelledText(label, csv.GetField(textColumn) ?? ""));
        }

        return rows;
    }
}
