using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;
using OpenCem.Interactions;
using OpenCem.Text.Experience;

namespace OpenCem.Text.Brand;

/// <summary>Management API: the brand values the company intends, and the gap to how customers actually describe it.</summary>
public static class BrandApi
{
    public const int MaxTerms = 200;

    public static RouteGroupBuilder MapBrandApi(this RouteGroupBuilder api)
    {
        var brand = api.MapGroup("/brand").WithTags("Brand experience");
        brand.MapGet("/values", async (HttpContext c, BrandValueStore store) =>
                TypedResults.Ok((await store.ListAsync(ApiKeyAuthentication.WorkspaceOf(c.User), c.RequestAborted)).Select(BrandValueView.Of).ToList()))
            .WithSummary("The intended brand values: key, names (en, de), description, words and opposites customers would use; untracked lists words no descriptive-word list knows.");
        brand.MapPut("/values", PutAsync)
            .WithSummary("Replaces the brand values: {\"values\": [{key, names: {en, de}, description, words: [...], opposites: [...]}]}. Measured at once over all history.");
        brand.MapGet("/gap", GapAsync)
            .WithSummary("Per brand value: mentions confirming and contradicting it (share with Wilson 95 % interval), perception −1…1, gap to the intended, where it is contradicted most, trend by period (day|week|month|quarter); plus the descriptive words customers use most (terms, default 20). Optional from, to, survey, touchpoint, kind.");
        return api;
    }

    private static async Task<Results<Ok<List<BrandValueView>>, ProblemHttpResult>> PutAsync(HttpContext context, BrandValueStore store, JsonElement body)
    {
        var errors = new Dictionary<string, string[]>();
        if (BrandValueReader.Read(body, errors) is not { } values)
        {
            return Problems.Validation(errors);
        }

        await store.ReplaceAsync(ApiKeyAuthentication.WorkspaceOf(context.User), values, context.RequestAborted);
        return TypedResults.Ok(values.Select(BrandValueView.Of).ToList());
    }

    private static async Task<Results<Ok<BrandGapView>, ProblemHttpResult>> GapAsync(
        HttpContext context, BrandGapReader reader, CatalogueStore catalogue,
        string? from, string? to, string? survey, string? touchpoint, string? kind, string? period, string? terms)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var errors = new Dictionary<string, string[]>();
        var every = period ?? "month";
        if (!BrandGapReader.Periods.Contains(every))
        {
            errors["period"] = ["must be day, week, month or quarter."];
        }

        var limit = BrandGapReader.DefaultTerms;
        if (terms is not null && !(int.TryParse(terms, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 0 and <= MaxTerms))
        {
            errors["terms"] = [$"must be a whole number from 0 to {MaxTerms}."];
        }

        var filter = await ExperienceFilter.ParseAsync(workspaceId, catalogue, from, to, survey, touchpoint, kind, errors, context.RequestAborted);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return TypedResults.Ok(await reader.GetAsync(workspaceId, filter, touchpoint, every, limit, context.RequestAborted));
    }
}
