using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenCem.Customers;
using OpenCem.Feedback.Surveys;
using OpenCem.Hosting;
using OpenCem.Interactions;
using OpenCem.Text.Pipeline;

namespace OpenCem.Feedback.Responses;

public sealed record ResponseStored(long Id, long SurveyId, long? CustomerId, bool Duplicate);

/// <summary>Management API: submitting responses, reading them back (JSON pages or CSV), and a survey's summary.</summary>
public static class ResponsesApi
{
    private static readonly HashSet<string> BodyProperties = new(StringComparer.Ordinal)
    {
        "surveyId", "customerId", "userId", "anonymousId", "email", "customerNumber", "phone", "identifiers", "interactionId", "touchpoint",
        "channel", "language", "submittedAt", "responseId", "answers",
    };

    public static RouteGroupBuilder MapResponsesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/responses", SubmitAsync).WithTags("Responses")
            .WithSummary("Stores a complete response: {surveyId, userId | identifiers | customerId, interactionId, touchpoint, answers: {name: value}}.");
        api.MapGet("/surveys/{id:long}/responses", ResponseExport.ListAsync).WithTags("Responses")
            .WithSummary("A survey's responses: format=json (keyset pages: cursor, limit) or format=csv (all, one column per question).");
        api.MapGet("/surveys/{id:long}/summary", SummaryAsync).WithTags("Responses")
            .WithSummary("Responses, response rate, and NPS, CSAT and CES (as the survey's roles define) with 95 % intervals; optional from/to.");
        return api;
    }

    private static async Task<Results<Ok<ResponseStored>, ProblemHttpResult>> SubmitAsync(
        HttpContext context, SurveyStore surveys, IdentityService identity, CatalogueCache catalogue, ResponseQueue queue, TimeProvider time, TextWake wake,
        JsonElement body)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "body", "The body must be a JSON object.");
        }

        var errors = new Dictionary<string, string[]>();
        foreach (var property in body.EnumerateObject().Where(p => !BodyProperties.Contains(p.Name)))
        {
            errors[property.Name] = [$"is not a property of a response ({string.Join(", ", BodyProperties)})."];
        }

        if (!body.TryGetProperty("surveyId", out var surveyId) || surveyId.ValueKind != JsonValueKind.Number || !surveyId.TryGetInt64(out var id))
        {
            errors["surveyId"] = ["is required: the id of the survey answered."];
            return Problems.Validation(errors);
        }

        if (await surveys.GetAsync(workspaceId, id, context.RequestAborted) is not { } survey)
        {
            return Problems.Field(StatusCodes.Status422UnprocessableEntity, "surveyId", $"There is no survey {id}.");
        }

        if (survey.Settings.Closed)
        {
            return Problems.Field(StatusCodes.Status409Conflict, "surveyId", $"Survey {id} is closed and takes no more answers.");
        }

        await catalogue.RefreshAsync([workspaceId], context.RequestAborted);
        var settings = await identity.GetSettingsAsync(workspaceId, context.RequestAborted);
        var item = ResponseRequest.Read(body, workspaceId, survey, settings, catalogue.Get(workspaceId), time.GetUtcNow().ToUnixTimeMilliseconds(), "api", errors);
        if (item is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        await queue.StoreAsync([item], context.RequestAborted);
        wake.Wake();
        return TypedResults.Ok(new ResponseStored(item.Id, item.SurveyId, item.CustomerId, item.Duplicate));
    }

    private static async Task<Results<Ok<SurveySummaryView>, ProblemHttpResult>> SummaryAsync(
        HttpContext context, SurveyStore surveys, SurveySummary summary, long id, string? from, string? to)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (await surveys.GetAsync(workspaceId, id, context.RequestAborted) is not { } survey)
        {
            return SurveysApi.NotFound(id);
        }

        var errors = new Dictionary<string, string[]>();
        var fromTime = InteractionsApi.ParseTime(from, "from", errors);
        var toTime = InteractionsApi.ParseTime(to, "to", errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return TypedResults.Ok(AnonymousResponses.Applies(survey.Definition)
            ? await context.RequestServices.GetRequiredService<Organisation.Pulse.PulseSummary>().GetAsync(survey, fromTime, toTime, context.RequestAborted)
            : await summary.GetAsync(survey, fromTime, toTime, context.RequestAborted));
    }
}
