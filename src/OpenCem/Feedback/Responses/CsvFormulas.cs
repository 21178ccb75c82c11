using System.Globalization;

namespace OpenCem.Feedback.Responses;

/// <summary>
/// Keeps a CSV export from running formulas: a spreadsheet treats a cell starting with <c>=</c>, <c>+</c>, <c>-</c>,
/// <c>@</c>, tab or carriage return as a formula (CSV injection, e.g. <c>=HYPERLINK(…)</c> in a comment). Such a text
/// is written with a leading apostrophe, which spreadsheets read as "this is text"; numbers such as <c>-1</c> stay as
/// they are. The import takes the apostrophe off again, so export → import gives back the exact text (a text that
/// itself starts with apostrophes before a formula character gets one more on export, and loses one on import).
/// </summary>
public static class CsvFormulas
{
    public static string? Neutralise(string? text) =>
        text is { Length: > 0 } && StartsLikeFormula(text.AsSpan().TrimStart('\'')) && !IsNumber(text) ? "'" + text : text;

    public static string Restore(string cell) =>
        cell.Length > 1 && cell[0] == '\'' && StartsLikeFormula(cell.AsSpan().TrimStart('\'')) ? cell[1..] : cell;

    private static bool StartsLikeFormula(ReadOnlySpan<char> text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
