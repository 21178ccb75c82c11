using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;

namespace OpenCem.Feedback.Advocates;

public sealed record AdvocateInvitationRequest(long[]? CustomerIds, string? Programme);

/// <summary>Management API: the customers who recommend the company, and invitations to the referral or review programme.</summary>
public static class AdvocatesApi
{
    public const int MaxInvitations = 500;

    public static RouteGroupBuilder MapAdvocatesApi(this RouteGroupBuilder api)
    {
        var advocates = api.MapGroup("/advocates").WithTags("Advocates");
        advocates.MapGet("/", ListAsync)
            .WithSummary("Advocates: score = 3·referrals + 2·positive public reviews (4–5 of 5) + 1·promoter answers (NPS 9–10), at least minimumScore (default 3), none whose latest NPS is 0–6; with the reasons. Filters: since (date), limit.");
        advocates.MapPost("/invitations", InviteAsync)
            .WithSummary("Invites advocates by e-mail: {customerIds: [...], programme: referral|review}; the contact rules of survey distribution apply; each customer comes back invited or skipped with the reason.");
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<Advocate>>, ProblemHttpResult>> ListAsync(
        HttpContext context, AdvocateQuery query, DateTimeOffset? since, double? minimumScore, int? limit)
    {
        if (limit is < 1 or > 1000)
        {
            return Problems.Validation("limit", "must be from 1 to 1000.");
        }

        if (minimumScore is < 0 or > 1000)
        {
            return Problems.Validation("minimumScore", "must be from 0 to 1000.");
        }

        return TypedResults.Ok(await query.RankAsync(
            ApiKeyAuthentication.WorkspaceOf(context.User), since, minimumScore ?? AdvocateScore.MinimumScore, limit ?? 100, context.RequestAborted));
    }

    private static async Task<Results<Ok<IReadOnlyList<AdvocateInvitationResult>>, ProblemHttpResult>> InviteAsync(
        HttpContext context, AdvocateInvitationRequest request, AdvocateInvitations invitations)
    {
        if (request.CustomerIds is not { Length: > 0 and <= MaxInvitations } ids)
        {
            return Problems.Validation("customerIds", $"must list 1 to {MaxInvitations} customer ids.");
        }

        if (request.Programme is not { } programme || !AdvocateInvitations.Programmes.Contains(programme))
        {
            return Problems.Validation("programme", "must be referral or review.");
        }

        return TypedResults.Ok(await invitations.InviteAsync(ApiKeyAuthentication.WorkspaceOf(context.User), ids, programme, context.RequestAborted));
    }
}
