using System.Text.Json;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Intercept;

/// <summary>The rating question as the intercept shows it, in the visitor's language.</summary>
public sealed record InterceptQuestion(string Name, string Title, int RateMin, int RateMax, string? MinRateDescription, string? MaxRateDescription);

/// <summary>The optional comment as the intercept shows it.</summary>
public sealed record InterceptComment(string Name, string Title);

/// <summary>
/// A survey's web intercept as a survey of its own: the rating question named by <c>settings.intercept.question</c>
/// (always required, whatever the survey says) and the optional <c>commentQuestion</c>, without conditions. The
/// survey's other questions, required or not, are not part of it, so an intercept answer is complete without them.
/// </summary>
public sealed class InterceptForm
{
    private InterceptForm(SurveyDefinition definition, Question rating, Question? comment)
    {
        Definition = definition;
        Rating = rating;
        Comment = comment;
    }

    /// <summary>The mini-survey: one page with the rating and the comment.</summary>
    public SurveyDefinition Definition { get; }

    public Question Rating { get; }

    public Question? Comment { get; }

    /// <summary>The survey's intercept, or null when its settings have none (or name a question it no longer has).</summary>
    public static InterceptForm? Of(StoredSurvey survey)
    {
        var full = survey.Definition;
        if (survey.Settings.Intercept is not { } settings || full.Find(settings.Question) is not { Type: QuestionType.Rating } rating)
        {
            return null;
        }

        var questions = new List<Question> { rating with { IsRequired = true, VisibleIf = null } };
        Question? comment = null;
        if (settings.CommentQuestion is { } name && full.Find(name) is { Type: QuestionType.Comment or QuestionType.Text } found)
        {
            // The intercept's comment is its verbatim, whatever role it has in the full survey.
            comment = found with { IsRequired = false, VisibleIf = null, Role = QuestionRole.Verbatim };
            questions.Add(comment);
        }

        // A new definition rather than `with`: the record caches its questions by name.
        var definition = new SurveyDefinition(
            full.Title, full.Description, full.DefaultLanguage, full.Languages, full.Audience,
            [new SurveyPage("intercept", LocalisedText.Empty, LocalisedText.Empty, null, questions)],
            full.CompletedHtml, full.PageNextText, full.PagePrevText, full.CompleteText);
        return new InterceptForm(definition, questions[0], comment);
    }

    public InterceptQuestion QuestionIn(string language) => new(
        Rating.Name, Rating.TitleIn(language), Rating.RateMin, Rating.RateMax,
        Rating.MinRateDescription.IsEmpty ? null : Rating.MinRateDescription.In(language),
        Rating.MaxRateDescription.IsEmpty ? null : Rating.MaxRateDescription.In(language));

    public InterceptComment? CommentIn(string language) => Comment is null ? null : new(Comment.Name, Comment.TitleIn(language));

    /// <summary>
    /// Reads <c>answers</c> ({rating: number, comment?: text}) through the same validation as the API, collecting
    /// an error per field; the answers are complete when no error was added.
    /// </summary>
    public Answers Read(JsonElement json, IDictionary<string, string[]> errors, string? language)
    {
        var names = string.Join(" and ", Definition.Questions.Select(q => q.Name));
        if (json.ValueKind == JsonValueKind.Undefined)
        {
            errors["answers"] = [$"is required: an object of question name → answer; this intercept asks {names}."];
            return new Answers();
        }

        var before = errors.Count;
        var answers = SurveyLogic.Read(Definition, json, errors);
        foreach (var field in errors.Keys.Where(k => k.StartsWith("answers.", StringComparison.Ordinal)).ToList())
        {
            if (Definition.Find(field["answers.".Length..]) is null)
            {
                errors[field] = [$"is not a question of this intercept, which asks {names}."];
            }
        }

        if (errors.Count == before)
        {
            SurveyLogic.Complete(Definition, answers, errors, language: language);
        }

        return answers;
    }
}
