using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;
using OpenCem.Storage;

namespace OpenCem.Actions.Cases;

/// <summary>The body of <c>POST /cases</c>: a case opened by hand or by another system (<c>sourceKey</c> makes it idempotent).</summary>
public sealed record CaseRequest(
    string? Title, long? CustomerId = null, string? Reason = null, string? Priority = null, string? Team = null, string? Owner = null, string? Skill = null,
    long? ResponseId = null, long? InteractionId = null, string? Touchpoint = null, string? SourceKey = null, string? Actor = null);

public sealed record CasePatchRequest(
    string? Title = null, string? Priority = null, string? Team = null, string? Owner = null, string? Reason = null, string? Skill = null,
    string? Outcome = null, string? OutcomeNote = null, string? ResolutionReason = null, long[]? LinkInteractions = null, string? Actor = null);

public sealed record CaseTransitionRequest(
    string? To, string? Owner = null, string? Outcome = null, string? OutcomeNote = null, string? ResolutionReason = null, string? Note = null, string? Actor = null);

public sealed record CaseNoteRequest(string? Text, string? Author = null);

/// <summary>Management API: the case queue, one case with everything about it, its changes, notes and transitions, and recovery.</summary>
public static class CasesApi
{
    public static RouteGroupBuilder MapCasesApi(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Cases");
        cases.MapGet("/", ListAsync).WithSummary("Cases, newest first; filters: status, team, owner, priority, customer, breached, touchpoint; keyset pages (cursor, limit). Each with its SLA clock.");
        cases.MapPost("/", OpenAsync).WithSummary("Opens a case (routed by the team's assignment rule and the SLA policy); with sourceKey at most once.");
        cases.MapGet("/{id:long}", GetAsync).WithSummary("One case with notes, audit trail, linked response (answers, comment, themes), interactions and customer.");
        cases.MapPatch("/{id:long}", PatchAsync).WithSummary("Changes fields: title, priority, team, owner, reason, skill, outcome, outcomeNote, resolutionReason, linkInteractions.");
        cases.MapPost("/{id:long}/notes", NoteAsync).WithSummary("Adds a note.");
        cases.MapPost("/{id:long}/transitions", TransitionAsync)
            .WithSummary("Moves the case: {\"to\": \"resolved\", ...}; an invalid move is refused (409) with the allowed ones listed.");
        cases.MapGet("/recovery", RecoveryAsync).WithSummary("Recovery per group (by=team|reason|touchpoint|sla): closed, measured, recovered, rate with 95 % Wilson interval, median hours to first response and resolution.");
        return api;
    }

    private static async Task<Results<Ok<CasePage>, ProblemHttpResult>> ListAsync(
        HttpContext context, CaseReader reader, Database database, string? status, string? team, string? owner, string? priority, string? customer, string? breached,
        string? touchpoint, string? cursor, string? limit)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var errors = new Dictionary<string, string[]>();
        var (after, pageSize) = IdPage.Parse(cursor, limit, errors);
        if (status is not null && !CaseStatuses.All.Contains(status))
        {
            errors["status"] = [$"must be one of {string.Join(", ", CaseStatuses.All)}."];
        }

        if (priority is not null && !CasePriorities.All.Contains(priority))
        {
            errors["priority"] = [$"must be one of {string.Join(", ", CasePriorities.All)}."];
        }

        long? customerId = null;
        if (customer is not null)
        {
            if (long.TryParse(customer, NumberStyles.None, CultureInfo.InvariantCulture, out var c))
            {
                customerId = c;
            }
            else
            {
                errors["customer"] = ["must be a customer id."];
            }
        }

        bool? breachedFilter = breached switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => null,
        };
        if (breached is not null and not ("true" or "false"))
        {
            errors["breached"] = ["must be true or false."];
        }

        long? touchpointId = null;
        if (touchpoint is not null)
        {
            touchpointId = await TouchpointIdAsync(database, workspaceId, touchpoint, context.RequestAborted);
            if (touchpointId is null)
            {
                errors["touchpoint"] = [$"no touchpoint has the key or id \"{touchpoint}\"."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return TypedResults.Ok(await reader.ListAsync(
            workspaceId, new CaseQuery(status, team, owner, priority, customerId, breachedFilter, touchpointId, after, pageSize), context.RequestAborted));
    }

    private static async Task<Results<Created<CaseView>, Ok<CaseView>, ProblemHttpResult>> OpenAsync(
        HttpContext context, CaseRequest request, Database database, CaseReader reader, TimeProvider time)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Title))
        {
            errors["title"] = ["is required."];
        }

        if (request.Priority is not null && !CasePriorities.All.Contains(request.Priority))
        {
            errors["priority"] = [$"must be one of {string.Join(", ", CasePriorities.All)}."];
        }

        long? touchpointId = null;
        if (request.Touchpoint is not null && (touchpointId = await TouchpointIdAsync(database, workspaceId, request.Touchpoint, context.RequestAborted)) is null)
        {
            errors["touchpoint"] = [$"no touchpoint has the key or id \"{request.Touchpoint}\"."];
        }

        await using var connection = await database.OpenAsync(context.RequestAborted);
        foreach (var (field, table, value) in new[] { ("customerId", "customers", request.CustomerId), ("responseId", "survey_responses", request.ResponseId), ("interactionId", "interactions", request.InteractionId) })
        {
            if (value is not null && await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE workspace_id = @workspaceId AND id = @value", new { workspaceId, value }) == 0)
            {
                errors[field] = [$"no {table.Replace('_', ' ').TrimEnd('s')} has the id {value}."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var transaction = await connection.BeginTransactionAsync(context.RequestAborted);
        var (id, opened) = await CaseOpener.OpenAsync(connection, transaction, new CaseOpening(
            workspaceId, request.Title!.Trim(), request.CustomerId, request.Reason, request.Priority ?? CasePriorities.Normal, request.Team, request.Owner,
            request.ResponseId, request.InteractionId, touchpointId, SourceKey: request.SourceKey, Skill: request.Skill, Actor: ActorOf(context, request.Actor)), now);
        await transaction.CommitAsync(context.RequestAborted);
        var view = (await CaseReader.RowAsync(connection, null, workspaceId, id))!.ToView(now);
        return opened ? TypedResults.Created($"/api/v1/cases/{id}", view) : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> GetAsync(HttpContext context, long id, CaseReader reader) =>
        await reader.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, context.RequestAborted) is { } detail
            ? TypedResults.Ok(detail)
            : Problems.Field(StatusCodes.Status404NotFound, "id", "No case has this id.");

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> PatchAsync(HttpContext context, long id, CasePatchRequest request, CaseChanges changes) =>
        Answer(await changes.PatchAsync(
            ApiKeyAuthentication.WorkspaceOf(context.User), id,
            new CaseChange(request.Title, request.Priority, request.Team, request.Owner, request.Reason, request.Skill, request.Outcome, request.OutcomeNote,
                request.ResolutionReason, request.LinkInteractions),
            ActorOf(context, request.Actor), context.RequestAborted));

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> NoteAsync(HttpContext context, long id, CaseNoteRequest request, CaseChanges changes) =>
        Answer(await changes.AddNoteAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, request.Text ?? "", ActorOf(context, request.Author), context.RequestAborted));

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> TransitionAsync(HttpContext context, long id, CaseTransitionRequest request, CaseChanges changes)
    {
        if (string.IsNullOrWhiteSpace(request.To))
        {
            return Problems.Validation("to", $"is required: one of {string.Join(", ", CaseStatuses.All)}.");
        }

        return Answer(await changes.TransitionAsync(
            ApiKeyAuthentication.WorkspaceOf(context.User), id,
            new CaseTransition(request.To, request.Owner, request.Outcome, request.OutcomeNote, request.ResolutionReason, request.Note),
            ActorOf(context, request.Actor), context.RequestAborted));
    }

    private static async Task<Results<Ok<RecoveryReport>, ProblemHttpResult>> RecoveryAsync(HttpContext context, CaseRecoveryReport report, string? by)
    {
        by ??= "team";
        if (!CaseRecoveryRollup.Dimensions.Contains(by))
        {
            return Problems.Validation("by", $"must be one of {string.Join(", ", CaseRecoveryRollup.Dimensions)}.");
        }

        return TypedResults.Ok(await report.ReadAsync(ApiKeyAuthentication.WorkspaceOf(context.User), by, context.RequestAborted));
    }

    private static Results<Ok<CaseView>, ProblemHttpResult> Answer(CaseChangeResult result) => result.Status switch
    {
        200 => TypedResults.Ok(result.Case!),
        422 => Problems.Validation(result.Field!, result.Message!),
        _ => Problems.Field(result.Status, result.Field!, result.Message!, extensions: result.Allowed is null ? null : new Dictionary<string, object?> { ["allowed"] = result.Allowed }),
    };

    /// <summary>Who the audit trail names: the caller's word for it, else the API key.</summary>
    private static string ActorOf(HttpContext context, string? given) =>
        !string.IsNullOrWhiteSpace(given) ? given.Trim()
        : "api-key:" + (context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? "?");

    private static async Task<long?> TouchpointIdAsync(Database database, long workspaceId, string touchpoint, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        long.TryParse(touchpoint, NumberStyles.None, CultureInfo.InvariantCulture, out var id);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM touchpoints WHERE workspace_id = @workspaceId AND (key = @touchpoint OR id = @id)", new { workspaceId, touchpoint, id }, cancellationToken: cancellationToken));
    }
}
