using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;

namespace OpenCem.Organisation.Initiatives;

/// <summary>
/// Management API of improvement initiatives: CRUD, phase transitions (strategy → solution-design → realisation →
/// standardisation → completed, or stopped), work packages and target KPIs, baselines, and the measured effect.
/// </summary>
public static class InitiativesApi
{
    public static RouteGroupBuilder MapInitiativesApi(this RouteGroupBuilder api)
    {
        var initiatives = api.MapGroup("/initiatives").WithTags("Initiatives");
        initiatives.MapGet("/", ListAsync).WithSummary("Initiatives (filter: phase).");
        initiatives.MapPost("/", CreateAsync)
            .WithSummary("Creates an initiative in strategy: {name, description?, owner?, element?, beforeDays?, lagDays?, startedAt?, kpis?: [...], packages?: [...]}.");
        initiatives.MapGet("/{id:long}", GetAsync).WithSummary("One initiative with its phases, history, work packages and KPIs (with baselines).");
        initiatives.MapPatch("/{id:long}", PatchAsync).WithSummary("Changes name, description, owner, element, beforeDays, lagDays.");
        initiatives.MapDelete("/{id:long}", DeleteAsync).WithSummary("Deletes the initiative with its history, packages and KPIs.");
        initiatives.MapPost("/{id:long}/transitions", TransitionAsync)
            .WithSummary("Moves the initiative: {\"to\": \"realisation\", \"note\"?, \"by\"?, \"at\"?}; entering realisation captures the KPIs' baselines; an invalid move is refused (409) with the allowed ones.");
        initiatives.MapPost("/{id:long}/baseline", BaselineAsync).WithSummary("Captures every KPI's baseline now (the before window of realisation, or the days up to today).");
        initiatives.MapGet("/{id:long}/effect", EffectAsync)
            .WithSummary("Per KPI: before, after, difference with 95 % interval and significance, comparison before/after, difference-in-differences, verdict.");
        initiatives.MapGet("/{id:long}/packages", PackagesAsync).WithSummary("The work packages.");
        initiatives.MapPost("/{id:long}/packages", AddPackageAsync).WithSummary("Adds a work package: {name, status?: planned|in-progress|done|dropped, due?: date}.");
        initiatives.MapPatch("/{id:long}/packages/{packageId:long}", PatchPackageAsync).WithSummary("Changes a work package's name, status or due date.");
        initiatives.MapDelete("/{id:long}/packages/{packageId:long}", DeletePackageAsync).WithSummary("Deletes a work package.");
        initiatives.MapGet("/{id:long}/kpis", KpisAsync).WithSummary("The target KPIs with their baselines.");
        initiatives.MapPost("/{id:long}/kpis", AddKpiAsync)
            .WithSummary("Adds a target KPI: {kind: nps|csat|ces|metric|sla-attainment|enps, measure?, survey?, question?, touchpoints?, team?, direction?, target?, comparison?}.");
        initiatives.MapPatch("/{id:long}/kpis/{kpiId:long}", PatchKpiAsync).WithSummary("Changes a KPI's fields (the ones given); the baseline stays.");
        initiatives.MapDelete("/{id:long}/kpis/{kpiId:long}", DeleteKpiAsync).WithSummary("Deletes a KPI.");
        return api;
    }

    private static long Workspace(HttpContext context) => ApiKeyAuthentication.WorkspaceOf(context.User);

    private static ProblemHttpResult NotFound(string field = "id", string what = "initiative") => Problems.Field(StatusCodes.Status404NotFound, field, $"No {what} has this id.");

    private static async Task<Results<Ok<IReadOnlyList<InitiativeSummary>>, ProblemHttpResult>> ListAsync(HttpContext context, InitiativeStore store, string? phase)
    {
        if (phase is not null && !InitiativePhases.IsKnown(phase))
        {
            return Problems.Validation("phase", $"must be one of {string.Join(", ", InitiativePhases.All)}.");
        }

        return TypedResults.Ok(await store.ListAsync(Workspace(context), phase, context.RequestAborted));
    }

    private static async Task<Results<Created<InitiativeView>, ProblemHttpResult>> CreateAsync(
        HttpContext context, InitiativeRequest request, InitiativeStore store, KpiMeasurer measurer, TimeProvider time)
    {
        var workspaceId = Workspace(context);
        var errors = new Dictionary<string, string[]>();
        var draft = InitiativeInput.Read(request, errors);
        var kpis = new List<InitiativeKpi>();
        for (var i = 0; i < (request.Kpis?.Length ?? 0); i++)
        {
            if (InitiativeInput.Kpi(request.Kpis![i], $"kpis[{i}].", errors) is { } kpi)
            {
                await measurer.CheckAsync(workspaceId, kpi, $"kpis[{i}].", errors, context.RequestAborted);
                kpis.Add(kpi);
            }
        }

        var packages = new List<PackageDraft>();
        for (var i = 0; i < (request.Packages?.Length ?? 0); i++)
        {
            if (InitiativeInput.Package(request.Packages![i], $"packages[{i}].", errors) is { } package)
            {
                packages.Add(package);
            }
        }

        if (request.StartedAt is { } started && started > time.GetUtcNow())
        {
            errors["startedAt"] = ["must not be in the future."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var view = await store.CreateAsync(workspaceId, draft!, kpis, packages, ActorOf(context, request.Actor), request.StartedAt, context.RequestAborted);
        return TypedResults.Created($"/api/v1/initiatives/{view.Id}", view);
    }

    private static async Task<Results<Ok<InitiativeView>, ProblemHttpResult>> GetAsync(HttpContext context, long id, InitiativeStore store) =>
        await store.GetAsync(Workspace(context), id, context.RequestAborted) is { } view ? TypedResults.Ok(view) : NotFound();

    private static async Task<Results<Ok<InitiativeView>, ProblemHttpResult>> PatchAsync(HttpContext context, long id, InitiativePatchRequest request, InitiativeStore store)
    {
        var workspaceId = Workspace(context);
        if (await store.GetAsync(workspaceId, id, context.RequestAborted) is not { } current)
        {
            return NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        if (InitiativeInput.Patch(current.Draft, request, errors) is not { } draft)
        {
            return Problems.Validation(errors);
        }

        return Answer(await store.UpdateAsync(workspaceId, id, draft, context.RequestAborted));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext context, long id, InitiativeStore store) =>
        await store.DeleteAsync(Workspace(context), id, context.RequestAborted) ? TypedResults.NoContent() : NotFound();

    private static async Task<Results<Ok<InitiativeView>, ProblemHttpResult>> TransitionAsync(
        HttpContext context, long id, InitiativeTransitionRequest request, InitiativeStore store, InitiativeEffects effects)
    {
        var to = request.To?.Trim().ToLowerInvariant();
        if (to is null || !InitiativePhases.IsKnown(to))
        {
            return Problems.Validation("to", $"is required: one of {string.Join(", ", InitiativePhases.All)}.");
        }

        if (request.Note is { Length: > InitiativeInput.MaxDescription })
        {
            return Problems.Validation("note", $"must be at most {InitiativeInput.MaxDescription} characters.");
        }

        var workspaceId = Workspace(context);
        var result = await store.TransitionAsync(workspaceId, id, to, ActorOf(context, request.By), request.Note?.Trim(), request.At, context.RequestAborted);
        if (result.Status == 200 && to == InitiativePhases.Realisation)
        {
            result = result with { Initiative = await effects.CaptureBaselinesAsync(workspaceId, id, context.RequestAborted) };
        }

        return Answer(result);
    }

    private static async Task<Results<Ok<InitiativeView>, ProblemHttpResult>> BaselineAsync(HttpContext context, long id, InitiativeEffects effects) =>
        await effects.CaptureBaselinesAsync(Workspace(context), id, context.RequestAborted) is { } view ? TypedResults.Ok(view) : NotFound();

    private static async Task<Results<Ok<InitiativeEffect>, ProblemHttpResult>> EffectAsync(HttpContext context, long id, InitiativeEffects effects) =>
        await effects.MeasureAsync(Workspace(context), id, context.RequestAborted) is { } effect ? TypedResults.Ok(effect) : NotFound();

    private static async Task<Results<Ok<IReadOnlyList<WorkPackage>>, ProblemHttpResult>> PackagesAsync(HttpContext context, long id, InitiativeStore store) =>
        await store.PackagesAsync(Workspace(context), id, context.RequestAborted) is { } packages ? TypedResults.Ok(packages) : NotFound();

    private static async Task<Results<Created<WorkPackage>, ProblemHttpResult>> AddPackageAsync(HttpContext context, long id, PackageRequest request, InitiativeStore store)
    {
        var workspaceId = Workspace(context);
        var errors = new Dictionary<string, string[]>();
        if (InitiativeInput.Package(request, "", errors) is not { } draft)
        {
            return Problems.Validation(errors);
        }

        if (await store.AddPackageAsync(workspaceId, id, draft, context.RequestAborted) is not { } packageId)
        {
            return NotFound();
        }

        var package = (await store.PackagesAsync(workspaceId, id, context.RequestAborted))!.Single(p => p.Id == packageId);
        return TypedResults.Created($"/api/v1/initiatives/{id}/packages/{packageId}", package);
    }

    private static async Task<Results<Ok<WorkPackage>, ProblemHttpResult>> PatchPackageAsync(
        HttpContext context, long id, long packageId, PackageRequest request, InitiativeStore store)
    {
        var workspaceId = Workspace(context);
        if ((await store.PackagesAsync(workspaceId, id, context.RequestAborted))?.FirstOrDefault(p => p.Id == packageId) is not { } current)
        {
            return NotFound("packageId", "work package of this initiative");
        }

        var errors = new Dictionary<string, string[]>();
        if (InitiativeInput.Package(request, "", errors, new PackageDraft(current.Name, current.Status, current.Due)) is not { } draft)
        {
            return Problems.Validation(errors);
        }

        await store.UpdatePackageAsync(workspaceId, id, packageId, draft, context.RequestAborted);
        return TypedResults.Ok((await store.PackagesAsync(workspaceId, id, context.RequestAborted))!.Single(p => p.Id == packageId));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeletePackageAsync(HttpContext context, long id, long packageId, InitiativeStore store) =>
        await store.DeletePackageAsync(Workspace(context), id, packageId, context.RequestAborted) ? TypedResults.NoContent() : NotFound("packageId", "work package of this initiative");

    private static async Task<Results<Ok<IReadOnlyList<InitiativeKpi>>, ProblemHttpResult>> KpisAsync(HttpContext context, long id, InitiativeStore store) =>
        await store.GetAsync(Workspace(context), id, context.RequestAborted) is { } view ? TypedResults.Ok(view.Kpis) : NotFound();

    private static async Task<Results<Created<InitiativeKpi>, ProblemHttpResult>> AddKpiAsync(
        HttpContext context, long id, KpiRequest request, InitiativeStore store, KpiMeasurer measurer)
    {
        var workspaceId = Workspace(context);
        var errors = new Dictionary<string, string[]>();
        var kpi = InitiativeInput.Kpi(request, "", errors);
        if (kpi is not null)
        {
            await measurer.CheckAsync(workspaceId, kpi, "", errors, context.RequestAborted);
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (await store.AddKpiAsync(workspaceId, id, kpi!, context.RequestAborted) is not { } kpiId)
        {
            return NotFound();
        }

        var stored = (await store.GetAsync(workspaceId, id, context.RequestAborted))!.Kpis.Single(k => k.Id == kpiId);
        return TypedResults.Created($"/api/v1/initiatives/{id}/kpis/{kpiId}", stored);
    }

    private static async Task<Results<Ok<InitiativeKpi>, ProblemHttpResult>> PatchKpiAsync(
        HttpContext context, long id, long kpiId, KpiRequest request, InitiativeStore store, KpiMeasurer measurer)
    {
        var workspaceId = Workspace(context);
        if ((await store.GetAsync(workspaceId, id, context.RequestAborted))?.Kpis.FirstOrDefault(k => k.Id == kpiId) is not { } current)
        {
            return NotFound("kpiId", "KPI of this initiative");
        }

        // The fields given replace the current ones; a changed kind starts from its own defaults.
        var merged = request.Kind is { } kind && kind != current.Kind ? request : new KpiRequest(
            current.Kind, request.Measure ?? current.Measure, request.Survey ?? current.SurveyId, request.Question ?? current.Question,
            request.Touchpoints ?? (request.Touchpoint is null ? [.. current.Touchpoints] : null), request.Touchpoint, request.Team ?? current.Team,
            request.Direction ?? current.Direction, request.Target ?? current.Target, request.Comparison ?? (current.Comparison is null ? null : [.. current.Comparison]));
        var errors = new Dictionary<string, string[]>();
        var kpi = InitiativeInput.Kpi(merged, "", errors, kpiId);
        if (kpi is not null)
        {
            await measurer.CheckAsync(workspaceId, kpi, "", errors, context.RequestAborted);
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        await store.UpdateKpiAsync(workspaceId, id, kpi!, context.RequestAborted);
        return TypedResults.Ok((await store.GetAsync(workspaceId, id, context.RequestAborted))!.Kpis.Single(k => k.Id == kpiId));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteKpiAsync(HttpContext context, long id, long kpiId, InitiativeStore store) =>
        await store.DeleteKpiAsync(Workspace(context), id, kpiId, context.RequestAborted) ? TypedResults.NoContent() : NotFound("kpiId", "KPI of this initiative");

    private static Results<Ok<InitiativeView>, ProblemHttpResult> Answer(InitiativeChange result) => result.Status switch
    {
        200 => TypedResults.Ok(result.Initiative!),
        422 => Problems.Validation(result.Field!, result.Message!),
        _ => Problems.Field(result.Status, result.Field!, result.Message!, extensions: result.Allowed is null ? null : new Dictionary<string, object?> { ["allowed"] = result.Allowed }),
    };

    /// <summary>Who the history names: the caller's word for it, else the API key.</summary>
    private static string ActorOf(HttpContext context, string? given) =>
        !string.IsNullOrWhiteSpace(given) ? given.Trim()[..Math.Min(given.Trim().Length, InitiativeInput.MaxText)]
        : "api-key:" + (context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? "?");
}
