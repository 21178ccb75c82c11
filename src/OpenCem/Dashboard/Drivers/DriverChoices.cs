using OpenCem.Analytics.Disconfirmation;
using OpenCem.Analytics.Drivers;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Dashboard.Drivers;

/// <summary>An outcome the Drivers page offers: a question name and its title.</summary>
public sealed record OutcomeChoice(string Question, string Title);

/// <summary>
/// What the Drivers page can analyse in a survey: the outcomes (the loyalty and satisfaction ratings first, then the
/// other ratings that are not drivers), whether it has drivers for one, and whether it asks expectations. Pure.
/// </summary>
public static class DriverChoices
{
    private static readonly QuestionRole[] OutcomeOrder = [QuestionRole.Nps, QuestionRole.Overall, QuestionRole.Csat, QuestionRole.Ces, QuestionRole.None];

    public static IReadOnlyList<OutcomeChoice> Outcomes(SurveyDefinition definition) => definition.Questions
        .Where(q => q.Type == QuestionType.Rating && OutcomeOrder.Contains(q.Role))
        .OrderBy(q => Array.IndexOf(OutcomeOrder, q.Role))
        .Select(q => new OutcomeChoice(q.Name, q.TitleIn(null)))
        .ToList();

    /// <summary>The asked outcome when the survey has it, else the first one; null when there is none.</summary>
    public static string? Outcome(SurveyDefinition definition, string? asked)
    {
        var outcomes = Outcomes(definition);
        return outcomes.FirstOrDefault(o => o.Question == asked)?.Question ?? outcomes.FirstOrDefault()?.Question;
    }

    public static bool HasDrivers(SurveyDefinition definition) =>
        Outcome(definition, null) is { } outcome && NumericQuestions.DefaultDrivers(definition, outcome).Any();

    public static bool HasGaps(SurveyDefinition definition) => DisconfirmationReport.Pairs(definition).Count > 0;

    /// <summary>The asked survey (the page then says what it lacks), else the first with drivers, else the first with expectations.</summary>
    public static StoredSurvey? Survey(IReadOnlyList<StoredSurvey> surveys, long? asked) =>
        surveys.FirstOrDefault(s => s.Id == asked)
        ?? surveys.FirstOrDefault(s => HasDrivers(s.Definition))
        ?? surveys.FirstOrDefault(s => HasGaps(s.Definition));
}
