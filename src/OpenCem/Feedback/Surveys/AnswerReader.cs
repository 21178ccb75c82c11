using System.Globalization;
using System.Net.Mail;
using System.Text.Json;

namespace OpenCem.Feedback.Surveys;

/// <summary>
/// Turns one answer — a JSON value from the API, or text from a form or a CSV cell — into its canonical form, or
/// says precisely why it does not fit the question (out of range, not a choice, too long ...).
/// </summary>
public static class AnswerReader
{
    private static readonly string[] TrueWords = ["true", "yes", "ja", "1", "y", "j"];
    private static readonly string[] FalseWords = ["false", "no", "nein", "0", "n"];

    /// <summary>A JSON answer; null with <paramref name="error"/> set when it does not fit, null alone when it is empty.</summary>
    public static object? FromJson(Question question, JsonElement value, out string? error)
    {
        error = null;
        if (value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0 && question.Type != QuestionType.Boolean))
        {
            return null;
        }

        switch (question.Type)
        {
            case QuestionType.Rating:
                return value.ValueKind == JsonValueKind.Number
                    ? Rating(question, value.GetDouble(), out error)
                    : Fail($"must be a number from {question.RateMin} to {question.RateMax}", out error);
            case QuestionType.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? value.GetBoolean()
                    : Fail("must be true or false", out error);
            case QuestionType.Checkbox:
                if (value.ValueKind != JsonValueKind.Array)
                {
                    return Fail("must be an array of choice values", out error);
                }

                var items = new List<string>();
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                    {
                        return Fail("must be an array of choice values", out error);
                    }

                    items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
                }

                return Selection(question, items, out error);
            case QuestionType.Matrix:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    return Fail("must be an object of row → column value", out error);
                }

                var cells = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var cell in value.EnumerateObject())
                {
                    if (cell.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                    {
                        return Fail($"row '{cell.Name}' must have a column value", out error);
                    }

                    cells[cell.Name] = cell.Value.ValueKind == JsonValueKind.String ? cell.Value.GetString()! : cell.Value.GetRawText();
                }

                return Matrix(question, cells, out error);
            default:
                return value.ValueKind is JsonValueKind.String or JsonValueKind.Number
                    ? FromText(question, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText(), out error)
                    : Fail("must be a text", out error);
        }
    }

    /// <summary>A text answer (form field, CSV cell); checkbox values separated by ';', matrix cells as row=column;...</summary>
    public static object? FromText(Question question, string text, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        switch (question.Type)
        {
            case QuestionType.Rating:
                return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var rating)
                    ? Rating(question, rating, out error)
                    : Fail($"must be a number from {question.RateMin} to {question.RateMax}", out error);
            case QuestionType.Boolean:
                if (TrueWords.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
                {
                    return true;
                }

                return FalseWords.Contains(trimmed, StringComparer.OrdinalIgnoreCase) ? false : Fail("must be true or false", out error);
            case QuestionType.RadioGroup or QuestionType.Dropdown:
                return question.FindChoice(trimmed) is { } choice ? choice.Value : Fail(NotAChoice(question, trimmed), out error);
            case QuestionType.Checkbox:
                return Selection(question, trimmed.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), out error);
            case QuestionType.Matrix:
                var cells = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var pair in trimmed.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        return Fail("must be row=column pairs separated by ';'", out error);
                    }

                    cells[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
                }

                return Matrix(question, cells, out error);
            case QuestionType.Text when question.InputType == "number":
                return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                    ? number
                    : Fail("must be a number", out error);
            default:
                return Free(question, question.Type == QuestionType.Comment ? text : trimmed, out error);
        }
    }

    /// <summary>A matrix cell from a form field or CSV column <c>matrix.row</c>.</summary>
    public static string? Cell(Question question, string row, string column, out string? error)
    {
        error = null;
        if (question.Rows.All(r => r.Value != row))
        {
            return Fail<string>($"has no row '{row}'", out error);
        }

        var match = question.Columns.FirstOrDefault(c => string.Equals(c.Value, column.Trim(), StringComparison.OrdinalIgnoreCase));
        return match?.Value ?? Fail<string>($"row '{row}': '{column}' is not one of the columns {string.Join(", ", question.Columns.Select(c => c.Value))}", out error);
    }

    private static object? Rating(Question question, double value, out string? error)
    {
        error = null;
        if (value != Math.Floor(value) || value < question.RateMin || value > question.RateMax)
        {
            return Fail($"must be a whole number from {question.RateMin} to {question.RateMax}; {value.ToString(CultureInfo.InvariantCulture)} is not", out error);
        }

        return value;
    }

    private static string[]? Selection(Question question, IReadOnlyList<string> values, out string? error)
    {
        error = null;
        var chosen = new List<string>();
        foreach (var value in values)
        {
            if (question.FindChoice(value) is not { } choice)
            {
                return Fail<string[]>(NotAChoice(question, value), out error);
            }

            if (!chosen.Contains(choice.Value))
            {
                chosen.Add(choice.Value);
            }
        }

        if (question.MaxSelected is { } max && chosen.Count > max)
        {
            return Fail<string[]>($"allows at most {max} choices", out error);
        }

        if (question.MinSelected is { } min && chosen.Count > 0 && chosen.Count < min)
        {
            return Fail<string[]>($"needs at least {min} choices", out error);
        }

        return chosen.Count == 0 ? null : chosen.ToArray();
    }

    private static Dictionary<string, string>? Matrix(Question question, Dictionary<string, string> cells, out string? error)
    {
        error = null;
        var canonical = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (row, column) in cells)
        {
            if (Cell(question, row, column, out error) is not { } value)
            {
                return null;
            }

            canonical[row] = value;
        }

        return canonical.Count == 0 ? null : canonical;
    }

    private static string? Free(Question question, string text, out string? error)
    {
        error = null;
        if (text.Length > question.MaxLength)
        {
            return Fail<string>($"is {text.Length} characters long; at most {question.MaxLength} are allowed", out error);
        }

        if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            return Fail<string>("contains control characters", out error);
        }

        return question.InputType switch
        {
            "email" when !MailAddress.TryCreate(text, out _) => Fail<string>("must be an e-mail address", out error),
            "date" when !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) => Fail<string>("must be a date (yyyy-mm-dd)", out error),
            "url" when !Uri.TryCreate(text, UriKind.Absolute, out _) => Fail<string>("must be an absolute URL", out error),
            _ => text,
        };
    }

    private static string NotAChoice(Question question, string value) =>
        $"'{value}' is not one of the choices {string.Join(", ", question.Choices.Select(c => c.Value))}";

    private static T? Fail<T>(string message, out string? error)
        where T : class
    {
        error = message;
        return null;
    }

    private static object? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }
}
