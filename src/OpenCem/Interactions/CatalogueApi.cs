using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;

namespace OpenCem.Interactions;

/// <summary>Management API: the catalogue of touchpoints and journeys.</summary>
public static class CatalogueApi
{
    public static RouteGroupBuilder MapCatalogueApi(this RouteGroupBuilder api)
    {
        var touchpoints = api.MapGroup("/touchpoints").WithTags("Touchpoints");
        touchpoints.MapGet("/", async (HttpContext c, CatalogueStore store) =>
            TypedResults.Ok(await store.ListTouchpointsAsync(Workspace(c), c.RequestAborted)));
        touchpoints.MapGet("/{key}", async Task<Results<Ok<Touchpoint>, ProblemHttpResult>> (string key, HttpContext c, CatalogueStore store) =>
            await store.FindTouchpointAsync(Workspace(c), key, c.RequestAborted) is { } found ? TypedResults.Ok(found) : NotFound("touchpoint", key));
        touchpoints.MapPost("/", (TouchpointRequest request, HttpContext c, CatalogueStore store, CatalogueCache cache) =>
            SaveTouchpointAsync(request, null, c, store, cache));
        touchpoints.MapPut("/{key}", (string key, TouchpointRequest request, HttpContext c, CatalogueStore store, CatalogueCache cache) =>
            SaveTouchpointAsync(request with { Key = request.Key ?? key }, key, c, store, cache));
        touchpoints.MapDelete("/{key}", async Task<Results<NoContent, ProblemHttpResult>> (string key, HttpContext c, CatalogueStore store, CatalogueCache cache) =>
        {
            if (!await store.DeleteTouchpointAsync(Workspace(c), key, c.RequestAborted))
            {
                return NotFound("touchpoint", key);
            }

            cache.Invalidate(Workspace(c));
            return TypedResults.NoContent();
        });

        var journeys = api.MapGroup("/journeys").WithTags("Journeys");
        journeys.MapGet("/", async (HttpContext c, CatalogueStore store) =>
            TypedResults.Ok(await store.ListJourneysAsync(Workspace(c), c.RequestAborted)));
        journeys.MapGet("/{key}", async Task<Results<Ok<Journey>, ProblemHttpResult>> (string key, HttpContext c, CatalogueStore store) =>
            await store.FindJourneyAsync(Workspace(c), key, c.RequestAborted) is { } found ? TypedResults.Ok(found) : NotFound("journey", key));
        journeys.MapPost("/", (JourneyRequest request, HttpContext c, CatalogueStore store) => SaveJourneyAsync(request, null, c, store));
        journeys.MapPut("/{key}", (string key, JourneyRequest request, HttpContext c, CatalogueStore store) =>
            SaveJourneyAsync(request with { Key = request.Key ?? key }, key, c, store));
        journeys.MapDelete("/{key}", async Task<Results<NoContent, ProblemHttpResult>> (string key, HttpContext c, CatalogueStore store) =>
        {
            var workspaceId = Workspace(c);
            var users = (await store.ListTouchpointsAsync(workspaceId, c.RequestAborted)).Where(t => t.Journey == key).Select(t => t.Key).ToList();
            if (users.Count > 0)
            {
                return Problems.Field(409, "key", $"The journey \"{key}\" is used by the touchpoints {string.Join(", ", users)}; move them first.");
            }

            return await store.DeleteJourneyAsync(workspaceId, key, c.RequestAborted) ? TypedResults.NoContent() : NotFound("journey", key);
        });
        return api;
    }

    private static async Task<Results<Created<Touchpoint>, Ok<Touchpoint>, ProblemHttpResult>> SaveTouchpointAsync(
        TouchpointRequest request, string? pathKey, HttpContext context, CatalogueStore store, CatalogueCache cache)
    {
        var workspaceId = Workspace(context);
        if (pathKey is not null && request.Key != pathKey)
        {
            return Problems.Validation("key", $"The body's key \"{request.Key}\" differs from the path's \"{pathKey}\"; keys cannot be renamed.");
        }

        if (pathKey is null && request.Key is not null && await store.FindTouchpointAsync(workspaceId, request.Key, context.RequestAborted) is not null)
        {
            return Problems.Field(409, "key", $"A touchpoint with the key \"{request.Key}\" exists; use PUT /api/v1/touchpoints/{request.Key} to change it.");
        }

        var journeys = await store.ListJourneysAsync(workspaceId, context.RequestAborted);
        var others = await store.ListTouchpointsAsync(workspaceId, context.RequestAborted);
        var errors = CatalogueValidation.Touchpoint(request, journeys, others, out var touchpoint);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (saved, created) = await store.SaveTouchpointAsync(workspaceId, touchpoint!, context.RequestAborted);
        cache.Invalidate(workspaceId);
        return created ? TypedResults.Created($"/api/v1/touchpoints/{saved.Key}", saved) : TypedResults.Ok(saved);
    }

    private static async Task<Results<Created<Journey>, Ok<Journey>, ProblemHttpResult>> SaveJourneyAsync(
        JourneyRequest request, string? pathKey, HttpContext context, CatalogueStore store)
    {
        var workspaceId = Workspace(context);
        if (pathKey is not null && request.Key != pathKey)
        {
            return Problems.Validation("key", $"The body's key \"{request.Key}\" differs from the path's \"{pathKey}\"; keys cannot be renamed.");
        }

        if (pathKey is null && request.Key is not null && await store.FindJourneyAsync(workspaceId, request.Key, context.RequestAborted) is not null)
        {
            return Problems.Field(409, "key", $"A journey with the key \"{request.Key}\" exists; use PUT /api/v1/journeys/{request.Key} to change it.");
        }

        var errors = CatalogueValidation.Journey(request, out var journey);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var stillUsed = (await store.ListTouchpointsAsync(workspaceId, context.RequestAborted))
            .Where(t => t.Journey == journey!.Key && t.Stage is not null && journey.Stages.All(s => s.Key != t.Stage)).ToList();
        if (stillUsed.Count > 0)
        {
            return Problems.Validation("stages", $"Stages still used by touchpoints are missing: {string.Join(", ", stillUsed.Select(t => $"{t.Stage} ({t.Key})"))}.");
        }

        var created = await store.SaveJourneyAsync(workspaceId, journey!, context.RequestAborted);
        return created ? TypedResults.Created($"/api/v1/journeys/{journey!.Key}", journey) : TypedResults.Ok(journey!);
    }

    private static long Workspace(HttpContext context) => ApiKeyAuthentication.WorkspaceOf(context.User);

    private static ProblemHttpResult NotFound(string what, string key) => Problems.Field(404, "key", $"No {what} has the key \"{key}\".");
}
