using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;
using OpenCem.Hosting;
using OpenCem.Workspaces;

namespace OpenCem.Feedback.Intercept;

public sealed record InterceptAnswered(bool Success, long ResponseId);

/// <summary>The body of an intercept answer, for the OpenAPI document.</summary>
public sealed record InterceptAnswerRequest(string Token, Dictionary<string, JsonElement> Answers, string? WriteKey);

/// <summary>
/// <c>POST /intercept/v1/responses</c>: stores the answer to a shown intercept as a completed response of its
/// survey (source <c>intercept</c>, channel <c>web</c>) against the invited customer, validated like every answer
/// but against the intercept's own questions, and completes the invitation. A token takes one answer.
/// </summary>
public static class InterceptAnswer
{
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly string[] Properties = ["writeKey", "token", "answers"];

    public static async Task<IResult> HandleAsync(
        HttpContext context, ApiKeyStore keys, SurveyStore surveys, InterceptInvitations invitations, SurveyLinks links, ResponseQueue queue, TimeProvider time)
    {
        using var body = await InterceptBody.ReadAsync(context, MaxBodyBytes);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (await InterceptApi.AuthenticateAsync(context, keys, body.Root) is not { } principal)
        {
            return InterceptApi.Unauthenticated(context, body.Root);
        }

        var errors = body.UnknownProperties(Properties, "an intercept answer");
        var token = body.Text("token", 100, errors);
        if (token is null && !errors.ContainsKey("token"))
        {
            errors["token"] = ["is required: the token of the eligibility answer."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var workspaceId = principal.WorkspaceId;
        if (await links.ReadAsync(token!, context.RequestAborted) is not { Kind: LinkKind.Invitation } link || link.WorkspaceId != workspaceId
            || await invitations.FindAsync(workspaceId, link.Id, context.RequestAborted) is not { } invitation || invitation.Status == InvitationStatus.Suppressed)
        {
            return Problems.Field(StatusCodes.Status404NotFound, "token", "No intercept of this workspace has this token.");
        }

        if (invitation.CompletedAt is { } completed)
        {
            return AlreadyAnswered(completed);
        }

        if (await surveys.GetAsync(workspaceId, invitation.SurveyId, context.RequestAborted) is not { } survey)
        {
            return Problems.Field(StatusCodes.Status404NotFound, "token", "The survey of this intercept was deleted.");
        }

        if (survey.Settings.Closed || InterceptForm.Of(survey) is not { } form)
        {
            return Problems.Field(StatusCodes.Status409Conflict, "token", $"Survey {survey.Id} is closed or has no web intercept any more; it takes no answer.");
        }

        var now = time.GetUtcNow();
        if (now > invitation.CreatedAt.AddDays(survey.Settings.ExpiresAfterDays))
        {
            return Problems.Field(StatusCodes.Status409Conflict, "token", $"This intercept expired after {survey.Settings.ExpiresAfterDays} days (settings.expiresAfterDays).");
        }

        var answers = form.Read(body.Root.TryGetProperty("answers", out var given) ? given : default, errors, invitation.Language);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var item = new ResponseItem
        {
            WorkspaceId = workspaceId,
            SurveyId = survey.Id,
            Respondent = invitation.CustomerId is { } customerId ? new Respondent(customerId, []) : Respondent.Anonymous,
            InvitationId = invitation.Id,
            Channel = "web",
            Language = invitation.Language,
            Source = "intercept",
            AnswersJson = answers.ToJson(survey.Definition),
            Scores = ResponseScores.Of(form.Definition, answers),
            SubmittedAt = now.ToUnixTimeMilliseconds(),
        };
        await queue.StoreAsync([item], context.RequestAborted);
        return item.Duplicate ? AlreadyAnswered(now) : TypedResults.Ok(new InterceptAnswered(true, item.Id));
    }

    private static IResult AlreadyAnswered(DateTimeOffset at) => Problems.Field(
        StatusCodes.Status409Conflict, "token",
        $"This intercept was already answered ({at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC); an intercept takes one answer.");
}
