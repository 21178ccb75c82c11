using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;
using OpenCem.Interactions;
using OpenCem.Text.Pipeline;

namespace OpenCem.Text.Insights;

/// <summary>Management API: which themes customers write about, how they feel about them, and what each costs in NPS and CSAT.</summary>
public static class ThemesApi
{
    public static RouteGroupBuilder MapThemesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/text/themes", GetAsync).WithTags("Text analytics")
            .WithSummary("Per theme: volume, share, sentiment, NPS and CSAT with and without it (Welch 95 % interval) and impact, sorted by impact; plus suggested new themes. Optional from, to, survey (id), touchpoint (key), kind (responses|signals).");
        api.MapGet("/text/themes/suggestions", async (HttpContext c, ThemeSuggestions suggestions) =>
            TypedResults.Ok(await suggestions.ListAsync(ApiKeyAuthentication.WorkspaceOf(c.User), c.RequestAborted)))
            .WithTags("Text analytics").WithSummary("Frequent phrases of comments and signals that no theme matched, with counts and examples.");
        return api;
    }

    private static async Task<Results<Ok<ThemesView>, ProblemHttpResult>> GetAsync(
        HttpContext context, ThemeInsights insights, CatalogueCache catalogue, string? from, string? to, string? survey, string? touchpoint, string? kind)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var errors = new Dictionary<string, string[]>();
        var fromTime = InteractionsApi.ParseTime(from, "from", errors);
        var toTime = InteractionsApi.ParseTime(to, "to", errors);
        long? surveyId = null;
        if (survey is not null)
        {
            surveyId = long.TryParse(survey, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
            if (surveyId is null)
            {
                errors["survey"] = ["must be a survey id (a whole number)."];
            }
        }

        string? itemKind = kind switch
        {
            null or "all" => null,
            "responses" => TextItemKind.Response,
            "signals" => TextItemKind.Signal,
            _ => "?",
        };
        if (itemKind == "?")
        {
            errors["kind"] = ["must be responses, signals or all."];
        }

        long? touchpointId = null;
        if (touchpoint is not null)
        {
            await catalogue.RefreshAsync([workspaceId], context.RequestAborted);
            touchpointId = catalogue.Get(workspaceId).Find(touchpoint)?.Id;
            if (touchpointId is null)
            {
                errors["touchpoint"] = [$"no touchpoint has the key \"{touchpoint}\"."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        // A survey's comments are responses; asking for a survey's signals finds none, so the survey narrows the kind.
        var filter = new ThemeFilter(fromTime, toTime, surveyId, touchpointId, surveyId is null ? itemKind : TextItemKind.Response);
        return TypedResults.Ok(await insights.GetAsync(workspaceId, filter, touchpoint, context.RequestAborted));
    }
}
