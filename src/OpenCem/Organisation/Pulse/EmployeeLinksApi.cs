using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Surveys;
using OpenCem.Hosting;

namespace OpenCem.Organisation.Pulse;

/// <summary>The links made for an employee survey, in the order the employees were given.</summary>
public sealed record EmployeeLinksView(long SurveyId, IReadOnlyList<string> Links);

public sealed record EmployeeLinkCounts(long SurveyId, long Links, long Used);

/// <summary>
/// Personal pulse links: <c>POST /api/v1/surveys/{id}/employee-links</c> with the group attributes of each employee
/// (only the survey's single-choice questions, with their choices) answers one link per employee; the caller sends
/// them out. <c>GET</c> counts the links and how many were used.
/// </summary>
public static class EmployeeLinksApi
{
    public static RouteGroupBuilder MapEmployeeLinksApi(this RouteGroupBuilder api)
    {
        api.MapPost("/surveys/{id:long}/employee-links", CreateAsync).WithTags("Employee pulse").WithSummary(
            "Personal links for an employee survey: {\"employees\": [{\"team\": \"shops\", \"tenure\": \"3-8y\"}, ...]} (attributes: the survey's single-choice questions; " +
            "up to 10,000). Each link allows one response, which starts with these answers and carries no trace of the employee or the link.");
        api.MapGet("/surveys/{id:long}/employee-links", CountsAsync).WithTags("Employee pulse").WithSummary("How many personal links the survey has and how many were used.");
        return api;
    }

    private static async Task<Results<Created<EmployeeLinksView>, ProblemHttpResult>> CreateAsync(HttpContext context, long id, SurveyStore surveys, EmployeeLinks store)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (await EmployeeSurveyAsync(context, surveys, id) is not { } survey)
        {
            return Problems.Field(StatusCodes.Status404NotFound, "id", $"survey {id} is not an employee survey (\"audience\": \"employees\") of this workspace.");
        }

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "body", "The body is not JSON.");
        }

        var errors = new Dictionary<string, string[]>();
        if (Read(body, survey.Definition, errors) is not { } attributes)
        {
            return Problems.Validation(errors);
        }

        var links = await store.CreateAsync(workspaceId, survey.Id, attributes, context.RequestAborted);
        return TypedResults.Created($"/api/v1/surveys/{survey.Id}/employee-links", new EmployeeLinksView(survey.Id, links));
    }

    private static async Task<Results<Ok<EmployeeLinkCounts>, ProblemHttpResult>> CountsAsync(HttpContext context, long id, SurveyStore surveys, EmployeeLinks store)
    {
        if (await EmployeeSurveyAsync(context, surveys, id) is not { } survey)
        {
            return Problems.Field(StatusCodes.Status404NotFound, "id", $"survey {id} is not an employee survey (\"audience\": \"employees\") of this workspace.");
        }

        var (links, used) = await store.CountsAsync(ApiKeyAuthentication.WorkspaceOf(context.User), survey.Id, context.RequestAborted);
        return TypedResults.Ok(new EmployeeLinkCounts(survey.Id, links, used));
    }

    private static async Task<StoredSurvey?> EmployeeSurveyAsync(HttpContext context, SurveyStore surveys, long id) =>
        await surveys.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, context.RequestAborted) is { } survey
            && survey.Definition.Audience == SurveyAudience.Employees ? survey : null;

    /// <summary>Each employee's attributes as the answers JSON the link starts with; null with the errors by field.</summary>
    public static List<string>? Read(JsonElement body, SurveyDefinition definition, Dictionary<string, string[]> errors)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("employees", out var employees) || employees.ValueKind != JsonValueKind.Array)
        {
            errors["employees"] = ["is required: an array with one object of group attributes per employee."];
            return null;
        }

        var count = employees.GetArrayLength();
        if (count is 0 or > EmployeeLinks.MaxPerRequest)
        {
            errors["employees"] = [$"must hold 1 to {EmployeeLinks.MaxPerRequest} employees."];
            return null;
        }

        var attributes = PulseStore.Attributes(definition);
        var result = new List<string>(count);
        var i = 0;
        foreach (var employee in employees.EnumerateArray())
        {
            var field = $"employees[{i++}]";
            if (employee.ValueKind != JsonValueKind.Object)
            {
                errors[field] = ["must be an object of group attributes, e.g. {\"team\": \"shops\"}."];
                continue;
            }

            var answers = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in employee.EnumerateObject())
            {
                var question = attributes.Contains(property.Name, StringComparer.Ordinal) ? definition.Find(property.Name) : null;
                if (question is null)
                {
                    errors[$"{field}.{property.Name}"] = [$"is not a group attribute of this survey; its attributes: {string.Join(", ", attributes)}."];
                }
                else if (property.Value.ValueKind != JsonValueKind.String || question.FindChoice(property.Value.GetString()!) is not { } choice)
                {
                    errors[$"{field}.{property.Name}"] = [$"must be one of {string.Join(", ", question.Choices.Select(c => c.Value))}."];
                }
                else
                {
                    answers[question.Name] = choice.Value;
                }
            }

            result.Add(JsonSerializer.Serialize(answers));
        }

        return errors.Count == 0 ? result : null;
    }
}
