using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Analytics.Journeys;
using OpenCem.Hosting;

namespace OpenCem.Analytics.Ladder;

/// <summary>The loyalty ladder: rungs per period and the moves between periods; its rules per workspace.</summary>
public static class LadderApi
{
    public static RouteGroupBuilder MapLadderApi(this RouteGroupBuilder api)
    {
        api.MapGet("/analytics/ladder", GetAsync).WithTags("Analytics")
            .WithSummary("Customers per rung of the NPS ladder and the behavioural ladder (satisfied, loyal, advocate) per period, and their moves from the period before. interval=month|quarter|year, by=trait.NAME, from, to.");
        api.MapGet("/analytics/ladder/rules", GetRulesAsync).WithTags("Analytics")
            .WithSummary("The workspace's behavioural ladder rules (the defaults until set).");
        api.MapPut("/analytics/ladder/rules", PutRulesAsync).WithTags("Analytics")
            .WithSummary("Replaces the ladder rules: {satisfied:{csatAtLeast, npsAtLeast, lookbackMonths}, loyal:{events, withinMonths, tenureTrait, tenureMonths}, advocate:{events, withinMonths, npsAtLeast, reviewSources, reviewAtLeast}}; the ladder is recomputed.");
        return api;
    }

    private static async Task<Results<Ok<LadderView>, ProblemHttpResult>> GetAsync(
        HttpContext context, LadderQuery ladder, string? interval, string? by, string? from, string? to)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        interval ??= "month";
        if (!LadderPeriods.IsKnown(interval))
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "interval", $"\"{interval}\" is not an interval of the ladder; use month, quarter or year.");
        }

        string? trait = null;
        if (!string.IsNullOrEmpty(by))
        {
            if (!by.StartsWith("trait.", StringComparison.Ordinal) || by.Length == "trait.".Length)
            {
                return Problems.Field(StatusCodes.Status400BadRequest, "by", $"\"{by}\" cannot group the ladder; use trait.NAME (e.g. trait.plan).");
            }

            trait = by["trait.".Length..];
        }

        var query = JourneysApi.ParseQuery(from, to, default, null, null, out var problem);
        if (query is null)
        {
            return problem!;
        }

        return TypedResults.Ok(await ladder.GetAsync(workspaceId, interval, trait, query.From, query.To, context.RequestAborted));
    }

    private static async Task<Ok<LadderRules>> GetRulesAsync(HttpContext context, LadderRulesStore rules) =>
        TypedResults.Ok(await rules.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted));

    private static async Task<Results<Ok<LadderRules>, ProblemHttpResult>> PutRulesAsync(
        HttpContext context, LadderRulesStore rules, LadderProjector projector, System.Text.Json.JsonElement body)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        LadderRules? parsed;
        try
        {
            parsed = System.Text.Json.JsonSerializer.Deserialize<LadderRules>(body.GetRawText(), LadderRulesStore.Json);
        }
        catch (System.Text.Json.JsonException exception)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, exception.Path is { Length: > 2 } path ? path[2..] : "body", "Not valid ladder rules: " + exception.Message);
        }

        if (parsed is null)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "body", "The body must be a JSON object of ladder rules.");
        }

        var errors = parsed.Validate();
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        await rules.SetAsync(workspaceId, parsed, context.RequestAborted);
        await projector.RunOnceAsync(force: true, context.RequestAborted);
        return TypedResults.Ok(parsed);
    }
}
