using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Respondents;

/// <summary>What a posted page leads to: a page to show (with its status and errors), a redirect, or a notice.</summary>
public sealed record PostResult(
    int Status, int Page = 0, Answers? Answers = null, IReadOnlyList<FieldError>? Errors = null, IReadOnlyDictionary<string, string>? Entered = null,
    string? Location = null, Notice? Notice = null, string? Focus = null);

/// <summary>
/// Handles one posted page. A page with problems is shown again (422) and nothing is stored. A valid page is saved
/// as the partial response and leads to the previous page (Back), to the same page again when a question on it has
/// just become visible, or to the next visible page; after the last one the whole survey is checked and completed.
/// On an open link the first valid page creates the respondent's own invitation and redirects to its link.
/// </summary>
public sealed class RespondentSubmission(RespondentStore store, SurveyLinks links, TimeProvider time)
{
    public async Task<PostResult> HandleAsync(Visit visit, IEnumerable<KeyValuePair<string, StringValues>> fields, CancellationToken cancellationToken)
    {
        var definition = visit.Survey.Definition;
        var texts = visit.Texts;
        var post = PageForm.Read(definition, fields, visit.Answers, texts);
        if (post is null)
        {
            return new PostResult(StatusCodes.Status400BadRequest, Notice: new Notice(StatusCodes.Status400BadRequest, visit.Language, texts.BadFormTitle, texts.BadForm));
        }

        if (post.Action != PageAction.Back)
        {
            PageForm.RequireAnswers(definition, post, visit.Language, texts);
        }

        if (post.Errors.Count > 0)
        {
            return new PostResult(StatusCodes.Status422UnprocessableEntity, post.Page, post.Answers, post.Errors, post.Entered);
        }

        var answers = post.Answers;
        var appeared = post.Action == PageAction.Back ? null : post.NewlyVisible(definition).FirstOrDefault();
        int? target = post.Action == PageAction.Back
            ? SurveyNavigator.Previous(definition, post.Page, answers) ?? post.Page
            : appeared is not null ? post.Page : SurveyNavigator.Next(definition, post.Page, answers);
        if (target is { } page)
        {
            return await SaveAsync(visit, answers, new PostResult(StatusCodes.Status200OK, page, answers, Focus: appeared?.Name), cancellationToken);
        }

        var complete = SurveyNavigator.Copy(answers);
        var errors = new Dictionary<string, string[]>();
        SurveyLogic.Complete(definition, complete, errors, "answers", language: visit.Language);
        if (errors.Count > 0)
        {
            // A page passed earlier misses an answer (the survey changed meanwhile, or a page was skipped): keep this
            // page's valid answers and send the respondent back to the first page with something missing.
            var form = SurveyForm.Of(definition);
            var missing = definition.Questions.Where(q => errors.ContainsKey("answers." + q.Name)).ToList();
            var first = form.PageOf(missing[0].Name);
            var problems = missing.Where(q => form.PageOf(q.Name) == first).Select(q => new FieldError(q.Name, PageForm.Missing(q, answers, visit.Language, texts))).ToList();
            return await SaveAsync(visit, answers, new PostResult(StatusCodes.Status422UnprocessableEntity, first, answers, problems), cancellationToken);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (visit.Invitation is null)
        {
            if (await store.StartOpenAsync(visit.Survey, visit.Language, complete, complete: true, now, cancellationToken, visit.EmployeeLink) is null)
            {
                return AlreadyCompleted(visit);
            }
        }
        else if (!await store.CompleteAsync(visit.Survey, visit.Invitation.Id, visit.Language, complete, now, cancellationToken))
        {
            return AlreadyCompleted(visit);
        }

        var title = PageWriter.SurveyTitle(definition, visit.Language, texts);
        return new PostResult(StatusCodes.Status200OK, Notice: new Notice(StatusCodes.Status200OK, visit.Language, title, PageWriter.ThankYou(definition, visit.Language, texts)));
    }

    public static PostResult AlreadyCompleted(Visit visit) => new(
        StatusCodes.Status410Gone,
        Notice: new Notice(StatusCodes.Status410Gone, visit.Language, PageWriter.SurveyTitle(visit.Survey.Definition, visit.Language, visit.Texts), visit.Texts.AlreadyCompleted, Completed: true));

    /// <summary>
    /// Saves the answers so far; on an open link (or an employee's personal link, used up here) by creating the
    /// respondent's invitation and sending them to its link.
    /// </summary>
    private async Task<PostResult> SaveAsync(Visit visit, Answers answers, PostResult then, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (visit.Invitation is null)
        {
            if (await store.StartOpenAsync(visit.Survey, visit.Language, answers, complete: false, now, cancellationToken, visit.EmployeeLink) is not { } id)
            {
                return AlreadyCompleted(visit);
            }

            var token = await links.TokenAsync(visit.Survey.WorkspaceId, LinkKind.Invitation, id, cancellationToken);
            return new PostResult(StatusCodes.Status303SeeOther, Location: (visit with { Token = token }).FormAction);
        }

        return await store.SaveAsync(visit.Survey, visit.Invitation.Id, visit.Language, answers, now, cancellationToken) ? then : AlreadyCompleted(visit);
    }
}
