using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;

namespace OpenCem.Customers;

public sealed record RebuildResult(int Records, int IdentifiersChanged, int ProfilesCreated, int ProfilesMerged, long ElapsedMilliseconds);

/// <summary>Management API: the identity-resolution rules of the workspace, and re-running them.</summary>
public static class IdentityApi
{
    public static RouteGroupBuilder MapIdentityApi(this RouteGroupBuilder api)
    {
        var identity = api.MapGroup("/identity").WithTags("Customers");
        identity.MapGet("/settings", async (HttpContext context, IdentityService service) =>
            TypedResults.Ok(await service.GetSettingsAsync(ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted)))
            .WithSummary("The resolution rules: identifier types, normalisation, guards, source priority, survivorship and life-cycle rules.");
        identity.MapPut("/settings", PutSettingsAsync)
            .WithSummary("Replaces the resolution rules; new records follow them at once, existing ones after a rebuild.");
        identity.MapPost("/rebuild", async (HttpContext context, IdentityService service, TimeProvider time) =>
        {
            var started = time.GetTimestamp();
            var outcome = await service.RebuildAsync(ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted);
            return TypedResults.Ok(new RebuildResult(
                outcome.Updated + outcome.Unchanged, outcome.Updated, outcome.ProfilesCreated, outcome.ProfilesMerged, (long)time.GetElapsedTime(started).TotalMilliseconds));
        }).WithSummary("Re-resolves every record with the current rules; splits made by hand are kept.");
        return api;
    }

    private static async Task<Results<Ok<IdentitySettings>, ProblemHttpResult>> PutSettingsAsync(HttpContext context, IdentityService service, IdentitySettings? settings)
    {
        if (settings is null)
        {
            return Problems.Validation("body", "Send the settings as a JSON object.");
        }

        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            return Problems.Validation(errors.ToDictionary(e => e.Key, e => new[] { e.Value }));
        }

        await service.SaveSettingsAsync(ApiKeyAuthentication.WorkspaceOf(context.User), settings, context.RequestAborted);
        return TypedResults.Ok(settings);
    }
}
