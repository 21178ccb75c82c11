using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Customers;
using OpenCem.Hosting;

namespace OpenCem.Value.Churn;

/// <summary>Churn prediction: train a model version in the background, read its figures, read a customer's risk and reasons.</summary>
public static class ChurnApi
{
    public static RouteGroupBuilder MapChurnApi(this RouteGroupBuilder api)
    {
        api.MapPost("/analytics/churn/train", TrainAsync).WithTags("Analytics")
            .WithSummary("Trains a churn model on {label: \"trait:NAME=VALUE\" | \"event:EVENT_NAME within DAYS\", exclude: [names]} in the background and scores every customer; answers with modelId, auc (held out), cvAuc, calibration and features. With Prefer: respond-async, 202 and the Location of the model version.");
        api.MapGet("/analytics/churn/models/{id}", ModelAsync).WithTags("Analytics")
            .WithSummary("A churn model version: its status and progress while training, then its figures.");
        api.MapGet("/analytics/churn/customers/{id}", CustomerAsync).WithTags("Analytics")
            .WithSummary("A customer's churn risk from the latest model that scored them, with the model id and the top reasons (feature, value, direction, weight).");
        return api;
    }

    private static async Task<Results<Ok<ChurnModelView>, Accepted<ChurnModelView>, ProblemHttpResult>> TrainAsync(
        HttpContext context, ChurnWorker worker, ChurnQuery query, JsonElement body)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "body", "The body must be a JSON object: {\"label\": \"trait:NAME=VALUE\" or \"event:EVENT_NAME within DAYS\", \"exclude\": [...]}.");
        }

        string? text = null;
        if (body.TryGetProperty("label", out var labelElement))
        {
            if (labelElement.ValueKind != JsonValueKind.String)
            {
                return Problems.Field(StatusCodes.Status400BadRequest, "label", "label must be a string.");
            }

            text = labelElement.GetString();
        }

        var (label, error) = ChurnLabel.Parse(text);
        if (label is null)
        {
            return Problems.Validation("label", error!);
        }

        var exclude = new List<string>();
        if (body.TryGetProperty("exclude", out var excludeElement) && excludeElement.ValueKind != JsonValueKind.Null)
        {
            if (excludeElement.ValueKind != JsonValueKind.Array || excludeElement.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                return Problems.Field(StatusCodes.Status400BadRequest, "exclude", "exclude must be an array of trait or feature names.");
            }

            exclude.AddRange(excludeElement.EnumerateArray().Select(e => e.GetString()!));
        }

        var id = await worker.QueueAsync(workspaceId, label, exclude, context.RequestAborted);
        if (context.Request.Headers["Prefer"].Any(p => p?.Contains("respond-async", StringComparison.OrdinalIgnoreCase) == true))
        {
            return TypedResults.Accepted($"/api/v1/analytics/churn/models/{id}", (await query.ModelAsync(workspaceId, id, context.RequestAborted))!);
        }

        var row = await worker.WaitAsync(workspaceId, id, context.RequestAborted);
        return row?.Status switch
        {
            ChurnModelStatus.Ready => TypedResults.Ok(ChurnQuery.View(row)),
            ChurnModelStatus.Invalid => Problems.Validation("label", row.Error ?? "The label cannot give a model."),
            _ => TypedResults.Problem(detail: row?.Error ?? "Training failed.", statusCode: StatusCodes.Status500InternalServerError, title: "Training failed."),
        };
    }

    private static async Task<Results<Ok<ChurnModelView>, ProblemHttpResult>> ModelAsync(HttpContext context, ChurnQuery query, string id)
    {
        if (!long.TryParse(id, out var modelId) || await query.ModelAsync(ApiKeyAuthentication.WorkspaceOf(context.User), modelId, context.RequestAborted) is not { } view)
        {
            return Problems.Field(StatusCodes.Status404NotFound, "id", $"No churn model {id}.");
        }

        return TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<ChurnCustomerView>, ProblemHttpResult>> CustomerAsync(HttpContext context, ChurnQuery query, CustomerProfiles profiles, string id)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (!long.TryParse(id, out var customerId) || await profiles.ResolveIdAsync(workspaceId, customerId, context.RequestAborted) is not { } resolved)
        {
            return Problems.Field(StatusCodes.Status404NotFound, "id", $"No customer {id}.");
        }

        return await query.CustomerAsync(workspaceId, resolved, context.RequestAborted) is { } view
            ? TypedResults.Ok(view)
            : Problems.Field(StatusCodes.Status404NotFound, "id", $"Customer {id} has no churn risk yet: train a model with POST /api/v1/analytics/churn/train.");
    }
}
