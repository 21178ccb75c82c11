using System.Globalization;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Analytics.Drivers;

/// <summary>A numeric answer to read: a question, or one row of a matrix question (<c>matrix.row</c>).</summary>
public sealed record NumericAnswer(string Question, string? Row)
{
    public string Key => Row is null ? Question : $"{Question}.{Row}";
}

/// <summary>
/// Which answers of a survey are numbers an analysis can use: ratings, booleans (yes = 1, no = 0), number inputs,
/// choices whose values are all numbers, and rows of matrices whose columns are all numbers.
/// </summary>
public static class NumericQuestions
{
    /// <summary>The answer named <paramref name="name"/> as an analysis column, or why it cannot be one.</summary>
    public static (NumericAnswer? Answer, DriverColumn? Column, string? Problem) Resolve(SurveyDefinition definition, string name)
    {
        if (definition.Find(name) is { } question)
        {
            return question.Type switch
            {
                QuestionType.Rating => Found(new NumericAnswer(name, null), question.TitleIn(null), question.RateMin, question.RateMax),
                QuestionType.Boolean => Found(new NumericAnswer(name, null), question.TitleIn(null), 0, 1),
                QuestionType.Text when question.InputType == "number" => Found(new NumericAnswer(name, null), question.TitleIn(null), null, null),
                QuestionType.RadioGroup or QuestionType.Dropdown when Numbers(question.Choices) is { } values =>
                    Found(new NumericAnswer(name, null), question.TitleIn(null), values.Min(), values.Max()),
                QuestionType.Matrix => (null, null, $"'{name}' is a matrix; name one of its rows as {name}.{question.Rows.FirstOrDefault()?.Value ?? "row"}."),
                _ => (null, null, $"'{name}' is a {question.Type.ToString().ToLowerInvariant()} question; its answers are not numbers."),
            };
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && definition.Find(name[..dot]) is { Type: QuestionType.Matrix } matrix)
        {
            var rowName = name[(dot + 1)..];
            if (matrix.Rows.FirstOrDefault(r => r.Value == rowName) is not { } row)
            {
                return (null, null, $"The matrix '{matrix.Name}' has no row '{rowName}'.");
            }

            return Numbers(matrix.Columns) is { } values
                ? Found(new NumericAnswer(matrix.Name, row.Value), $"{matrix.TitleIn(null)} {row.Text.In(null)}".Trim(), values.Min(), values.Max())
                : (null, null, $"The columns of the matrix '{matrix.Name}' are not numbers.");
        }

        return (null, null, $"The survey has no question '{name}'.");
    }

    /// <summary>The default drivers: every numeric rating (and matrix row) with role driver or experience.</summary>
    public static IEnumerable<string> DefaultDrivers(SurveyDefinition definition, string outcome)
    {
        foreach (var question in definition.Questions.Where(q => q.Role is QuestionRole.Driver or QuestionRole.Experience && q.Name != outcome))
        {
            if (question.Type == QuestionType.Rating)
            {
                yield return question.Name;
            }
            else if (question.Type == QuestionType.Matrix && Numbers(question.Columns) is not null)
            {
                foreach (var row in question.Rows)
                {
                    yield return $"{question.Name}.{row.Value}";
                }
            }
        }
    }

    private static (NumericAnswer?, DriverColumn?, string?) Found(NumericAnswer answer, string title, double? min, double? max) =>
        (answer, new DriverColumn(answer.Key, title, min, max), null);

    private static double[]? Numbers(IReadOnlyList<Choice> choices)
    {
        if (choices.Count == 0)
        {
            return null;
        }

        var values = new double[choices.Count];
        for (var i = 0; i < choices.Count; i++)
        {
            if (!double.TryParse(choices[i].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }

        return values;
    }
}
