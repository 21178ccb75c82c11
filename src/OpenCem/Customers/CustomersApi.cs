using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;
using OpenCem.Interactions;

namespace OpenCem.Customers;

public sealed record SplitRequest(IReadOnlyList<RecordReference>? Records);

public sealed record CustomerSearchResult(IReadOnlyList<CustomerMatch> Items);

/// <summary>Management API: Customer 360 — search, profile, timeline, merges, split, export and erasure.</summary>
public static class CustomersApi
{
    public static RouteGroupBuilder MapCustomersApi(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers").WithTags("Customers");
        customers.MapGet("/", SearchAsync).WithSummary("Finds customers by name, e-mail, phone, customer number or any identifier.");
        customers.MapGet("/{id}", GetAsync).WithSummary("The 360° profile. An id merged into another profile answers with that profile.");
        customers.MapGet("/{id}/timeline", TimelineAsync).WithSummary("Everything that happened to the customer, newest first, keyset-paged.");
        customers.MapGet("/{id}/merges", MergesAsync).WithSummary("Which identifiers linked which records, and when; what was kept apart and why.");
        customers.MapPost("/{id}/split", SplitAsync).WithSummary("Detaches records into a new profile; later resolution keeps them apart.");
        customers.MapGet("/{id}/export", ExportAsync).WithSummary("Everything held about the person, as JSON (GDPR articles 15 and 20).");
        customers.MapDelete("/{id}", EraseAsync).WithSummary("Erases the person (GDPR article 17); identifiers are tomb-stoned, aggregates stay anonymous.");
        return api;
    }

    private static async Task<Results<Ok<CustomerSearchResult>, ProblemHttpResult>> SearchAsync(HttpContext context, CustomerProfiles profiles, string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return Problems.Validation("q", "Give a name, e-mail, phone, customer number or other identifier to search for.");
        }

        var matches = await profiles.SearchAsync(ApiKeyAuthentication.WorkspaceOf(context.User), q, context.RequestAborted);
        return TypedResults.Ok(new CustomerSearchResult(matches));
    }

    private static async Task<Results<Ok<CustomerProfile>, ProblemHttpResult>> GetAsync(HttpContext context, CustomerProfiles profiles, string id)
    {
        if (ParseId(id) is not { } customerId)
        {
            return BadId();
        }

        var profile = await profiles.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), customerId, context.RequestAborted);
        return profile is null ? NotFound(id) : TypedResults.Ok(profile);
    }

    private static async Task<Results<Ok<InteractionPage>, ProblemHttpResult>> TimelineAsync(
        HttpContext context, CustomerProfiles profiles, InteractionQuery query, string id, string? cursor, string? limit)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (ParseId(id) is not { } customerId)
        {
            return BadId();
        }

        var errors = new Dictionary<string, string[]>();
        var (after, pageSize) = InteractionsApi.ParsePage(cursor, limit, 50, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (await profiles.ResolveIdAsync(workspaceId, customerId, context.RequestAborted) is not { } current)
        {
            return NotFound(id);
        }

        return TypedResults.Ok(await query.ListAsync(workspaceId, new InteractionFilter(CustomerId: current, After: after, Limit: pageSize), context.RequestAborted));
    }

    private static async Task<Results<Ok<MergeExplanation>, ProblemHttpResult>> MergesAsync(HttpContext context, CustomerProfiles profiles, string id)
    {
        if (ParseId(id) is not { } customerId)
        {
            return BadId();
        }

        var explanation = await profiles.ExplainAsync(ApiKeyAuthentication.WorkspaceOf(context.User), customerId, context.RequestAborted);
        return explanation is null ? NotFound(id) : TypedResults.Ok(explanation);
    }

    private static async Task<Results<Ok<SplitResult>, ProblemHttpResult>> SplitAsync(HttpContext context, ProfileChanges changes, string id, SplitRequest? request)
    {
        if (ParseId(id) is not { } customerId)
        {
            return BadId();
        }

        if (request?.Records is not { Count: > 0 } records || records.Any(r => r is null || string.IsNullOrEmpty(r.Source) || string.IsNullOrEmpty(r.Id)))
        {
            return Problems.Validation("records", "Name the records to detach: [{\"source\":\"crm\",\"id\":\"CRM-1\"}].");
        }

        try
        {
            var result = await changes.SplitAsync(ApiKeyAuthentication.WorkspaceOf(context.User), customerId, records, context.RequestAborted);
            return result is null ? NotFound(id) : TypedResults.Ok(result);
        }
        catch (ProfileChangeException ex)
        {
            return Problems.Validation(ex.Field, ex.Message);
        }
    }

    private static async Task<Results<Ok<CustomerExport>, ProblemHttpResult>> ExportAsync(HttpContext context, CustomerExports exports, string id)
    {
        if (ParseId(id) is not { } customerId)
        {
            return BadId();
        }

        var export = await exports.ExportAsync(ApiKeyAuthentication.WorkspaceOf(context.User), customerId, context.RequestAborted);
        return export is null ? NotFound(id) : TypedResults.Ok(export);
    }

    private static async Task<Results<Ok<ErasureResult>, ProblemHttpResult>> EraseAsync(HttpContext context, ProfileChanges changes, string id)
    {
        if (ParseId(id) is not { } customerId)
        {
            return BadId();
        }

        var result = await changes.EraseAsync(ApiKeyAuthentication.WorkspaceOf(context.User), customerId, context.RequestAborted);
        return result is null ? NotFound(id) : TypedResults.Ok(result);
    }

    private static long? ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static ProblemHttpResult BadId() => Problems.Field(StatusCodes.Status400BadRequest, "id", "A customer id is a whole number.");

    private static ProblemHttpResult NotFound(string id) => Problems.Field(StatusCodes.Status404NotFound, "id", $"No customer {id}.");
}
