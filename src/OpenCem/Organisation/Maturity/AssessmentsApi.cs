using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;

namespace OpenCem.Organisation.Maturity;

/// <summary>The criteria catalogue with the data indicators that speak to its elements.</summary>
public sealed record CatalogueView(IReadOnlyList<CatalogueElementView> Elements);

public sealed record CatalogueElementView(string Key, int Order, string Name, string NameDe, IReadOnlyList<MaturityCriterion> Criteria, IReadOnlyList<IndicatorDefinition> Indicators);

/// <summary>
/// Customer Care Concept Index assessments under <c>/assessments</c>: CRUD, ratings per criterion and assessor (PUT
/// upserts a batch), targets per element, the index with data indicators and gaps, and the criteria catalogue.
/// </summary>
public static class AssessmentsApi
{
    public static RouteGroupBuilder MapAssessmentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/assessments").WithTags("Customer Care Concept Index");
        group.MapGet("", ListAsync).WithSummary("The assessments, newest first, with their numbers of assessors and ratings.");
        group.MapPost("", CreateAsync).Accepts<AssessmentBody>("application/json").WithSummary(
            "Creates an assessment: {name, assessedAt?: ISO date (default now), status?: draft|open|closed (default draft), notes?, assessors?: [name | {name, role}], targets?: {element: 1-5}}.");
        group.MapGet("/criteria", Criteria).WithSummary("The ten core elements, their criteria (with what a 1, 3 and 5 look like) and the data indicators of each element.");
        group.MapGet("/{id:long}", GetAsync).WithSummary("An assessment with its assessors and targets.");
        group.MapPatch("/{id:long}", PatchAsync).Accepts<AssessmentBody>("application/json").WithSummary("Changes name, assessedAt, status, notes (null clears them) or adds assessors.");
        group.MapDelete("/{id:long}", DeleteAsync).WithSummary("Deletes an assessment with its ratings and targets.");
        group.MapPut("/{id:long}/ratings", PutRatingsAsync).Accepts<RatingBody[]>("application/json").WithSummary(
            "Stores a batch of ratings [{criterion, assessor, rating: 1-5, evidence?}]; an assessor's earlier rating of a criterion is replaced. 409 when the assessment is closed.");
        group.MapGet("/{id:long}/ratings", GetRatingsAsync).WithSummary("The ratings, by criterion and assessor.");
        group.MapPut("/{id:long}/targets", PutTargetsAsync).Accepts<Dictionary<string, double>>("application/json").WithSummary("Replaces the targets: {element: 1-5}.");
        group.MapGet("/{id:long}/index", IndexAsync).WithSummary(
            "The index 0-100 and per element: score, assessors and their spread, target and gap, criteria means, data indicators (definition, value, band, contradicted); the gaps ranked. ?compareTo=ID adds the change against another assessment.");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<AssessmentSummary>>> ListAsync(HttpContext context, AssessmentStore store) =>
        TypedResults.Ok(await store.ListAsync(Workspace(context), context.RequestAborted));

    private static Ok<CatalogueView> Criteria(AssessmentIndex index) =>
        TypedResults.Ok(new CatalogueView([.. index.Catalogue.Elements.Select(e => new CatalogueElementView(
            e.Key, e.Order, e.Name, e.NameDe, [.. index.Catalogue.CriteriaOf(e.Key)], [.. DataIndicators.Of(e.Key)]))]));

    private static async Task<Results<Created<Assessment>, ProblemHttpResult>> CreateAsync(HttpContext context, AssessmentStore store, AssessmentIndex index, TimeProvider time)
    {
        if (await ReadBodyAsync(context) is not { } body)
        {
            return NotJson();
        }

        var errors = new Dictionary<string, string[]>();
        if (AssessmentRequests.ReadNew(body, index.Catalogue, time.GetUtcNow(), errors) is not { } request)
        {
            return Invalid(errors);
        }

        var id = await store.CreateAsync(Workspace(context), request, context.RequestAborted);
        return TypedResults.Created($"/api/v1/assessments/{id}", (await store.GetAsync(Workspace(context), id, context.RequestAborted))!);
    }

    private static async Task<Results<Ok<Assessment>, ProblemHttpResult>> GetAsync(HttpContext context, AssessmentStore store, long id) =>
        await store.GetAsync(Workspace(context), id, context.RequestAborted) is { } assessment ? TypedResults.Ok(assessment) : NotFound(id);

    private static async Task<Results<Ok<Assessment>, ProblemHttpResult>> PatchAsync(HttpContext context, AssessmentStore store, long id)
    {
        if (await ReadBodyAsync(context) is not { } body)
        {
            return NotJson();
        }

        var errors = new Dictionary<string, string[]>();
        if (AssessmentRequests.ReadChange(body, errors) is not { } change)
        {
            return Invalid(errors);
        }

        return await store.UpdateAsync(Workspace(context), id, change, context.RequestAborted)
            ? TypedResults.Ok((await store.GetAsync(Workspace(context), id, context.RequestAborted))!)
            : NotFound(id);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext context, AssessmentStore store, long id) =>
        await store.DeleteAsync(Workspace(context), id, context.RequestAborted) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Results<Ok<IReadOnlyList<RatingView>>, ProblemHttpResult>> PutRatingsAsync(HttpContext context, AssessmentStore store, AssessmentIndex index, long id)
    {
        var ws = Workspace(context);
        if (await ReadBodyAsync(context) is not { } body)
        {
            return NotJson();
        }

        var errors = new Dictionary<string, string[]>();
        if (AssessmentRequests.ReadRatings(body, index.Catalogue, errors) is not { } ratings)
        {
            return Invalid(errors);
        }

        var assessment = await store.GetAsync(ws, id, context.RequestAborted);
        if (assessment is null)
        {
            return NotFound(id);
        }

        if (assessment.Status == AssessmentStatuses.Closed)
        {
            return Problems.Field(409, "status", $"Assessment {id} is closed: its ratings are final. PATCH its status to open to rate again.");
        }

        return await store.SaveRatingsAsync(ws, id, ratings, context.RequestAborted)
            ? TypedResults.Ok(Views(index.Catalogue, (await store.RatingsAsync(ws, id, context.RequestAborted))!))
            : NotFound(id);
    }

    private static async Task<Results<Ok<IReadOnlyList<RatingView>>, ProblemHttpResult>> GetRatingsAsync(HttpContext context, AssessmentStore store, AssessmentIndex index, long id) =>
        await store.RatingsAsync(Workspace(context), id, context.RequestAborted) is { } ratings ? TypedResults.Ok(Views(index.Catalogue, ratings)) : NotFound(id);

    private static async Task<Results<Ok<Assessment>, ProblemHttpResult>> PutTargetsAsync(HttpContext context, AssessmentStore store, AssessmentIndex index, long id)
    {
        if (await ReadBodyAsync(context) is not { } body)
        {
            return NotJson();
        }

        var errors = new Dictionary<string, string[]>();
        if (AssessmentRequests.ReadTargets(body, index.Catalogue, errors) is not { } targets)
        {
            return Invalid(errors);
        }

        return await store.SaveTargetsAsync(Workspace(context), id, targets, context.RequestAborted)
            ? TypedResults.Ok((await store.GetAsync(Workspace(context), id, context.RequestAborted))!)
            : NotFound(id);
    }

    private static async Task<Results<Ok<AssessmentIndexView>, ProblemHttpResult>> IndexAsync(HttpContext context, AssessmentStore store, AssessmentIndex index, long id, string? compareTo = null)
    {
        var ws = Workspace(context);
        long? other = null;
        if (compareTo is not null)
        {
            if (!long.TryParse(compareTo, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var otherId))
            {
                return Problems.Validation("compareTo", "must be the id of another assessment.");
            }

            if (await store.GetAsync(ws, otherId, context.RequestAborted) is null)
            {
                return Problems.Validation("compareTo", $"no assessment {otherId} in this workspace.");
            }

            other = otherId;
        }

        return await index.ReadAsync(ws, id, other, context.RequestAborted) is { } view ? TypedResults.Ok(view) : NotFound(id);
    }

    private static IReadOnlyList<RatingView> Views(MaturityCatalogue catalogue, IReadOnlyList<AssessmentRating> ratings) =>
        [.. ratings.Select(r => new RatingView(r.Criterion, catalogue.Criterion(r.Criterion)?.Element, r.Assessor, r.Rating, r.Evidence, DateTimeOffset.FromUnixTimeMilliseconds(r.RatedAt)))];

    private static async Task<JsonElement?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ProblemHttpResult NotJson() => Problems.Field(400, "body", "The body is not JSON.");

    private static ProblemHttpResult Invalid(Dictionary<string, string[]> errors) =>
        errors.TryGetValue("body", out var body) ? Problems.Field(400, "body", body[0]) : Problems.Validation(errors);

    private static ProblemHttpResult NotFound(long id) => Problems.Field(404, "id", $"No assessment {id} in this workspace.");

    private static long Workspace(HttpContext context) => ApiKeyAuthentication.WorkspaceOf(context.User);
}
