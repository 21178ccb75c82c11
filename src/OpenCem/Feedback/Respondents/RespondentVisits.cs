using Microsoft.AspNetCore.Http;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Respondents;

/// <summary>A respondent at a genuine, open link: the survey, the invitation (none yet on an open link), the answers so far.</summary>
public sealed record Visit(string Token, StoredSurvey Survey, InvitationState? Invitation, Answers Answers, string Language, PageTexts Texts)
{
    /// <summary>The employee's personal link this visit came through (used up by the first saved page), if any.</summary>
    public long? EmployeeLink { get; init; }

    /// <summary>Where the page's form posts: the same link, keeping the language.</summary>
    public string FormAction => $"/s/{Token}?lang={Uri.EscapeDataString(Language)}";
}

/// <summary>A page with one message instead of the survey (invalid or expired link, thank you), with its HTTP status.</summary>
public sealed record Notice(int Status, string Language, string Heading, string Message, bool Completed = false);

/// <summary>
/// Turns a link token into a <see cref="Visit"/>, or into the notice a respondent sees instead: a forged or
/// unknown link (404), a suppressed invitation (it has no link; 404), a survey completed already, a closed or
/// deleted survey or an expired invitation (410). The link key, the survey and the invitation with its response
/// come from caches and one indexed query.
/// </summary>
public sealed class RespondentVisits(SurveyLinks links, SurveyStore surveys, RespondentStore store, TimeProvider time, EmployeeLinks? employeeLinks = null)
{
    private const long DayMilliseconds = 86_400_000;

    public async Task<(Visit? Visit, Notice? Notice)> OpenAsync(HttpRequest request, string token, CancellationToken cancellationToken)
    {
        if (await links.ReadAsync(token, cancellationToken) is not { } link)
        {
            return (null, NotFound(request));
        }

        if (link.Kind == LinkKind.OpenSurvey)
        {
            var open = await surveys.GetAsync(link.WorkspaceId, link.Id, cancellationToken);
            if (open is null || open.Settings.Closed || !open.Settings.AnonymousLink)
            {
                return (null, Closed(request, open));
            }

            var language = LanguageOf(request, open, null);
            return (new Visit(token, open, null, new Answers(), language, PageTexts.For(language)), null);
        }

        if (link.Kind == LinkKind.EmployeeLink)
        {
            return await OpenEmployeeLinkAsync(request, token, link.WorkspaceId, link.Id, cancellationToken);
        }

        var invitation = await store.FindAsync(link.WorkspaceId, link.Id, cancellationToken);
        if (invitation is null || invitation.Status == InvitationStatus.Suppressed)
        {
            return (null, NotFound(request));
        }

        var survey = await surveys.GetAsync(link.WorkspaceId, invitation.SurveyId, cancellationToken);
        if (invitation.Status == InvitationStatus.Completed || invitation.ResponseStatus == Responses.ResponseStatus.Completed)
        {
            var language = survey is null ? Fallback(request, invitation.Language) : LanguageOf(request, survey, invitation.Language);
            var texts = PageTexts.For(language);
            var heading = survey is null ? texts.Survey : PageWriter.SurveyTitle(survey.Definition, language, texts);
            return (null, new Notice(StatusCodes.Status410Gone, language, heading, texts.AlreadyCompleted, Completed: true));
        }

        if (survey is null || survey.Settings.Closed)
        {
            return (null, Closed(request, survey, invitation.Language));
        }

        var since = invitation.SentAt ?? invitation.CreatedAt;
        if (invitation.Status == InvitationStatus.Expired || time.GetUtcNow().ToUnixTimeMilliseconds() - since > survey.Settings.ExpiresAfterDays * DayMilliseconds)
        {
            var language = LanguageOf(request, survey, invitation.Language);
            var texts = PageTexts.For(language);
            return (null, new Notice(StatusCodes.Status410Gone, language, texts.ExpiredTitle, texts.Expired));
        }

        var chosen = LanguageOf(request, survey, invitation.Language);
        var answers = invitation.Answers is null ? new Answers() : Answers.FromJson(survey.Definition, invitation.Answers);
        return (new Visit(token, survey, invitation, answers, chosen, PageTexts.For(chosen)), null);
    }

    /// <summary>An employee's personal link: the pulse with the link's group attributes as its first answers, until used.</summary>
    private async Task<(Visit? Visit, Notice? Notice)> OpenEmployeeLinkAsync(HttpRequest request, string token, long workspaceId, long id, CancellationToken cancellationToken)
    {
        if (employeeLinks is null || await employeeLinks.FindAsync(workspaceId, id, cancellationToken) is not { } employee)
        {
            return (null, NotFound(request));
        }

        var survey = await surveys.GetAsync(workspaceId, employee.SurveyId, cancellationToken);
        var language = survey is null ? Fallback(request, null) : LanguageOf(request, survey, null);
        if (employee.Used)
        {
            var texts = PageTexts.For(language);
            var heading = survey is null ? texts.Survey : PageWriter.SurveyTitle(survey.Definition, language, texts);
            return (null, new Notice(StatusCodes.Status410Gone, language, heading, texts.AlreadyCompleted, Completed: true));
        }

        if (survey is null || survey.Settings.Closed)
        {
            return (null, Closed(request, survey));
        }

        var answers = Answers.FromJson(survey.Definition, employee.Attributes);
        return (new Visit(token, survey, null, answers, language, PageTexts.For(language)) { EmployeeLink = id }, null);
    }

    /// <summary>A notice for a request that is not about a survey yet (a forged link), in the browser's language.</summary>
    public static Notice NotFound(HttpRequest request)
    {
        var language = Fallback(request, null);
        var texts = PageTexts.For(language);
        return new Notice(StatusCodes.Status404NotFound, language, texts.InvalidLinkTitle, texts.InvalidLink);
    }

    public static string LanguageOf(HttpRequest request, StoredSurvey survey, string? invitationLanguage) =>
        PageLanguage.Choose(survey.Definition.Languages, survey.Definition.DefaultLanguage, request.Query["lang"], invitationLanguage, request.Headers.AcceptLanguage);

    private static string Fallback(HttpRequest request, string? invitationLanguage) =>
        PageLanguage.Choose(PageTexts.Languages, "en", request.Query["lang"], invitationLanguage, request.Headers.AcceptLanguage);

    private static Notice Closed(HttpRequest request, StoredSurvey? survey, string? invitationLanguage = null)
    {
        var language = survey is null ? Fallback(request, invitationLanguage) : LanguageOf(request, survey, invitationLanguage);
        var texts = PageTexts.For(language);
        return new Notice(StatusCodes.Status410Gone, language, texts.ClosedTitle, texts.Closed);
    }
}
