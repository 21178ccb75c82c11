using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;

namespace OpenCem.Feedback.Surveys;

public sealed record SurveyCreated(long Id);

/// <summary>A survey as the API shows it: the SurveyJS JSON as given, the settings, and what OpenCem read from it.</summary>
public sealed record SurveyView(
    long Id, string Name, JsonNode Definition, SurveySettings Settings, string Audience, IReadOnlyList<string> Roles,
    IReadOnlyList<string> Languages, int Questions, int Pages, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static SurveyView Of(StoredSurvey s) => new(
        s.Id, s.Name, JsonNode.Parse(s.DefinitionJson)!, s.Settings, s.Definition.Audience.ToString().ToLowerInvariant(),
        s.Definition.Questions.Where(q => q.Role != QuestionRole.None).Select(q => q.Role.ToString().ToLowerInvariant()).Distinct().ToList(),
        s.Definition.Languages, s.Definition.Questions.Count(), s.Definition.Pages.Count, s.Version, s.CreatedAt, s.UpdatedAt);
}

/// <summary>Management API: survey definitions (SurveyJS JSON plus OpenCem's roles) and their distribution settings.</summary>
public static class SurveysApi
{
    public const int MaxNameLength = 200;

    public static RouteGroupBuilder MapSurveysApi(this RouteGroupBuilder api)
    {
        api.MapPost("/surveys", CreateAsync).WithTags("Surveys")
            .WithSummary("Creates a survey from {\"name\", \"definition\": SurveyJS JSON, \"settings\"?}; unsupported SurveyJS features are listed, nothing is stored.");
        api.MapGet("/surveys", ListAsync).WithTags("Surveys").WithSummary("All surveys of the workspace.");
        api.MapGet("/surveys/{id:long}", GetAsync).WithTags("Surveys").WithSummary("One survey with its definition and settings.");
        api.MapPut("/surveys/{id:long}", UpdateAsync).WithTags("Surveys").WithSummary("Replaces a survey's name, definition and settings.");
        api.MapDelete("/surveys/{id:long}", DeleteAsync).WithTags("Surveys").WithSummary("Deletes a survey; its responses stay in the analytics.");
        return api;
    }

    private static async Task<Results<Created<SurveyCreated>, ProblemHttpResult>> CreateAsync(HttpContext context, SurveyStore store, JsonElement body)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (SurveyInput.Read(body, out var errors) is not { } input)
        {
            return Problems.Validation(errors);
        }

        var id = await store.CreateAsync(workspaceId, input.Name, input.Definition, input.Json, input.Settings, context.RequestAborted);
        return TypedResults.Created($"/api/v1/surveys/{id}", new SurveyCreated(id));
    }

    private static async Task<Ok<IReadOnlyList<SurveyView>>> ListAsync(HttpContext context, SurveyStore store) =>
        TypedResults.Ok<IReadOnlyList<SurveyView>>((await store.ListAsync(ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted)).Select(SurveyView.Of).ToList());

    private static async Task<Results<Ok<SurveyView>, ProblemHttpResult>> GetAsync(HttpContext context, SurveyStore store, long id) =>
        await store.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, context.RequestAborted) is { } survey
            ? TypedResults.Ok(SurveyView.Of(survey))
            : NotFound(id);

    private static async Task<Results<Ok<SurveyView>, ProblemHttpResult>> UpdateAsync(HttpContext context, SurveyStore store, long id, JsonElement body)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (await store.GetAsync(workspaceId, id, context.RequestAborted) is null)
        {
            return NotFound(id);
        }

        if (SurveyInput.Read(body, out var errors) is not { } input)
        {
            return Problems.Validation(errors);
        }

        if (!await store.UpdateAsync(workspaceId, id, input.Name, input.Definition, input.Json, input.Settings, context.RequestAborted))
        {
            return NotFound(id);
        }

        return TypedResults.Ok(SurveyView.Of((await store.GetAsync(workspaceId, id, context.RequestAborted))!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext context, SurveyStore store, long id) =>
        await store.DeleteAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, context.RequestAborted) ? TypedResults.NoContent() : NotFound(id);

    public static ProblemHttpResult NotFound(long id) => Problems.Field(StatusCodes.Status404NotFound, "id", $"There is no survey {id}.");
}
