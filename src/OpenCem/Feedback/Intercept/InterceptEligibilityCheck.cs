using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenCem.Customers;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;
using OpenCem.Hosting;
using OpenCem.Workspaces;

namespace OpenCem.Feedback.Intercept;

/// <summary>
/// The answer to an eligibility check. <paramref name="Reason"/> is a code (<see cref="InterceptReasons"/>), never
/// the customer's circumstances: the write key is public, so anyone can ask about any userId. Why a known customer
/// was not asked is listed, for OpenCem's users, with the survey's invitations.
/// </summary>
public sealed record InterceptEligibility(
    bool Eligible, string? Reason, string? Token, string Language, InterceptQuestion? Question, InterceptComment? Comment, InterceptTexts Texts);

/// <summary>The body of an eligibility check, for the OpenAPI document (the endpoint reads raw JSON to name the field at fault).</summary>
public sealed record InterceptEligibilityRequest(long SurveyId, string? UserId, string? AnonymousId, string? Language, string? Url, string? WriteKey);

/// <summary>Why a visitor is not asked, as the public answer says it.</summary>
public static class InterceptReasons
{
    /// <summary>The survey is closed.</summary>
    public const string Closed = "closed";

    /// <summary>The visitor is not in the survey's sample (settings.intercept.samplingRate).</summary>
    public const string NotSampled = "notSampled";

    /// <summary>The contact rules say no (frequency, open case, consent, already shown); the reason is in the invitation list.</summary>
    public const string ContactRules = "contactRules";
}

/// <summary>
/// <c>POST /intercept/v1/eligibility</c>: whether to show a visitor a survey's intercept. In order: the survey has
/// an intercept and is open, the sample selects the visitor, and the contact rules allow asking them; an eligible
/// visitor gets an invitation and its token, the question and comment in their language, and the texts.
/// </summary>
public static class InterceptEligibilityCheck
{
    public const int MaxBodyBytes = 8 * 1024;
    public const int MaxUrlLength = 2048;

    private static readonly string[] Properties = ["writeKey", "surveyId", "userId", "anonymousId", "language", "url"];

    public static async Task<IResult> HandleAsync(
        HttpContext context, ApiKeyStore keys, SurveyStore surveys, IdentityService identity, InterceptInvitations invitations, SurveyLinks links)
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

        var errors = body.UnknownProperties(Properties, "an eligibility request");
        long surveyId = 0;
        if (!body.Root.TryGetProperty("surveyId", out var idElement) || !TryReadId(idElement, out surveyId))
        {
            errors["surveyId"] = ["is required: the id of the survey (a positive whole number, as in data-survey)."];
        }

        if (!body.Root.TryGetProperty("userId", out _) && !body.Root.TryGetProperty("anonymousId", out _))
        {
            errors["userId"] = ["userId or anonymousId is required: who the visitor is."];
        }

        var language = body.Text("language", ResponseRequest.MaxLanguageLength, errors)?.ToLowerInvariant();
        body.Text("url", MaxUrlLength, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var workspaceId = principal.WorkspaceId;
        if (await surveys.GetAsync(workspaceId, surveyId, context.RequestAborted) is not { } survey)
        {
            return Problems.Field(StatusCodes.Status404NotFound, "surveyId", $"There is no survey {surveyId}.");
        }

        if (InterceptForm.Of(survey) is not { } form)
        {
            return Problems.Field(StatusCodes.Status409Conflict, "surveyId", $"Survey {surveyId} has no web intercept: set its settings.intercept.");
        }

        var visitor = RespondentLookup.Read(body.Root, await identity.GetSettingsAsync(workspaceId, context.RequestAborted), errors);
        if (errors.Count > 0 || visitor.Identifiers.Count == 0)
        {
            return Problems.Validation(errors.Count > 0 ? errors : new Dictionary<string, string[]> { ["userId"] = ["userId or anonymousId is required: who the visitor is."] });
        }

        if (survey.Settings.Closed)
        {
            return NotEligible(survey, InterceptReasons.Closed, InvitationStore.Language(survey.Definition, language));
        }

        // The sample is drawn on the userId when there is one, so a customer gets one answer on all their devices.
        var visitorId = visitor.Identifiers.OrderBy(i => i.Type == IdentifierKinds.UserId ? 0 : 1).First().Value;
        if (!InterceptSampling.Selects(survey.Settings.Intercept!.SamplingRate, survey.Id, visitorId))
        {
            return NotEligible(survey, InterceptReasons.NotSampled, InvitationStore.Language(survey.Definition, language));
        }

        var offer = await invitations.OfferAsync(survey, visitor, language, context.RequestAborted);
        if (offer.InvitationId is not { } invitationId)
        {
            return NotEligible(survey, InterceptReasons.ContactRules, offer.Language);
        }

        var token = await links.TokenAsync(workspaceId, LinkKind.Invitation, invitationId, context.RequestAborted);
        return TypedResults.Ok(new InterceptEligibility(
            true, null, token, offer.Language, form.QuestionIn(offer.Language), form.CommentIn(offer.Language), InterceptTexts.For(survey.Definition, offer.Language)));
    }

    private static IResult NotEligible(StoredSurvey survey, string reason, string language) =>
        TypedResults.Ok(new InterceptEligibility(false, reason, null, language, null, null, InterceptTexts.For(survey.Definition, language)));

    private static bool TryReadId(JsonElement element, out long id)
    {
        id = 0;
        var ok = element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt64(out id),
            JsonValueKind.String => long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out id),
            _ => false,
        };
        return ok && id > 0;
    }
}
