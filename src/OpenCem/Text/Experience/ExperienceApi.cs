using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;
using OpenCem.Interactions;

namespace OpenCem.Text.Experience;

/// <summary>Management API: the balance of the experiential modules (sense, feel, think, act, relate) per touchpoint, channel or survey.</summary>
public static class ExperienceApi
{
    public static RouteGroupBuilder MapExperienceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/text/experiential", GetAsync).WithTags("Text analytics")
            .WithSummary("Per group (by=touchpoint|channel|survey|none): comments and, per module, count, share and mean sentiment. Optional from, to, survey (id), touchpoint (key), kind (responses|signals).");
        return api;
    }

    private static async Task<Results<Ok<ExperientialView>, ProblemHttpResult>> GetAsync(
        HttpContext context, ExperientialBalance balance, CatalogueStore catalogue,
        string? by, string? from, string? to, string? survey, string? touchpoint, string? kind)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var errors = new Dictionary<string, string[]>();
        var grouping = by ?? ExperienceGrouping.Touchpoint;
        if (!ExperienceGrouping.All.Contains(grouping))
        {
            errors["by"] = ["must be touchpoint, channel, survey or none."];
        }

        var filter = await ExperienceFilter.ParseAsync(workspaceId, catalogue, from, to, survey, touchpoint, kind, errors, context.RequestAborted);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return TypedResults.Ok(await balance.GetAsync(workspaceId, grouping, filter, touchpoint, context.RequestAborted));
    }
}
