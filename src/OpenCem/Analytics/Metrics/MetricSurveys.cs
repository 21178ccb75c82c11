using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Analytics.Metrics;

/// <summary>A survey as metrics need it: its parsed definition, cached per survey version.</summary>
public sealed record MetricSurvey(long Id, string Name, bool Deleted, SurveyDefinition Definition);

/// <summary>A (survey, question) pair a metric is computed over.</summary>
public readonly record struct MetricTarget(long SurveyId, string Question);

/// <summary>
/// Which surveys and questions a metric reads. nps, csat and ces take each survey's question with that role
/// (all customer surveys when no survey is given); enps is NPS over the surveys whose definition says
/// <c>"audience": "employees"</c>; mean takes one rating or numeric question of one survey.
/// </summary>
public static class MetricSurveys
{
    private static readonly ConcurrentDictionary<(long Survey, long UpdatedAt), SurveyDefinition?> Definitions = new();

    public static async Task<IReadOnlyList<MetricSurvey>> ListAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, long[]? ids = null)
    {
        var sql = "SELECT id, name, updated_at, deleted_at, definition FROM surveys WHERE workspace_id = @workspaceId" +
            (ids is null ? "" : " AND " + OpenCem.Storage.SqlLists.In(connection, "id", "ids"));
        var surveys = new List<MetricSurvey>();
        foreach (var (id, name, updatedAt, deletedAt, json) in await connection.QueryAsync<(long, string, long, long?, string)>(sql, new { workspaceId, ids }, transaction))
        {
            if (Parse(id, updatedAt, json) is { } definition)
            {
                surveys.Add(new MetricSurvey(id, name, deletedAt is not null, definition));
            }
        }

        return surveys;
    }

    /// <summary>The targets of a request, or the parameter at fault.</summary>
    public static IReadOnlyList<MetricTarget> Targets(MetricsRequest request, IReadOnlyList<MetricSurvey> surveys, out MetricsRequestError? error)
    {
        error = null;
        var metric = request.Metric.ToString().ToLowerInvariant();
        if (request.SurveyId is { } surveyId)
        {
            if (surveys.FirstOrDefault(s => s.Id == surveyId) is not { } survey)
            {
                error = new("survey", $"no survey has the id {surveyId}.");
                return [];
            }

            if (request.Metric == MetricKind.Enps && survey.Definition.Audience != SurveyAudience.Employees)
            {
                error = new("survey", $"survey {surveyId} is not an employee survey (\"audience\": \"employees\"); use metric=nps.");
                return [];
            }

            if (request.Question is { } name)
            {
                if (!IsNumeric(survey.Definition, name))
                {
                    error = new("question", $"survey {surveyId} has no rating or numeric question \"{name}\".");
                    return [];
                }

                return [new MetricTarget(surveyId, name)];
            }

            if (survey.Definition.WithRole(RoleOf(request.Metric)) is not { } question)
            {
                error = new("survey", $"survey {surveyId} has no question with the role {RoleOf(request.Metric).ToString().ToLowerInvariant()}; name one with question.");
                return [];
            }

            return [new MetricTarget(surveyId, question.Name)];
        }

        if (request.Question is not null)
        {
            error = new("survey", $"question needs survey (question names belong to one survey).");
            return [];
        }

        var audience = request.Metric == MetricKind.Enps ? SurveyAudience.Employees : SurveyAudience.Customers;
        var role = RoleOf(request.Metric);
        var targets = surveys.Where(s => s.Definition.Audience == audience && s.Definition.WithRole(role) is not null)
            .Select(s => new MetricTarget(s.Id, s.Definition.WithRole(role)!.Name)).ToList();
        if (targets.Count == 0)
        {
            error = new("metric", $"no {(audience == SurveyAudience.Employees ? "employee" : "customer")} survey has a question with the role {role.ToString().ToLowerInvariant()} for metric={metric}.");
        }

        return targets;
    }

    /// <summary>A rating, a number input, a yes/no question (1/0), or a numeric matrix cell named <c>matrix.row</c>.</summary>
    public static bool IsNumeric(SurveyDefinition definition, string name)
    {
        if (definition.Find(name) is { } question)
        {
            return question.Type is QuestionType.Rating or QuestionType.Boolean
                || (question.Type == QuestionType.Text && question.InputType == "number");
        }

        var dot = name.LastIndexOf('.');
        return dot > 0 && definition.Find(name[..dot]) is { Type: QuestionType.Matrix } matrix && matrix.Rows.Any(r => r.Value == name[(dot + 1)..]);
    }

    internal static SurveyDefinition? Parse(long id, long updatedAt, string json) => Definitions.GetOrAdd((id, updatedAt), _ =>
    {
        try
        {
            return SurveyDefinitionParser.Parse(json);
        }
        catch (SurveyDefinitionException)
        {
            return null;
        }
    });

    private static QuestionRole RoleOf(MetricKind metric) => metric switch
    {
        MetricKind.Csat => QuestionRole.Csat,
        MetricKind.Ces => QuestionRole.Ces,
        _ => QuestionRole.Nps,
    };
}
