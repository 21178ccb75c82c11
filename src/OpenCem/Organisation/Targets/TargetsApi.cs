using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;
using OpenCem.Organisation.Pulse;

namespace OpenCem.Organisation.Targets;

/// <summary>The four strategic targets of the Customer Care Concept on one page.</summary>
public static class TargetsApi
{
    public static RouteGroupBuilder MapTargetsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/organisation/targets", GetAsync).WithTags("Organisation").WithSummary(
            "Customer loyalty (NPS with trend), increase in sales (revenue, growth, customer equity), employee loyalty (eNPS with trend) and " +
            "efficiency (self-service share and success, interactions per customer, cases per 1,000 customers, median resolution time) " +
            "for the last complete period: period=quarter|year, at (a date; default today or the last day with interactions), survey (the relationship survey).");
        return api;
    }

    private static async Task<Results<Ok<TargetsView>, ProblemHttpResult>> GetAsync(
        HttpContext context, StrategicTargets targets, string? period, string? at, string? survey)
    {
        var level = PulseLevel.Quarter;
        if (!string.IsNullOrWhiteSpace(period) && (!Enum.TryParse(period, ignoreCase: true, out level) || int.TryParse(period, out _)))
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "period", "period must be quarter or year.");
        }

        long? moment = null;
        if (!string.IsNullOrWhiteSpace(at))
        {
            if (!DateOnly.TryParseExact(at, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || date.Year is < 1971 or > 9000)
            {
                return Problems.Field(StatusCodes.Status400BadRequest, "at", "at must be a date (2025-06-30).");
            }

            moment = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
        }

        long? surveyId = null;
        if (!string.IsNullOrWhiteSpace(survey))
        {
            if (!long.TryParse(survey, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                return Problems.Field(StatusCodes.Status400BadRequest, "survey", "survey must be a survey id.");
            }

            surveyId = id;
        }

        return TypedResults.Ok(await targets.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), level, moment, surveyId, context.RequestAborted));
    }
}
