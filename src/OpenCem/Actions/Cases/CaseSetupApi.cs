using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;

namespace OpenCem.Actions.Cases;

public sealed record TeamRequest(string? Name, string? Calendar = null, string? Lead = null, string? EscalationTeam = null, string? Assignment = null);

public sealed record AgentRequest(string? Name, string? Team, string[]? Skills = null, int? Capacity = null, bool? Active = null);

public sealed record SlaPolicyRequest(
    int? FirstResponseMinutes, int? ResolutionMinutes, string? Team = null, string? Calendar = null,
    IReadOnlyList<string>? BreachNotify = null, IReadOnlyList<SlaEscalation>? Escalations = null);

/// <summary>
/// Management API of the service organisation that works cases, under <c>/cases</c>: teams (assignment rule, calendar,
/// lead and escalation team), agents (team, skills, capacity), SLA policies per priority (optionally per team) and
/// business-hours calendars. PUT creates or replaces by key.
/// </summary>
public static partial class CaseSetupApi
{
    public static RouteGroupBuilder MapCaseSetupApi(this RouteGroupBuilder api)
    {
        var setup = api.MapGroup("/cases").WithTags("Case teams and SLAs");
        setup.MapGet("/teams", async (HttpContext c, CaseSetupStore store) => TypedResults.Ok(await store.TeamsAsync(Workspace(c), c.RequestAborted)));
        setup.MapPut("/teams/{key}", PutTeamAsync).WithSummary("Creates or replaces a team: {name, calendar?, lead?, escalationTeam?, assignment: least_loaded|round_robin|manual}.");
        setup.MapGet("/agents", async (HttpContext c, CaseSetupStore store) => TypedResults.Ok(await store.AgentsAsync(Workspace(c), c.RequestAborted)));
        setup.MapPut("/agents/{key}", PutAgentAsync).WithSummary("Creates or replaces an agent: {name, team, skills[], capacity, active}.");
        setup.MapGet("/sla-policies", async (HttpContext c, CaseSetupStore store) => TypedResults.Ok(await store.PoliciesAsync(Workspace(c), c.RequestAborted)))
            .WithSummary("SLA policies; a priority without one uses the built-in default (around the clock).");
        setup.MapPut("/sla-policies/{priority}", PutPolicyAsync).WithSummary("Creates or replaces the policy of a priority (and team): {firstResponseMinutes, resolutionMinutes, team?, calendar?, breachNotify?: [e-mail], escalations?: [{afterMinutes, notify?: [e-mail], raisePriority?}]}, in working minutes; escalations are levels 2, 3, … after the breach (level 1).");
        setup.MapGet("/calendars", async (HttpContext c, CaseSetupStore store) => TypedResults.Ok(await store.CalendarsAsync(Workspace(c), c.RequestAborted)));
        setup.MapPut("/calendars/{key}", PutCalendarAsync).WithSummary("Creates or replaces business hours: {timeZone: IANA id, hours: {monday: [\"08:00-18:00\"]}, holidays: [\"2026-12-25\"]}.");
        return api;
    }

    private static async Task<Results<Ok<CaseTeam>, ProblemHttpResult>> PutTeamAsync(HttpContext context, string key, TeamRequest request, CaseSetupStore store)
    {
        var errors = KeyErrors(key);
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["is required."];
        }

        if (request.Assignment is not null && !AssignmentModes.All.Contains(request.Assignment))
        {
            errors["assignment"] = [$"must be one of {string.Join(", ", AssignmentModes.All)}."];
        }

        if (request.Calendar is not null && !(await store.CalendarsAsync(Workspace(context), context.RequestAborted)).Any(c => c.Key == request.Calendar))
        {
            errors["calendar"] = [$"no calendar has the key \"{request.Calendar}\"."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var team = new CaseTeam(key, request.Name!.Trim(), request.Calendar, request.Lead, request.EscalationTeam, request.Assignment ?? AssignmentModes.LeastLoaded);
        await store.SaveTeamAsync(Workspace(context), team, context.RequestAborted);
        return TypedResults.Ok(team);
    }

    private static async Task<Results<Ok<CaseAgent>, ProblemHttpResult>> PutAgentAsync(HttpContext context, string key, AgentRequest request, CaseSetupStore store)
    {
        var errors = KeyErrors(key);
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["is required."];
        }

        if (string.IsNullOrWhiteSpace(request.Team))
        {
            errors["team"] = ["is required."];
        }
        else if (!(await store.TeamsAsync(Workspace(context), context.RequestAborted)).Any(t => t.Key == request.Team))
        {
            errors["team"] = [$"no team has the key \"{request.Team}\"."];
        }

        if (request.Capacity is < 1 or > 10_000)
        {
            errors["capacity"] = ["must be between 1 and 10000 open cases."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var agent = new CaseAgent(
            key, request.Name!.Trim(), request.Team!, [.. (request.Skills ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim())],
            request.Capacity ?? 20, request.Active ?? true);
        await store.SaveAgentAsync(Workspace(context), agent, context.RequestAborted);
        return TypedResults.Ok(agent);
    }

    private static async Task<Results<Ok<SlaPolicy>, ProblemHttpResult>> PutPolicyAsync(HttpContext context, string priority, SlaPolicyRequest request, CaseSetupStore store)
    {
        var errors = new Dictionary<string, string[]>();
        if (!CasePriorities.All.Contains(priority))
        {
            errors["priority"] = [$"must be one of {string.Join(", ", CasePriorities.All)}."];
        }

        if (request.FirstResponseMinutes is not > 0 and not null || request.FirstResponseMinutes is null)
        {
            errors["firstResponseMinutes"] = ["is required: a positive number of working minutes."];
        }

        if (request.ResolutionMinutes is null || request.ResolutionMinutes <= 0 || request.ResolutionMinutes < request.FirstResponseMinutes)
        {
            errors["resolutionMinutes"] = ["is required: a positive number of working minutes, not less than firstResponseMinutes."];
        }

        if (SlaEscalation.Check(request.Escalations) is { } escalationProblem)
        {
            errors[escalationProblem.Field] = [escalationProblem.Problem];
        }

        if (SlaEscalation.Check(request.BreachNotify is null ? null : [new SlaEscalation(1, request.BreachNotify)]) is not null)
        {
            errors["breachNotify"] = [$"must be up to {SlaEscalation.MaxRecipients} e-mail addresses."];
        }

        if (request.Calendar is not null && !(await store.CalendarsAsync(Workspace(context), context.RequestAborted)).Any(c => c.Key == request.Calendar))
        {
            errors["calendar"] = [$"no calendar has the key \"{request.Calendar}\"."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var policy = new SlaPolicy(priority, string.IsNullOrWhiteSpace(request.Team) ? null : request.Team, request.FirstResponseMinutes!.Value, request.ResolutionMinutes!.Value, request.Calendar,
            request.BreachNotify, request.Escalations);
        await store.SavePolicyAsync(Workspace(context), policy, context.RequestAborted);
        return TypedResults.Ok(policy);
    }

    private static async Task<Results<Ok<NamedCalendar>, ProblemHttpResult>> PutCalendarAsync(HttpContext context, string key, CalendarDefinition request, CaseSetupStore store)
    {
        var errors = KeyErrors(key);
        request.Read(errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var calendar = new NamedCalendar(key, request);
        await store.SaveCalendarAsync(Workspace(context), calendar, context.RequestAborted);
        return TypedResults.Ok(calendar);
    }

    private static Dictionary<string, string[]> KeyErrors(string key) =>
        KeyPattern().IsMatch(key) ? [] : new() { ["key"] = ["must be 1-64 lower-case letters, digits, '-' or '_'."] };

    private static long Workspace(HttpContext context) => ApiKeyAuthentication.WorkspaceOf(context.User);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex KeyPattern();
}
