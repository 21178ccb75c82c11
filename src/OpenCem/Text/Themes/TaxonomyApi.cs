using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;
using OpenCem.Text.Pipeline;

namespace OpenCem.Text.Themes;

/// <summary>A theme as the API shows it; <c>parent</c> is always present (null for a top-level theme).</summary>
public sealed record ThemeView(
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Parent,
    IReadOnlyDictionary<string, string> Names,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Keywords)
{
    public static ThemeView Of(ThemeDefinition theme) => new(theme.Key, theme.Parent, theme.Names, theme.Keywords);
}

/// <summary>Management API: the workspace's theme taxonomy. Every change makes earlier analyses stale; the worker redoes them.</summary>
public static class TaxonomyApi
{
    public static RouteGroupBuilder MapTaxonomyApi(this RouteGroupBuilder api)
    {
        var taxonomy = api.MapGroup("/text/taxonomy").WithTags("Text analytics");
        taxonomy.MapGet("/", async (HttpContext c, TaxonomyStore store) =>
            TypedResults.Ok((await store.ListAsync(Workspace(c), c.RequestAborted)).Select(ThemeView.Of).ToList()))
            .WithSummary("The theme taxonomy: key, parent, names (en, de) and keywords per language (a trailing * matches a prefix).");
        taxonomy.MapGet("/{key}", async Task<Results<Ok<ThemeView>, ProblemHttpResult>> (string key, HttpContext c, TaxonomyStore store) =>
            (await store.ListAsync(Workspace(c), c.RequestAborted)).FirstOrDefault(t => t.Key == key) is { } theme
                ? TypedResults.Ok(ThemeView.Of(theme))
                : NotFound(key))
            .WithSummary("One theme of the taxonomy.");
        taxonomy.MapPost("/", (JsonElement body, HttpContext c, TaxonomyStore store, TextWake wake) => SaveAsync(body, null, c, store, wake))
            .WithSummary("Adds a theme: {key, parent?, names: {en, de}, keywords: {en: [...], de: [...]}}.");
        taxonomy.MapPut("/{key}", (string key, JsonElement body, HttpContext c, TaxonomyStore store, TextWake wake) => SaveAsync(body, key, c, store, wake))
            .WithSummary("Replaces a theme; comments are reanalysed with the changed taxonomy in the background.");
        taxonomy.MapDelete("/{key}", async Task<Results<NoContent, ProblemHttpResult>> (string key, HttpContext c, TaxonomyStore store, TextWake wake) =>
        {
            if (await store.DeleteAsync(Workspace(c), key, c.RequestAborted) is { } problem)
            {
                return Problems.Field(problem.Status, problem.Field, problem.Message);
            }

            wake.Wake();
            return TypedResults.NoContent();
        }).WithSummary("Deletes a theme without child themes.");
        return api;
    }

    private static async Task<Results<Created<ThemeView>, Ok<ThemeView>, ProblemHttpResult>> SaveAsync(
        JsonElement body, string? pathKey, HttpContext context, TaxonomyStore store, TextWake wake)
    {
        var errors = new Dictionary<string, string[]>();
        if (ThemeReader.Read(body, pathKey, errors) is not { } theme)
        {
            return Problems.Validation(errors);
        }

        if (await store.SaveAsync(Workspace(context), theme, create: pathKey is null, context.RequestAborted) is { } problem)
        {
            return problem.Status == 422 ? Problems.Validation(problem.Field, problem.Message) : Problems.Field(problem.Status, problem.Field, problem.Message);
        }

        wake.Wake();
        return pathKey is null ? TypedResults.Created($"/api/v1/text/taxonomy/{theme.Key}", ThemeView.Of(theme)) : TypedResults.Ok(ThemeView.Of(theme));
    }

    private static ProblemHttpResult NotFound(string key) => Problems.Field(404, "key", $"There is no theme \"{key}\".");

    private static long Workspace(HttpContext context) => ApiKeyAuthentication.WorkspaceOf(context.User);
}
