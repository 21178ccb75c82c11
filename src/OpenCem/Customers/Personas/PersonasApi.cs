using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;

namespace OpenCem.Customers.Personas;

/// <summary>Personas from data: run a clustering (synchronous; a million customers take well under a minute), list the current run, read a persona and its scenario.</summary>
public static class PersonasApi
{
    public const int MaxK = 12;

    public static RouteGroupBuilder MapPersonasApi(this RouteGroupBuilder api)
    {
        api.MapPost("/personas", RunAsync).WithTags("Personas")
            .WithSummary("Clusters the customers into personas and publishes the run (body {k?: 2-12, seed?, publish?: true}; without k it is chosen by silhouette over 3-8); answers with the run and its personas' profiles.");
        api.MapGet("/personas", ListAsync).WithTags("Personas")
            .WithSummary("The current (latest published) run and its personas; ?run=ID for another run. 404 before the first run.");
        api.MapGet("/personas/{id}", GetAsync).WithTags("Personas")
            .WithSummary("A persona's profile: size, shares, separating features, channels, touchpoints, journeys, delights, pains, representative comments, name in English and German.");
        api.MapGet("/personas/{id}/scenario", ScenarioAsync).WithTags("Personas")
            .WithSummary("The journeys a persona of the current run takes: per journey its paths and emotion curve, filtered by trait.persona (?from=&to= as for journeys).");
        return api;
    }

    private static async Task<Results<Ok<PersonaRunView>, ProblemHttpResult>> RunAsync(HttpContext context, PersonaRunner runner, PersonaQuery query, JsonElement? body)
    {
        int? k = null;
        int? seed = null;
        var publish = true;
        if (body is { } json && json.ValueKind != JsonValueKind.Null)
        {
            if (json.ValueKind != JsonValueKind.Object)
            {
                return Problems.Field(StatusCodes.Status400BadRequest, "body", "The body must be a JSON object: {\"k\": 4, \"seed\": 42, \"publish\": true} (all optional).");
            }

            if (json.TryGetProperty("k", out var kElement) && kElement.ValueKind != JsonValueKind.Null)
            {
                if (kElement.ValueKind != JsonValueKind.Number || !kElement.TryGetInt32(out var kValue))
                {
                    return Problems.Field(StatusCodes.Status400BadRequest, "k", "k must be a whole number.");
                }

                if (kValue is < 2 or > MaxK)
                {
                    return Problems.Validation("k", $"k must lie between 2 and {MaxK}.");
                }

                k = kValue;
            }

            if (json.TryGetProperty("seed", out var seedElement) && seedElement.ValueKind != JsonValueKind.Null)
            {
                if (seedElement.ValueKind != JsonValueKind.Number || !seedElement.TryGetInt32(out var seedValue))
                {
                    return Problems.Field(StatusCodes.Status400BadRequest, "seed", "seed must be a whole number (32 bits).");
                }

                seed = seedValue;
            }

            if (json.TryGetProperty("publish", out var publishElement) && publishElement.ValueKind != JsonValueKind.Null)
            {
                if (publishElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return Problems.Field(StatusCodes.Status400BadRequest, "publish", "publish must be true or false.");
                }

                publish = publishElement.GetBoolean();
            }
        }

        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var result = await runner.RunAsync(workspaceId, k, seed, publish, context.RequestAborted);
        if (result.Run.Status == PersonaRunStatus.Failed)
        {
            return Problems.Validation("k", result.Run.Error ?? "The customers cannot form personas.");
        }

        return TypedResults.Ok((await query.RunAsync(workspaceId, result.RunId, context.RequestAborted))!);
    }

    private static async Task<Results<Ok<PersonaRunView>, NotFound, ProblemHttpResult>> ListAsync(HttpContext context, PersonaQuery query, string? run)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (run is not null)
        {
            if (!long.TryParse(run, out var runId))
            {
                return Problems.Field(StatusCodes.Status400BadRequest, "run", "run must be a run id.");
            }

            return await query.RunAsync(workspaceId, runId, context.RequestAborted) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();
        }

        return await query.CurrentAsync(workspaceId, context.RequestAborted) is { } current ? TypedResults.Ok(current) : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<PersonaView>, NotFound>> GetAsync(HttpContext context, PersonaQuery query, string id) =>
        long.TryParse(id, out var personaId) && await query.PersonaAsync(ApiKeyAuthentication.WorkspaceOf(context.User), personaId, context.RequestAborted) is { } view
            ? TypedResults.Ok(view)
            : TypedResults.NotFound();

    private static async Task<Results<Ok<PersonaScenarioView>, NotFound, ProblemHttpResult>> ScenarioAsync(
        HttpContext context, PersonaQuery query, string id, DateTimeOffset? from, DateTimeOffset? to)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (!long.TryParse(id, out var personaId) || await query.PersonaAsync(workspaceId, personaId, context.RequestAborted) is not { } persona)
        {
            return TypedResults.NotFound();
        }

        if (from is { } f && to is { } t && t <= f)
        {
            return Problems.Validation("to", "to must be after from.");
        }

        return await query.ScenarioAsync(workspaceId, persona, from, to, context.RequestAborted) is { } scenario
            ? TypedResults.Ok(scenario)
            : Problems.Field(StatusCodes.Status409Conflict, "id", "Only personas of the current run have a scenario: the persona trait follows the current run.");
    }
}
