using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Respondents;

/// <summary>What the respondent pressed: Back, Next, or Submit on the last page.</summary>
public enum PageAction
{
    Next,
    Back,
    Submit,
}

/// <summary>A problem with a posted page: a question's answer (<see cref="Question"/> set), or the form as a whole.</summary>
public sealed record FieldError(string? Question, string Message);

/// <summary>One posted page, read: the answers so far with this page's merged in, and every problem found.</summary>
public sealed class PagePost
{
    public required int Page { get; init; }

    public required PageAction Action { get; init; }

    /// <summary>The saved answers with this page's answers in place of the saved ones (hidden questions on it dropped).</summary>
    public required Answers Answers { get; init; }

    /// <summary>The page's questions the respondent saw when posting (a question that became visible is not among them).</summary>
    public required IReadOnlySet<string> Shown { get; init; }

    public List<FieldError> Errors { get; } = [];

    /// <summary>What the respondent typed into a text answer that was refused, to show it again for correcting.</summary>
    public Dictionary<string, string> Entered { get; } = new(StringComparer.Ordinal);

    /// <summary>Visible questions of the page that the respondent has not seen yet and that have no answer.</summary>
    public IEnumerable<Question> NewlyVisible(SurveyDefinition definition) =>
        SurveyNavigator.VisibleQuestions(definition, Page, Answers).Where(q => !Shown.Contains(q.Name) && !Answers.Has(q.Name));
}

/// <summary>
/// Reads a posted page of the respondent form: each field through <see cref="AnswerReader"/> (a matrix cell through
/// <see cref="AnswerReader.Cell"/>), refusing unknown fields, fields of other pages and repeated single answers, with
/// a message in the page's language that says precisely what is wrong.
/// </summary>
public static class PageForm
{
    public static PagePost? Read(SurveyDefinition definition, IEnumerable<KeyValuePair<string, StringValues>> fields, Answers saved, PageTexts texts)
    {
        var form = SurveyForm.Of(definition);
        var all = fields.ToList();
        var pageValue = Single(all, SurveyForm.PageField);
        if (!int.TryParse(pageValue, NumberStyles.None, CultureInfo.InvariantCulture, out var page) || page < 0 || page >= definition.Pages.Count)
        {
            return null;
        }

        var action = Single(all, SurveyForm.ActionField) switch
        {
            "back" => PageAction.Back,
            "submit" => PageAction.Submit,
            _ => PageAction.Next,
        };
        var questions = definition.Pages[page].Questions;
        var shown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in (Single(all, SurveyForm.ShownField) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < questions.Count)
            {
                shown.Add(questions[i].Name);
            }
        }

        var answers = SurveyNavigator.Copy(saved);
        foreach (var question in questions)
        {
            answers.Remove(question.Name);
        }

        var post = new PagePost { Page = page, Action = action, Answers = answers, Shown = shown };
        var cells = new Dictionary<Question, Dictionary<string, string>>();
        foreach (var (name, values) in all)
        {
            if (SurveyForm.IsPageField(name))
            {
                continue;
            }

            if (!form.TryGetField(name, out var target))
            {
                post.Errors.Add(Unknown(definition, form, name, page, texts));
                continue;
            }

            if (target.Page != page)
            {
                post.Errors.Add(new FieldError(null, PageTexts.Format(texts.NotOnPage, name)));
                continue;
            }

            var question = target.Question;
            if (target.Row is { } row)
            {
                if (Only(values, question, post, texts) is not { } column)
                {
                    continue;
                }

                if (AnswerReader.Cell(question, row, column, out _) is { } cell)
                {
                    if (!cells.TryGetValue(question, out var rows))
                    {
                        cells[question] = rows = new Dictionary<string, string>(StringComparer.Ordinal);
                    }

                    rows[row] = cell;
                }
                else
                {
                    post.Errors.Add(new FieldError(question.Name, PageTexts.Format(texts.NotAChoice, column)));
                }

                continue;
            }

            object? value;
            string? error;
            string? text;
            if (question.Type == QuestionType.Checkbox)
            {
                text = string.Join(", ", values.Where(v => !string.IsNullOrEmpty(v)));
                value = Choices(question, values, out error);
            }
            else
            {
                if (values.Count > 1)
                {
                    post.Errors.Add(new FieldError(question.Name, texts.OneAnswer));
                    continue;
                }

                text = values.ToString();
                value = AnswerReader.FromText(question, text, out error);
            }

            if (error is not null)
            {
                post.Errors.Add(new FieldError(question.Name, Describe(question, values, texts)));
                post.Entered[question.Name] = text;
                if (question.Type == QuestionType.Checkbox && Ticked(question, values) is { Length: > 0 } ticked)
                {
                    // Shown again as ticked so one can be unticked; a page with errors is never stored.
                    answers.Set(question.Name, ticked);
                }
            }
            else if (value is not null)
            {
                answers.Set(question.Name, value);
            }
        }

        // A matrix keeps its valid rows even next to a refused one: shown again, never stored while the page has errors.
        foreach (var (question, rows) in cells)
        {
            answers.Set(question.Name, rows);
        }

        // Answers to questions the new answers hide are dropped, as on completion, and so are their problems.
        foreach (var question in questions.Where(q => !SurveyLogic.IsVisible(definition.Pages[page], q, answers)).ToList())
        {
            answers.Remove(question.Name);
            post.Errors.RemoveAll(e => e.Question == question.Name);
        }

        return post;
    }

    /// <summary>Adds an error for each visible required question of the page the respondent saw and left empty.</summary>
    public static void RequireAnswers(SurveyDefinition definition, PagePost post, string language, PageTexts texts)
    {
        var errors = new Dictionary<string, string[]>();
        SurveyLogic.Complete(definition, SurveyNavigator.Copy(post.Answers), errors, "answers", [definition.Pages[post.Page]], language);
        foreach (var question in definition.Pages[post.Page].Questions)
        {
            if (post.Shown.Contains(question.Name) && errors.ContainsKey("answers." + question.Name) && post.Errors.All(e => e.Question != question.Name))
            {
                post.Errors.Add(new FieldError(question.Name, Missing(question, post.Answers, language, texts)));
            }
        }
    }

    /// <summary>The message for a required answer missing: the survey's own text, else the page's.</summary>
    public static string Missing(Question question, Answers answers, string language, PageTexts texts) =>
        !question.RequiredErrorText.IsEmpty ? question.RequiredErrorText.In(language)
        : answers.Has(question.Name) ? texts.EveryRow
        : texts.RequiredAnswer;

    private static FieldError Unknown(SurveyDefinition definition, SurveyForm form, string name, int page, PageTexts texts)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && definition.Find(name[..dot]) is { Type: QuestionType.Matrix } matrix && form.PageOf(matrix.Name) == page)
        {
            return new FieldError(matrix.Name, PageTexts.Format(texts.NoRow, name[(dot + 1)..]));
        }

        var known = definition.Find(dot > 0 ? name[..dot] : name) is not null;
        return new FieldError(null, PageTexts.Format(known ? texts.NotOnPage : texts.UnknownField, name));
    }

    private static string? Only(StringValues values, Question question, PagePost post, PageTexts texts)
    {
        if (values.Count > 1)
        {
            if (post.Errors.All(e => e.Question != question.Name))
            {
                post.Errors.Add(new FieldError(question.Name, texts.OneAnswer));
            }

            return null;
        }

        var value = values.ToString().Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>A checkbox's ticked values, read as the JSON array the API takes (choice values may hold ';').</summary>
    private static object? Choices(Question question, StringValues values, out string? error)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    writer.WriteStringValue(value.Trim());
                }
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return AnswerReader.FromJson(question, document.RootElement, out error);
    }

    private static string[] Ticked(Question question, StringValues values) =>
        values.Select(v => question.FindChoice(v?.Trim() ?? "")?.Value).OfType<string>().Distinct().ToArray();

    /// <summary>Why an answer was refused, in the page's language (AnswerReader says whether; this says it to a person).</summary>
    private static string Describe(Question question, StringValues values, PageTexts texts)
    {
        var text = values.ToString().Trim();
        switch (question.Type)
        {
            case QuestionType.Rating:
                return PageTexts.Format(texts.RatingRange, question.RateMin, question.RateMax, text);
            case QuestionType.Boolean:
                return texts.YesOrNo;
            case QuestionType.RadioGroup or QuestionType.Dropdown:
                return PageTexts.Format(texts.NotAChoice, text);
            case QuestionType.Checkbox:
                var ticked = values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
                if (ticked.FirstOrDefault(v => question.FindChoice(v) is null) is { } unknown)
                {
                    return PageTexts.Format(texts.NotAChoice, unknown);
                }

                return question.MaxSelected is { } max && ticked.Count > max
                    ? PageTexts.Format(texts.MaxChoices, max)
                    : PageTexts.Format(texts.MinChoices, question.MinSelected ?? 1);
        }

        var entered = question.Type == QuestionType.Comment ? values.ToString() : text;
        if (entered.Length > question.MaxLength)
        {
            return PageTexts.Format(texts.TooLong, question.MaxLength, entered.Length);
        }

        if (entered.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            return texts.ControlCharacters;
        }

        return question.InputType switch
        {
            "number" => texts.Number,
            "email" => texts.Email,
            "date" => texts.Date,
            "url" => texts.Url,
            _ => texts.ControlCharacters,
        };
    }

    private static string? Single(List<KeyValuePair<string, StringValues>> fields, string name)
    {
        foreach (var (key, values) in fields)
        {
            if (key == name)
            {
                return values.Count == 1 ? values[0] : null;
            }
        }

        return null;
    }
}
