using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;
using OpenCem.Storage;

namespace OpenCem.Analytics.Metrics;

/// <summary>Management API: NPS, CSAT, CES, eNPS and any rating question over time and by dimension, from the rollups.</summary>
public static class MetricsApi
{
    public static RouteGroupBuilder MapMetricsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/analytics/metrics", GetAsync).WithTags("Analytics")
            .WithSummary("Metric rows {period, group, n, value, ciLow, ciHigh, previous, significant, flagged}: " +
                "metric=nps|csat|ces|mean|enps, question, survey, by=DIM[,DIM], interval=day|week|month|quarter|year|all, from, to, filter=FIELD:V1|V2 (repeatable).");
        api.MapGet("/analytics/metrics/settings", GetSettingsAsync).WithTags("Analytics").WithSummary("The minimum n and the customer traits rolled up as dimensions.");
        api.MapPut("/analytics/metrics/settings", PutSettingsAsync).WithTags("Analytics")
            .WithSummary("Sets {minimumN, traits}; a changed trait list recounts the rollups from the stored responses.");
        api.MapPost("/analytics/metrics/rebuild", RebuildAsync).WithTags("Analytics").WithSummary("Recounts the metrics rollups from the stored responses.");
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<MetricRow>>, ProblemHttpResult>> GetAsync(
        HttpContext context, MetricsReader reader, string? metric, string? question, string? survey, string? by, string? interval, string? from, string? to,
        [FromQuery] string[]? filter)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var settings = await reader.SettingsAsync(workspaceId, context.RequestAborted);
        if (MetricsRequestParser.Parse(metric, question, survey, by, interval, from, to, filter ?? [], settings, out var error) is not { } request)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, error!.Field, error.Message);
        }

        var (rows, problem) = await reader.ReadAsync(workspaceId, request, settings, context.RequestAborted);
        return problem is null ? TypedResults.Ok(rows) : Problems.Field(StatusCodes.Status400BadRequest, problem.Field, problem.Message);
    }

    private static async Task<Ok<MetricsSettings>> GetSettingsAsync(HttpContext context, MetricsSettingsStore store) =>
        TypedResults.Ok(await store.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted));

    private static async Task<Results<Ok<MetricsSettings>, ProblemHttpResult>> PutSettingsAsync(
        HttpContext context, MetricsSettingsStore store, Database database, MetricsSettingsBody body)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (body.MinimumN is < 2 or > 1_000_000)
        {
            return Problems.Field(StatusCodes.Status422UnprocessableEntity, "minimumN", "minimumN must be a whole number from 2 to 1000000.");
        }

        var traits = (body.Traits ?? []).Select(t => t?.Trim() ?? "").ToList();
        if (traits.Count > MetricsSettings.MaxTraits || traits.Any(t => t.Length is 0 or > 64 || t.Contains('.', StringComparison.Ordinal)) || traits.Distinct().Count() != traits.Count)
        {
            return Problems.Field(StatusCodes.Status422UnprocessableEntity, "traits", $"traits must be up to {MetricsSettings.MaxTraits} different trait names (1-64 characters, no dots).");
        }

        var current = await store.GetAsync(workspaceId, context.RequestAborted);
        var settings = new MetricsSettings(body.MinimumN ?? current.MinimumN, body.Traits is null ? current.Traits : traits);
        await store.SaveAsync(workspaceId, settings, context.RequestAborted);
        if (!settings.Traits.SequenceEqual(current.Traits))
        {
            await MetricRollup.RebuildAsync(database, workspaceId, context.RequestAborted);
        }

        return TypedResults.Ok(settings);
    }

    private static async Task<Ok<MetricsRebuilt>> RebuildAsync(HttpContext context, Database database) =>
        TypedResults.Ok(new MetricsRebuilt(await MetricRollup.RebuildAsync(database, ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted)));
}

public sealed record MetricsSettingsBody(int? MinimumN, IReadOnlyList<string?>? Traits);

public sealed record MetricsRebuilt(long Responses);
