using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Feedback.Ideas.Board;
using OpenCem.Hosting;

namespace OpenCem.Feedback.Ideas;

/// <summary>
/// Management API of the customer ideas board (staff, admin key): ideas with votes, status and staff answers, comments,
/// moderation of what the spam checks held, and the lead users. The public board is <see cref="IdeaBoardPages"/>.
/// </summary>
public static class IdeasApi
{
    public const int MaxLimit = 500;

    public static RouteGroupBuilder MapIdeasApi(this RouteGroupBuilder api)
    {
        var ideas = api.MapGroup("/ideas").WithTags("Ideas");
        ideas.MapGet("/", ListAsync).WithSummary("Ideas (filters: status, theme, moderation = published|held|rejected; sort = votes|recent; limit, offset).");
        ideas.MapPost("/", CreateAsync).WithSummary("Creates an idea on behalf of a customer: {customerId?, title, body, language?: en|de, caseId?}; themes and sentiment come from the text analysis.");
        ideas.MapGet("/lead-users", LeadUsersAsync)
            .WithSummary("Customers whose ideas or early votes became planned or shipped ideas: score = 3·shipped written + 1.5·planned written + 1·shipped backed early + 0.5·planned backed early, with at least minimumSupport (default 3) such ideas; with the evidence.");
        ideas.MapPost("/board-links", BoardLinkAsync)
            .WithSummary("A customer's personal link to the public board (/ideas/join/{token}): {customerId, days?: 1-365, default 90}; opening it lets them post, vote and comment.");
        ideas.MapGet("/{id:long}", GetAsync).WithSummary("One idea.");
        ideas.MapPatch("/{id:long}", UpdateAsync).WithSummary("Changes title, body, language or the linked case (caseId 0 unlinks); the text is analysed again.");
        ideas.MapPost("/{id:long}/votes", VoteAsync).WithSummary("A customer's vote: {customerId}; one per customer per idea, a second call changes nothing.");
        ideas.MapDelete("/{id:long}/votes/{customerId:long}", UnvoteAsync).WithSummary("Takes a customer's vote back (nothing happens if there was none).");
        ideas.MapPost("/{id:long}/status", StatusAsync)
            .WithSummary("Moves the idea: {status: planned|done|declined|under_review, answer?, by?}; the answer is shown on the board; an invalid move is refused (409) with the allowed ones; done e-mails the author and voters and emits idea.shipped.");
        ideas.MapGet("/{id:long}/comments", CommentsAsync).WithSummary("The idea's comments, held and rejected ones included.");
        ideas.MapPost("/{id:long}/comments", CommentAsync).WithSummary("Adds a comment: {customerId?, staff?, body}; without customerId it is a staff comment.");
        ideas.MapPost("/{id:long}/moderation", ModerateAsync).WithSummary("Decides on an idea: {decision: approve|reject}; approve publishes it on the board.");
        ideas.MapPost("/comments/{commentId:long}/moderation", ModerateCommentAsync).WithSummary("Decides on a comment: {decision: approve|reject}.");
        return api;
    }

    private static long Workspace(HttpContext context) => ApiKeyAuthentication.WorkspaceOf(context.User);

    private static ProblemHttpResult Problem<T>(IdeaOutcome<T> outcome) => outcome.Status == 422
        ? Problems.Validation(outcome.Field!, outcome.Error!)
        : Problems.Field(outcome.Status, outcome.Field!, outcome.Error!, extensions: outcome.Allowed is { } allowed ? new Dictionary<string, object?> { ["allowed"] = allowed } : null);

    private static async Task<Results<Ok<IReadOnlyList<IdeaView>>, ProblemHttpResult>> ListAsync(
        HttpContext context, IdeaStore store, string? status, string? theme, string? moderation, string? sort, int? limit, int? offset)
    {
        if (status is not null && !IdeaStatus.IsKnown(status))
        {
            return Problems.Validation("status", $"must be one of {string.Join(", ", IdeaStatus.All)}.");
        }

        if (moderation is not null && !Moderation.All.Contains(moderation))
        {
            return Problems.Validation("moderation", $"must be one of {string.Join(", ", Moderation.All)}.");
        }

        if (sort is not null and not ("votes" or "recent"))
        {
            return Problems.Validation("sort", "must be votes or recent.");
        }

        if (limit is < 1 or > MaxLimit || offset is < 0)
        {
            return Problems.Validation(limit is < 1 or > MaxLimit ? "limit" : "offset", limit is < 1 or > MaxLimit ? $"must be from 1 to {MaxLimit}." : "must not be negative.");
        }

        var filter = new IdeaFilter(status, string.IsNullOrWhiteSpace(theme) ? null : theme.Trim(), moderation, sort ?? "votes", limit ?? 50, offset ?? 0);
        return TypedResults.Ok(await store.ListAsync(Workspace(context), filter, context.RequestAborted));
    }

    private static async Task<Results<Ok<IdeaView>, ProblemHttpResult>> GetAsync(HttpContext context, long id, IdeaStore store) =>
        await store.GetAsync(Workspace(context), id, context.RequestAborted) is { } idea ? TypedResults.Ok(idea) : Problems.Field(404, "id", "No idea has this id.");

    private static async Task<Results<Created<IdeaView>, ProblemHttpResult>> CreateAsync(HttpContext context, IdeaRequest request, IdeaStore store)
    {
        var errors = new Dictionary<string, string[]>();
        Check(errors, "title", IdeaInput.Title(request.Title));
        Check(errors, "body", IdeaInput.Body(request.Body));
        Check(errors, "language", IdeaInput.Language(request.Language));
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var outcome = await store.CreateAsync(
            Workspace(context), new IdeaDraft(request.CustomerId, request.Title!, request.Body!, request.Language, request.CaseId), checkSpam: false, context.RequestAborted);
        return outcome.Ok ? TypedResults.Created($"/api/v1/ideas/{outcome.Value!.Id}", outcome.Value) : Problem(outcome);
    }

    private static async Task<Results<Ok<IdeaView>, ProblemHttpResult>> UpdateAsync(HttpContext context, long id, IdeaPatchRequest request, IdeaStore store)
    {
        var errors = new Dictionary<string, string[]>();
        Check(errors, "title", request.Title is null ? null : IdeaInput.Title(request.Title));
        Check(errors, "body", request.Body is null ? null : IdeaInput.Body(request.Body));
        Check(errors, "language", IdeaInput.Language(request.Language));
        Check(errors, "caseId", request.CaseId is < 0 ? "must be a case id, or 0 to unlink the case." : null);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var outcome = await store.UpdateAsync(Workspace(context), id, request.Title, request.Body, request.Language, request.CaseId, context.RequestAborted);
        return outcome.Ok ? TypedResults.Ok(outcome.Value!) : Problem(outcome);
    }

    private static async Task<Results<Ok<VoteResult>, ProblemHttpResult>> VoteAsync(HttpContext context, long id, VoteRequest request, IdeaVotes votes)
    {
        if (request.CustomerId is not { } customerId)
        {
            return Problems.Validation("customerId", "is required.");
        }

        var outcome = await votes.VoteAsync(Workspace(context), id, customerId, context.RequestAborted);
        return outcome.Ok ? TypedResults.Ok(outcome.Value!) : Problem(outcome);
    }

    private static async Task<Results<Ok<VoteResult>, ProblemHttpResult>> UnvoteAsync(HttpContext context, long id, long customerId, IdeaVotes votes)
    {
        var outcome = await votes.UnvoteAsync(Workspace(context), id, customerId, context.RequestAborted);
        return outcome.Ok ? TypedResults.Ok(outcome.Value!) : Problem(outcome);
    }

    private static async Task<Results<Ok<StatusChangeResult>, ProblemHttpResult>> StatusAsync(
        HttpContext context, long id, IdeaStatusRequest request, IdeaStatusChanges changes)
    {
        var status = request.Status?.Trim().ToLowerInvariant();
        if (status is null || !IdeaStatus.IsKnown(status))
        {
            return Problems.Validation("status", $"is required: one of {string.Join(", ", IdeaStatus.All)}.");
        }

        if (request.Answer is { Length: > IdeaInput.MaxAnswer })
        {
            return Problems.Validation("answer", $"must have at most {IdeaInput.MaxAnswer} characters.");
        }

        var actor = string.IsNullOrWhiteSpace(request.By) ? "api" : request.By.Trim()[..Math.Min(request.By.Trim().Length, 200)];
        var outcome = await changes.MoveAsync(Workspace(context), id, status, request.Answer, actor, context.RequestAborted);
        return outcome.Ok ? TypedResults.Ok(outcome.Value!) : Problem(outcome);
    }

    private static async Task<Results<Ok<IReadOnlyList<IdeaCommentView>>, ProblemHttpResult>> CommentsAsync(HttpContext context, long id, IdeaStore store, IdeaComments comments)
    {
        var workspaceId = Workspace(context);
        return await store.GetAsync(workspaceId, id, context.RequestAborted) is null
            ? Problems.Field(404, "id", "No idea has this id.")
            : TypedResults.Ok(await comments.ListAsync(workspaceId, id, publishedOnly: false, context.RequestAborted));
    }

    private static async Task<Results<Created<IdeaCommentView>, ProblemHttpResult>> CommentAsync(HttpContext context, long id, IdeaCommentRequest request, IdeaComments comments)
    {
        if (IdeaInput.Body(request.Body, IdeaInput.MaxComment) is { } error)
        {
            return Problems.Validation("body", error);
        }

        var outcome = await comments.AddAsync(Workspace(context), id, request.CustomerId, request.Staff, request.Body!, checkSpam: false, context.RequestAborted);
        return outcome.Ok ? TypedResults.Created($"/api/v1/ideas/{id}/comments", outcome.Value!) : Problem(outcome);
    }

    private static async Task<Results<Ok<IdeaView>, ProblemHttpResult>> ModerateAsync(HttpContext context, long id, ModerationRequest request, IdeaStore store)
    {
        if (request.Decision is not ("approve" or "reject"))
        {
            return Problems.Validation("decision", "must be approve or reject.");
        }

        return await store.ModerateAsync(Workspace(context), id, request.Decision == "approve", context.RequestAborted) is { } idea
            ? TypedResults.Ok(idea) : Problems.Field(404, "id", "No idea has this id.");
    }

    private static async Task<Results<Ok<IdeaCommentView>, ProblemHttpResult>> ModerateCommentAsync(
        HttpContext context, long commentId, ModerationRequest request, IdeaComments comments)
    {
        if (request.Decision is not ("approve" or "reject"))
        {
            return Problems.Validation("decision", "must be approve or reject.");
        }

        return await comments.ModerateAsync(Workspace(context), commentId, request.Decision == "approve", context.RequestAborted) is { } comment
            ? TypedResults.Ok(comment) : Problems.Field(404, "commentId", "No comment has this id.");
    }

    private static async Task<Results<Ok<IReadOnlyList<LeadUser>>, ProblemHttpResult>> LeadUsersAsync(
        HttpContext context, LeadUserQuery query, int? minimumSupport, int? limit)
    {
        if (minimumSupport is < 1 or > 100)
        {
            return Problems.Validation("minimumSupport", "must be from 1 to 100.");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return Problems.Validation("limit", $"must be from 1 to {MaxLimit}.");
        }

        return TypedResults.Ok(await query.RankAsync(Workspace(context), minimumSupport ?? LeadUsers.MinimumSupport, limit ?? 50, context.RequestAborted));
    }

    private static async Task<Results<Ok<BoardLinkResult>, ProblemHttpResult>> BoardLinkAsync(
        HttpContext context, BoardLinkRequest request, BoardLinks links, Storage.Database database)
    {
        if (request.CustomerId is not { } customerId)
        {
            return Problems.Validation("customerId", "is required.");
        }

        if (request.Days is < 1 or > 365)
        {
            return Problems.Validation("days", "must be from 1 to 365.");
        }

        var workspaceId = Workspace(context);
        await using (var connection = await database.OpenAsync(context.RequestAborted))
        {
            if (!await IdeaCustomers.ExistsAsync(connection, null, workspaceId, customerId))
            {
                return Problems.Validation("customerId", "No customer (who was not erased) has this id.");
            }
        }

        var (url, expires) = await links.CreateAsync(workspaceId, customerId, request.Days is { } days ? TimeSpan.FromDays(days) : BoardLinks.DefaultValidity, context.RequestAborted);
        return TypedResults.Ok(new BoardLinkResult(customerId, url, expires));
    }

    private static void Check(Dictionary<string, string[]> errors, string field, string? error)
    {
        if (error is not null)
        {
            errors[field] = [error];
        }
    }
}
