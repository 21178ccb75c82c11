using OpenCem.Analytics.Drivers;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;

namespace OpenCem.Analytics.Disconfirmation;

/// <summary>The disconfirmation endpoint's answer: the attributes sorted by gap, and how many responses were read.</summary>
public sealed record DisconfirmationView(long Survey, long Responses, int MinimumN, IReadOnlyList<AttributeGap> Attributes);

/// <summary>Pairs a survey's expectation and experience questions by attribute and reads their answers.</summary>
public static class DisconfirmationReport
{
    /// <summary>The survey's attributes with both an expectation and an experience question (rating or number, same attribute).</summary>
    public static IReadOnlyList<AttributePair> Pairs(SurveyDefinition definition)
    {
        var pairs = new List<AttributePair>();
        foreach (var expectation in definition.Questions.Where(q => q.Role == QuestionRole.Expectation && q.Attribute is not null))
        {
            if (definition.Questions.FirstOrDefault(q => q.Role == QuestionRole.Experience && q.Attribute == expectation.Attribute) is { } experience)
            {
                pairs.Add(new AttributePair(expectation.Attribute!, experience.TitleIn(null), expectation.Name, experience.Name));
            }
        }

        return pairs;
    }

    /// <exception cref="DriverDataException">The survey has no attribute asked both ways.</exception>
    public static async Task<DisconfirmationView> RunAsync(
        Database database, StoredSurvey survey, IReadOnlyList<ResponseFilter> filters, long from, long to, int minimumN, CancellationToken cancellationToken)
    {
        var pairs = Pairs(survey.Definition);
        if (pairs.Count == 0)
        {
            throw new DriverDataException("survey", "The survey has no attribute with both an expectation and an experience question (roles expectation and experience with the same attribute).");
        }

        var answers = pairs.SelectMany(p => new[] { new NumericAnswer(p.ExpectationQuestion, null), new NumericAnswer(p.ExperienceQuestion, null) }).ToList();
        var table = await AnswerTable.ReadAsync(database, new ResponseSelection(survey.WorkspaceId, survey.Id, filters, from, to), answers, completeOnly: false, cancellationToken);
        var gaps = new List<AttributeGap>();
        var expectations = new double[table.Rows];
        var experiences = new double[table.Rows];
        for (var a = 0; a < pairs.Count; a++)
        {
            for (var i = 0; i < table.Rows; i++)
            {
                expectations[i] = table.Values[(i * table.Columns) + (2 * a)];
                experiences[i] = table.Values[(i * table.Columns) + (2 * a) + 1];
            }

            gaps.Add(DisconfirmationAnalysis.Analyse(pairs[a], expectations, experiences, minimumN));
        }

        return new DisconfirmationView(survey.Id, table.Read, minimumN, DisconfirmationAnalysis.Sort(gaps));
    }
}
