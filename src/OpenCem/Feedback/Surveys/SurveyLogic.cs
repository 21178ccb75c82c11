using System.Text.Json;

namespace OpenCem.Feedback.Surveys;

/// <summary>
/// Which questions a respondent sees given their answers, and whether a set of answers may be stored: every name
/// known, every value fitting, every visible required question answered on completion. Answers to questions that
/// are hidden by a condition are dropped on completion, as SurveyJS does.
/// </summary>
public static class SurveyLogic
{
    public static bool IsVisible(SurveyPage page, Answers answers) => page.VisibleIf is not { } condition || Holds(condition, answers);

    public static bool IsVisible(SurveyPage page, Question question, Answers answers) =>
        IsVisible(page, answers) && (question.VisibleIf is not { } condition || Holds(condition, answers));

    /// <summary>Apart, so that only questions with a condition pay for the closure (completion checks every question of every response).</summary>
    private static bool Holds(SurveyCondition condition, Answers answers) => condition.Evaluate(n => answers[n]);

    /// <summary>Reads a JSON object of answers, collecting an error per field (<c>answers.{name}</c>).</summary>
    public static Answers Read(SurveyDefinition definition, JsonElement json, IDictionary<string, string[]> errors, string prefix = "answers")
    {
        var answers = new Answers();
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors[prefix] = ["must be an object of question name → answer."];
            return answers;
        }

        foreach (var property in json.EnumerateObject())
        {
            if (definition.Find(property.Name) is not { } question)
            {
                errors[$"{prefix}.{property.Name}"] = ["is not a question of this survey."];
                continue;
            }

            var value = AnswerReader.FromJson(question, property.Value, out var error);
            if (error is not null)
            {
                errors[$"{prefix}.{property.Name}"] = [error + "."];
            }
            else if (value is not null)
            {
                answers.Set(question.Name, value);
            }
        }

        return answers;
    }

    /// <summary>
    /// On completion: drops answers hidden by conditions and reports each visible required question left empty.
    /// <paramref name="pages"/> limits the check to some pages (the respondent page checks the page just posted).
    /// </summary>
    public static void Complete(SurveyDefinition definition, Answers answers, IDictionary<string, string[]> errors, string prefix = "answers", IEnumerable<SurveyPage>? pages = null, string? language = null)
    {
        if (pages is not null)
        {
            foreach (var page in pages)
            {
                Complete(page, answers, errors, prefix, language);
            }

            return;
        }

        // By index: an import completes every one of hundreds of thousands of responses.
        for (var i = 0; i < definition.Pages.Count; i++)
        {
            Complete(definition.Pages[i], answers, errors, prefix, language);
        }
    }

    private static void Complete(SurveyPage page, Answers answers, IDictionary<string, string[]> errors, string prefix, string? language)
    {
        for (var i = 0; i < page.Questions.Count; i++)
        {
            var question = page.Questions[i];
            if (!IsVisible(page, question, answers))
            {
                answers.Remove(question.Name);
                continue;
            }

            if (MissingAnswer(question, answers[question.Name]) is { } missing)
            {
                errors[$"{prefix}.{question.Name}"] = [question.RequiredErrorText.IsEmpty ? missing : question.RequiredErrorText.In(language)];
            }
        }
    }

    private static string? MissingAnswer(Question question, object? value)
    {
        if (question.IsRequired && value is null)
        {
            return "is required.";
        }

        if (question.Type == QuestionType.Matrix && question.IsAllRowRequired && (question.IsRequired || value is not null))
        {
            var cells = value as IReadOnlyDictionary<string, string>;
            var missing = question.Rows.Where(r => cells is null || !cells.ContainsKey(r.Value)).Select(r => r.Value).ToList();
            if (missing.Count > 0)
            {
                return $"needs an answer in every row; missing: {string.Join(", ", missing)}.";
            }
        }

        return null;
    }
}
