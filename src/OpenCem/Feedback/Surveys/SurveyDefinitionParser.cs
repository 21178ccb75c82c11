using System.Text.Json;

namespace OpenCem.Feedback.Surveys;

/// <summary>A survey definition that cannot be used, with every problem found (not only the first).</summary>
public sealed class SurveyDefinitionException(IReadOnlyList<string> problems)
    : Exception("The survey definition cannot be used: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Reads SurveyJS JSON into a <see cref="SurveyDefinition"/>. Every property is either understood, known to be
/// purely visual (kept in the stored JSON, ignored here), or reported as unsupported: a survey built in SurveyJS
/// Creator is taken whole or refused with the full list, never half-imported.
/// </summary>
public static partial class SurveyDefinitionParser
{
    public const int MaxQuestions = 200;

    public static SurveyDefinition Parse(JsonElement json)
    {
        var problems = new List<string>();
        var definition = new Reader(problems).ReadSurvey(json);
        if (problems.Count > 0 || definition is null)
        {
            throw new SurveyDefinitionException(problems.Count > 0 ? problems : ["The definition is not a JSON object."]);
        }

        return definition;
    }

    public static SurveyDefinition Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new SurveyDefinitionException([$"The definition is not valid JSON: {ex.Message}"]);
        }
    }
}
