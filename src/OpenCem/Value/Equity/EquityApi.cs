using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;

namespace OpenCem.Value.Equity;

/// <summary>Customer equity and revenue at risk by segment; what poor experiences cost by touchpoint.</summary>
public static class EquityApi
{
    public static RouteGroupBuilder MapEquityApi(this RouteGroupBuilder api)
    {
        api.MapGet("/analytics/equity", GetAsync).WithTags("Analytics")
            .WithSummary("by=segment (segment=lifecycle|tenure|loyalty|trait.NAME, default lifecycle): customers, customer equity, mean churn risk and revenue at risk per segment. by=touchpoint: per touchpoint, customers with a poor experience there against comparable customers without, the churn and value differences and the cost per year with a bootstrap 95 % interval.");
        return api;
    }

    private static async Task<Results<Ok<EquitySegmentsView>, Ok<EquityTouchpointsView>, ProblemHttpResult>> GetAsync(
        HttpContext context, EquityQuery equity, string? by, string? segment)
    {
        var ws = ApiKeyAuthentication.WorkspaceOf(context.User);
        by ??= "segment";
        if (by == "touchpoint")
        {
            return TypedResults.Ok(await equity.ByTouchpointAsync(ws, context.RequestAborted));
        }

        if (by != "segment")
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "by", $"\"{by}\" is not a grouping of equity; use segment or touchpoint.");
        }

        segment ??= "lifecycle";
        if (!EquityQuery.IsSegment(segment))
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "segment", $"\"{segment}\" is not a segment; use lifecycle, tenure, loyalty or trait.NAME.");
        }

        return TypedResults.Ok(await equity.BySegmentAsync(ws, segment, context.RequestAborted));
    }
}
