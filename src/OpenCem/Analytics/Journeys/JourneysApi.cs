using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;
using OpenCem.Hosting;

namespace OpenCem.Analytics.Journeys;

/// <summary>Journey analytics: stage conversion, drop-off, time to the next stage, frequent paths and the emotion curve.</summary>
public static class JourneysApi
{
    public static RouteGroupBuilder MapJourneyAnalyticsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/analytics/journeys/{id}", GetAsync).WithTags("Analytics")
            .WithSummary("A journey (id or key): per stage entered, converted, drop-off and time to the next stage; the top paths; the emotion curve with its moment of pain. Optional from, to, filter=channel:X|trait.NAME:X (repeatable), top, minN.");
        return api;
    }

    private static async Task<Results<Ok<JourneyAnalyticsView>, ProblemHttpResult>> GetAsync(
        HttpContext context, JourneyQuery journeys, string id, string? from, string? to, string? top, string? minN)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var parsed = ParseQuery(from, to, context.Request.Query["filter"], top, minN, out var problem);
        if (parsed is null)
        {
            return problem!;
        }

        if (await journeys.FindAsync(workspaceId, id, context.RequestAborted) is not { } journey)
        {
            return Problems.Field(StatusCodes.Status404NotFound, "id", $"There is no journey with the id or key \"{id}\".");
        }

        return TypedResults.Ok(await journeys.GetAsync(workspaceId, journey, parsed, context.RequestAborted));
    }

    /// <summary>Reads the query's parameters; null with a 400 naming the first bad one.</summary>
    public static JourneyQueryOptions? ParseQuery(string? from, string? to, StringValues filters, string? top, string? minN, out ProblemHttpResult? problem)
    {
        problem = null;
        var errors = new Dictionary<string, string[]>();
        var fromTime = Interactions.InteractionsApi.ParseTime(from, "from", errors);
        var toTime = Interactions.InteractionsApi.ParseTime(to, "to", errors);
        if (errors.Count > 0)
        {
            var (field, messages) = errors.First();
            problem = Problems.Field(StatusCodes.Status400BadRequest, field, messages[0]);
            return null;
        }

        if (fromTime >= toTime)
        {
            problem = Problems.Field(StatusCodes.Status400BadRequest, "to", "Must be after from.");
            return null;
        }

        var list = new List<AnalyticsFilter>();
        foreach (var text in filters)
        {
            if (AnalyticsFilter.Parse(text ?? "", out var error) is not { } filter)
            {
                problem = Problems.Field(StatusCodes.Status400BadRequest, "filter", error!);
                return null;
            }

            list.Add(filter);
        }

        if (!TryCount(top, 10, 1, 100, out var topN))
        {
            problem = Problems.Field(StatusCodes.Status400BadRequest, "top", "Must be a whole number from 1 to 100.");
            return null;
        }

        if (!TryCount(minN, 30, 0, 1_000_000, out var min))
        {
            problem = Problems.Field(StatusCodes.Status400BadRequest, "minN", "Must be a whole number from 0 to 1,000,000.");
            return null;
        }

        return new JourneyQueryOptions(fromTime, toTime, list, topN, min);
    }

    private static bool TryCount(string? text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        return text is null || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }
}
