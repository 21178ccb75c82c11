using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;
using OpenCem.Value.Lifetime;

namespace OpenCem.Value.Fits;

/// <summary>The lifetime value fits: queued for the background worker, stored and versioned, read cheaply.</summary>
public static class ClvApi
{
    public static RouteGroupBuilder MapClvApi(this RouteGroupBuilder api)
    {
        api.MapPost("/analytics/clv/fit", FitAsync).WithTags("Value")
            .WithSummary("Fits BG/NBD and Gamma-Gamma: {calibrationEnd: YYYY-MM-DD, timeUnit: week|day|month, horizon: N periods, discountRate: per period}. "
                + "The fit runs in the background; the request waits for it and returns the result, or with 'Prefer: respond-async' returns 202 and the "
                + "fit's Location. 422 when the data cannot support a fit (too few repeat customers, no purchase after calibrationEnd).");
        api.MapGet("/analytics/clv/fits/latest", LatestAsync).WithTags("Value").WithSummary("The newest finished fit.");
        api.MapGet("/analytics/clv/fits/{id:long}", GetAsync).WithTags("Value").WithSummary("A fit: status (queued, running, done, failed), progress 0..1, request, result or error.");
        return api;
    }

    /// <summary>Validates a fit request: every problem named by its field.</summary>
    public static ClvFitRequest? Read(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["must be a JSON object."];
            return null;
        }

        string? end = null;
        if (!body.TryGetProperty("calibrationEnd", out var endElement) || endElement.ValueKind != JsonValueKind.String
            || !DateOnly.TryParseExact(endElement.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors["calibrationEnd"] = ["must be a date YYYY-MM-DD: purchases up to it calibrate the models, later ones check them."];
        }
        else
        {
            end = endElement.GetString();
        }

        var unit = ClvTimeUnit.Week;
        if (body.TryGetProperty("timeUnit", out var unitElement) && unitElement.ValueKind != JsonValueKind.Null
            && (unitElement.ValueKind != JsonValueKind.String || !ClvTimeUnits.TryParse(unitElement.GetString(), out unit)))
        {
            errors["timeUnit"] = ["must be week, day or month."];
        }

        var horizon = 52;
        if (body.TryGetProperty("horizon", out var horizonElement) && horizonElement.ValueKind != JsonValueKind.Null
            && (!horizonElement.TryGetInt32(out horizon) || horizon < 1 || horizon > ClvSettings.MaximumHorizon))
        {
            errors["horizon"] = [$"must be a whole number of periods from 1 to {ClvSettings.MaximumHorizon}."];
        }

        var rate = 0.0;
        if (body.TryGetProperty("discountRate", out var rateElement) && rateElement.ValueKind != JsonValueKind.Null
            && (rateElement.ValueKind != JsonValueKind.Number || !rateElement.TryGetDouble(out rate) || rate < 0 || rate >= 1))
        {
            errors["discountRate"] = ["must be a number from 0 to below 1: the discount rate per period of timeUnit."];
        }

        return errors.Count == 0 ? new ClvFitRequest(end!, unit.Name(), horizon, rate) : null;
    }

    private static async Task<Results<Ok<ClvFitResultView>, Accepted<ClvFitView>, ProblemHttpResult>> FitAsync(HttpContext context, ClvFitWorker worker, ClvFitStore store)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            body = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            return Problems.Field(400, "body", $"is not JSON: {exception.Message}");
        }

        var errors = new Dictionary<string, string[]>();
        if (Read(body, errors) is not { } request)
        {
            return errors.ContainsKey("body") ? Problems.Field(400, "body", errors["body"][0]) : Problems.Validation(errors);
        }

        var id = await worker.QueueAsync(workspaceId, request, context.RequestAborted);
        var location = $"/api/v1/analytics/clv/fits/{id}";
        if (context.Request.Headers.TryGetValue("Prefer", out var prefer) && prefer.Any(p => p?.Contains("respond-async", StringComparison.OrdinalIgnoreCase) == true))
        {
            return TypedResults.Accepted(location, (await store.GetAsync(workspaceId, id, context.RequestAborted))!);
        }

        var fit = await worker.WaitAsync(workspaceId, id, context.RequestAborted);
        return fit switch
        {
            { Result: { } result } => TypedResults.Ok(result),
            { ErrorField: { } field, Error: { } error } => Problems.Field(422, field, error, "The data cannot support this fit."),
            _ => TypedResults.Problem(detail: fit?.Error ?? "The fit failed.", statusCode: 500, title: "The fit failed."),
        };
    }

    private static async Task<Results<Ok<ClvFitView>, ProblemHttpResult>> GetAsync(HttpContext context, ClvFitStore store, long id) =>
        await store.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, context.RequestAborted) is { } fit
            ? TypedResults.Ok(fit)
            : Problems.Field(404, "id", $"No CLV fit {id} in this workspace.");

    private static async Task<Results<Ok<ClvFitView>, ProblemHttpResult>> LatestAsync(HttpContext context, ClvFitStore store) =>
        await store.LatestAsync(ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted) is { } fit
            ? TypedResults.Ok(fit)
            : Problems.Field(404, "fit", "No CLV fit has finished in this workspace yet: POST /api/v1/analytics/clv/fit.");
}
