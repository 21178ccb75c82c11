namespace OpenCem.Feedback.Surveys;

/// <summary>The scores and the verbatim of one response, lifted out of its answers for rollups and analytics.</summary>
public readonly record struct ResponseScores(int? Nps, int? Csat, int? Ces, double? Overall, string? Comment)
{
    public static ResponseScores Of(SurveyDefinition definition, Answers answers)
    {
        var verbatim = definition.WithRole(QuestionRole.Verbatim) ?? definition.Questions.FirstOrDefault(q => q.Type == QuestionType.Comment);
        return new ResponseScores(
            Whole(answers.Number(definition.WithRole(QuestionRole.Nps)?.Name)),
            Whole(answers.Number(definition.WithRole(QuestionRole.Csat)?.Name)),
            Whole(answers.Number(definition.WithRole(QuestionRole.Ces)?.Name)),
            answers.Number(definition.WithRole(QuestionRole.Overall)?.Name),
            verbatim is null ? null : answers[verbatim.Name] as string);
    }

    private static int? Whole(double? value) => value is { } v ? (int)v : null;
}
