using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;

namespace OpenCem.Actions.Rules;

/// <summary>A rule as the API shows it: its definition, whether it acts (active, disabled or paused) and why it was paused.</summary>
public sealed record RuleView(
    long Id, string Name, bool Enabled, string Status, string Trigger, string? Schedule, string? Condition, JsonArray Actions, int? CooldownMinutes,
    string CooldownScope, int Failures, string? LastError, DateTimeOffset? LastErrorAt, DateTimeOffset? PausedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static RuleView Of(StoredRule rule) => new(
        rule.Id, rule.Definition.Name, rule.Definition.Enabled, rule.PausedAt is not null ? "paused" : rule.Definition.Enabled ? "active" : "disabled",
        rule.Definition.Trigger, rule.Definition.Schedule, rule.Definition.Condition, (JsonArray)JsonNode.Parse(RuleStore.ActionsJson(rule.Definition.Actions))!,
        rule.Definition.CooldownMinutes, rule.Definition.CooldownScope, rule.Failures, rule.LastError, rule.LastErrorAt, rule.PausedAt, rule.CreatedAt, rule.UpdatedAt);
}

public sealed record RuleList(IReadOnlyList<RuleView> Rules);

/// <summary>Management API: rules (when / if / then) and their dry-run against past data.</summary>
public static class RulesApi
{
    public static RouteGroupBuilder MapRulesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/rules", CreateAsync).WithTags("Rules")
            .WithSummary("Creates a rule: {name, trigger, condition?, actions: [{type, ...}], enabled?, schedule?, cooldownMinutes?, cooldownScope?}.");
        api.MapGet("/rules", ListAsync).WithTags("Rules").WithSummary("The workspace's rules with their status (active, disabled, paused) and last error.");
        api.MapGet("/rules/{id:long}", GetAsync).WithTags("Rules").WithSummary("One rule.");
        api.MapPut("/rules/{id:long}", UpdateAsync).WithTags("Rules").WithSummary("Replaces a rule's definition; a paused rule starts again.");
        api.MapDelete("/rules/{id:long}", DeleteAsync).WithTags("Rules").WithSummary("Deletes a rule (its firings stay).");
        api.MapPost("/rules/{id:long}/dry-run", DryRunAsync).WithTags("Rules")
            .WithSummary("How often the rule would have fired on the stored data in [from, to) (default: the last 7 days), per day, with samples; acts on nothing.");
        api.MapGet("/rules/{id:long}/runs", RunsAsync).WithTags("Rules")
            .WithSummary("A schedule rule's run log, newest first: per occurrence the customers evaluated, selected, acted on, and left over the bound.");
        api.MapGet("/rules/{id:long}/firings", FiringsAsync).WithTags("Rules")
            .WithSummary("What the rule did, newest first (cursor, limit 1-200, default 50): per firing its trigger, source, customer, action results and case; with the counts of the last 24 hours and 7 days.");
        return api;
    }

    private static async Task<Results<Ok<RuleFiringPage>, NotFound, ProblemHttpResult>> FiringsAsync(
        HttpContext context, RuleStore store, long id, string? cursor, string? limit)
    {
        var errors = new Dictionary<string, string[]>();
        var (olderThan, pageSize) = IdPage.Parse(cursor, limit, RuleFirings.DefaultLimit, RuleFirings.MaxLimit, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var ws = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (await store.GetAsync(ws, id, context.RequestAborted) is null)
        {
            return TypedResults.NotFound();
        }

        // One row past the page says whether an older page exists, so the last page has no cursor to an empty one.
        var firings = await store.FiringsAsync(ws, id, olderThan, null, pageSize + 1, context.RequestAborted);
        var page = firings.Take(pageSize).ToList();
        var counts = await store.FiringCountsAsync(id, context.RequestAborted);
        return TypedResults.Ok(new RuleFiringPage(
            page, firings.Count > pageSize ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null, counts.Last24Hours, counts.Last7Days));
    }

    private static async Task<Results<Ok<RuleRunList>, NotFound>> RunsAsync(HttpContext context, RuleStore store, long id)
    {
        var ws = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (await store.GetAsync(ws, id, context.RequestAborted) is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new RuleRunList(await store.RunsAsync(ws, id, context.RequestAborted)));
    }

    private static async Task<Results<Created<RuleView>, ProblemHttpResult>> CreateAsync(HttpContext context, RuleStore store, JsonElement body)
    {
        var errors = new Dictionary<string, string[]>();
        if (RuleReader.Read(JsonNode.Parse(body.GetRawText()), errors) is not { } rule)
        {
            return Problems.Validation(errors);
        }

        var stored = await store.CreateAsync(ApiKeyAuthentication.WorkspaceOf(context.User), rule, context.RequestAborted);
        return TypedResults.Created($"/api/v1/rules/{stored.Id}", RuleView.Of(stored));
    }

    private static async Task<Ok<RuleList>> ListAsync(HttpContext context, RuleStore store) =>
        TypedResults.Ok(new RuleList((await store.ListAsync(ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted)).Select(RuleView.Of).ToList()));

    private static async Task<Results<Ok<RuleView>, NotFound>> GetAsync(HttpContext context, RuleStore store, long id) =>
        await store.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, context.RequestAborted) is { } rule
            ? TypedResults.Ok(RuleView.Of(rule))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<RuleView>, NotFound, ProblemHttpResult>> UpdateAsync(HttpContext context, RuleStore store, long id, JsonElement body)
    {
        var errors = new Dictionary<string, string[]>();
        if (RuleReader.Read(JsonNode.Parse(body.GetRawText()), errors) is not { } rule)
        {
            return Problems.Validation(errors);
        }

        return await store.UpdateAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, rule, context.RequestAborted) is { } stored
            ? TypedResults.Ok(RuleView.Of(stored))
            : TypedResults.NotFound();
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(HttpContext context, RuleStore store, long id) =>
        await store.DeleteAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, context.RequestAborted) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Ok<DryRunResult>, NotFound, ProblemHttpResult>> DryRunAsync(
        HttpContext context, RuleStore store, RuleDryRun dryRun, TimeProvider time, long id, string? from, string? to)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var end = Time(to, "to", now, errors);
        var start = Time(from, "from", end.AddDays(-7), errors);
        if (errors.Count == 0 && (start >= end || end - start > TimeSpan.FromDays(800)))
        {
            errors["from"] = ["from must be before to, at most 800 days apart."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (await store.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, context.RequestAborted) is not { } rule)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await dryRun.RunAsync(rule, start, end, context.RequestAborted));
    }

    private static DateTimeOffset Time(string? text, string field, DateTimeOffset fallback, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            && parsed.Year is >= 1970 and <= 9999)
        {
            return parsed;
        }

        errors[field] = ["a date (2026-05-01) or date and time (2026-05-01T08:00:00Z)."];
        return fallback;
    }
}
