using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using OpenCem.Feedback.Invitations;

namespace OpenCem.Feedback.Respondents;

/// <summary>
/// The public respondent page, <c>GET/POST /s/{token}</c>: server-rendered HTML that works without JavaScript,
/// no API key (the signed token is the capability). Kept apart from the management API under <c>/api/v1</c>.
/// The form posts back to the same link; cross-site posts are refused (<c>Sec-Fetch-Site</c>), the body is limited
/// to <see cref="MaxBodyBytes"/> and <see cref="MaxFields"/> fields, and every answer carries headers that keep
/// it out of caches, referrers, frames and content sniffing.
/// </summary>
public static class RespondentPagesApi
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxFields = 1000;

    public static IEndpointRouteBuilder MapRespondentPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/s").ExcludeFromDescription();
        pages.MapGet("/{token}", GetAsync);
        pages.MapPost("/{token}", PostAsync);
        return app;
    }

    private static async Task GetAsync(HttpContext context, string token, RespondentVisits visits, RespondentStore store, TimeProvider time)
    {
        Protect(context.Response);
        var (visit, notice) = await visits.OpenAsync(context.Request, token, context.RequestAborted);
        if (visit is null)
        {
            // Coming back after completing is not an error: the thank-you stays readable.
            await SendAsync(context, notice!.Completed ? StatusCodes.Status200OK : notice.Status, notice);
            return;
        }

        if (visit.Invitation is { Status: InvitationStatus.Created or InvitationStatus.Pending or InvitationStatus.Sent } invitation)
        {
            await store.MarkOpenedAsync(visit.Survey.WorkspaceId, invitation.Id, time.GetUtcNow().ToUnixTimeMilliseconds(), context.RequestAborted);
        }

        var page = SurveyNavigator.Resume(visit.Survey.Definition, visit.Answers);
        await SendAsync(context, new PostResult(StatusCodes.Status200OK, page, visit.Answers), visit);
    }

    private static async Task PostAsync(HttpContext context, string token, RespondentVisits visits, RespondentSubmission submission)
    {
        Protect(context.Response);
        if (context.Request.Headers["Sec-Fetch-Site"] is var site && (site == "cross-site" || site == "same-site"))
        {
            var notFound = RespondentVisits.NotFound(context.Request);
            var texts = PageTexts.For(notFound.Language);
            await SendAsync(context, StatusCodes.Status403Forbidden, notFound with { Heading = texts.BadFormTitle, Message = texts.CrossSite });
            return;
        }

        var (visit, notice) = await visits.OpenAsync(context.Request, token, context.RequestAborted);
        if (visit is null)
        {
            await SendAsync(context, notice!.Status, notice);
            return;
        }

        var (form, problem) = await ReadFormAsync(context, visit);
        if (form is null)
        {
            await SendAsync(context, problem!.Status, problem);
            return;
        }

        await SendAsync(context, await submission.HandleAsync(visit, form, context.RequestAborted), visit);
    }

    private static async Task<(IFormCollection? Form, Notice? Problem)> ReadFormAsync(HttpContext context, Visit visit)
    {
        var request = context.Request;
        var texts = visit.Texts;
        var tooLarge = new Notice(StatusCodes.Status413PayloadTooLarge, visit.Language, texts.BadFormTitle, texts.TooLarge);
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, tooLarge);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new Notice(StatusCodes.Status415UnsupportedMediaType, visit.Language, texts.BadFormTitle, texts.BadForm));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        context.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            ValueCountLimit = MaxFields,
            KeyLengthLimit = 1024,
            ValueLengthLimit = MaxBodyBytes,
        }));
        try
        {
            return (await request.ReadFormAsync(context.RequestAborted), null);
        }
        catch (InvalidDataException)
        {
            return (null, tooLarge);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, tooLarge);
        }
    }

    /// <summary>Headers on every answer: not cached, no referrer (the link is a secret), no framing, no sniffing, nothing but the page's own style.</summary>
    private static void Protect(HttpResponse response)
    {
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = PageWriter.ContentSecurityPolicy;
        headers["X-Robots-Tag"] = "noindex";
    }

    private static async Task SendAsync(HttpContext context, PostResult result, Visit visit)
    {
        if (result.Notice is { } notice)
        {
            await SendAsync(context, result.Status, notice);
            return;
        }

        if (result.Location is { } location)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = location;
            return;
        }

        var html = HtmlText.Rent();
        try
        {
            PageWriter.SurveyPage(html, new PageView(
                visit.Survey.Definition, visit.Language, visit.Texts, visit.FormAction, result.Page, result.Answers ?? visit.Answers,
                result.Errors ?? [], result.Entered ?? new Dictionary<string, string>(), result.Focus));
            await HtmlText.SendAsync(context.Response, result.Status, html, context.RequestAborted);
        }
        finally
        {
            HtmlText.Return(html);
        }
    }

    private static async Task SendAsync(HttpContext context, int status, Notice notice)
    {
        var html = HtmlText.Rent();
        try
        {
            PageWriter.MessagePage(html, notice.Language, notice.Heading, notice.Message);
            await HtmlText.SendAsync(context.Response, status, html, context.RequestAborted);
        }
        finally
        {
            HtmlText.Return(html);
        }
    }
}
