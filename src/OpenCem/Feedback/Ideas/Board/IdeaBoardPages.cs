using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenCem.Feedback.Respondents;

namespace OpenCem.Feedback.Ideas.Board;

/// <summary>
/// The public ideas board under <c>/ideas</c>: server-rendered HTML without JavaScript, kept apart from the management
/// API. Anyone reads; a customer who arrived through their personal link (<c>/ideas/join/{token}</c>, which sets the
/// board cookie) posts, votes and comments through plain forms with anti-forgery tokens, under the rate limits of
/// <see cref="BoardLimits"/>; posts pass the spam checks and may be held for moderation.
/// </summary>
public static class IdeaBoardPages
{
    public const int MaxBodyBytes = 32 * 1024;

    public static IEndpointRouteBuilder MapIdeaBoard(this IEndpointRouteBuilder app)
    {
        var board = app.MapGroup("/ideas").ExcludeFromDescription();
        board.MapGet("/", ListAsync);
        board.MapGet("/{id:long}", IdeaAsync);
        board.MapGet("/new", NewAsync);
        board.MapGet("/join/{token}", JoinAsync);
        board.MapPost("/", PostAsync).RequireRateLimiting(BoardLimits.PerCustomerPolicy);
        board.MapPost("/{id:long}/vote", (HttpContext context, long id) => VoteAsync(context, id, vote: true)).RequireRateLimiting(BoardLimits.PerCustomerPolicy);
        board.MapPost("/{id:long}/unvote", (HttpContext context, long id) => VoteAsync(context, id, vote: false)).RequireRateLimiting(BoardLimits.PerCustomerPolicy);
        board.MapPost("/{id:long}/comments", CommentAsync).RequireRateLimiting(BoardLimits.PerCustomerPolicy);
        return app;
    }

    private static async Task ListAsync(HttpContext context, IdeaStore store, IdeaVotes votes, string? status, string? sort, string? notice)
    {
        var (visitor, page) = await OpenAsync(context);
        status = IdeaStatus.IsKnown(status) ? status : null;
        sort = sort == "new" ? "new" : "votes";
        var ideas = await store.ListAsync(
            visitor.WorkspaceId, new IdeaFilter(status, Moderation: Moderation.Published, Sort: sort == "new" ? "recent" : "votes", Limit: 100), context.RequestAborted);
        var voted = visitor.CustomerId is { } customer ? await votes.VotedAsync(visitor.WorkspaceId, customer, [.. ideas.Select(i => i.Id)], context.RequestAborted) : [];
        await SendAsync(context, 200, html => BoardWriter.List(html, page, new BoardList(ideas, voted, status, sort, NoticeText(page.Texts, notice))));
    }

    private static Task IdeaAsync(HttpContext context, long id, string? notice) => ShowIdeaAsync(context, id, notice, null, null, 200);

    private static async Task ShowIdeaAsync(HttpContext context, long id, string? notice, string? commentError, string? comment, int status)
    {
        var (visitor, page) = await OpenAsync(context);
        var services = context.RequestServices;
        var idea = await services.GetRequiredService<IdeaStore>().GetAsync(visitor.WorkspaceId, id, context.RequestAborted);
        if (idea is not { Moderation: Moderation.Published })
        {
            await SendAsync(context, 404, html => BoardWriter.Message(html, page, page.Texts.NotFound, page.Texts.NotFoundText));
            return;
        }

        var comments = await services.GetRequiredService<IdeaComments>().ListAsync(visitor.WorkspaceId, id, publishedOnly: true, context.RequestAborted);
        var voted = visitor.CustomerId is { } customer
            && (await services.GetRequiredService<IdeaVotes>().VotedAsync(visitor.WorkspaceId, customer, [id], context.RequestAborted)).Count > 0;
        await SendAsync(context, status, html => BoardWriter.Idea(html, page, new BoardIdea(idea, comments, voted, NoticeText(page.Texts, notice), commentError, comment)));
    }

    private static async Task NewAsync(HttpContext context)
    {
        var (visitor, page) = await OpenAsync(context);
        if (visitor.CustomerId is null)
        {
            await SendAsync(context, 403, html => BoardWriter.Message(html, page, page.Texts.NewIdea, page.Texts.SignInNeeded));
            return;
        }

        await SendAsync(context, 200, html => BoardWriter.NewIdea(html, page, new BoardForm("", "", new Dictionary<string, string>())));
    }

    /// <summary>The personal link: a genuine token becomes the board cookie (until the token expires), then on to the board.</summary>
    private static async Task JoinAsync(HttpContext context, string token, BoardLinks links)
    {
        Protect(context.Response);
        if (await links.VerifyAsync(token, context.RequestAborted) is not { } identity)
        {
            var texts = BoardTexts.For(BoardVisitors.QuickLanguage(context.Request));
            var page = new BoardContext(texts, null, "", "");
            await SendAsync(context, 404, html => BoardWriter.Message(html, page, texts.LinkInvalid, texts.LinkInvalidText));
            return;
        }

        context.Response.Cookies.Append(BoardLinks.CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            // Secure whenever the board is served over HTTPS (always in production behind TLS); plain HTTP only on a local test server.
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/ideas",
            Expires = identity.ExpiresAt,
            IsEssential = true,
        });
        var lang = context.Request.Query["lang"].ToString();
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = lang is "en" or "de" ? $"/ideas?lang={lang}" : "/ideas";
    }

    private static async Task PostAsync(HttpContext context, IdeaStore store)
    {
        if (await ReadAsync(context) is not { } submission)
        {
            return;
        }

        var (visitor, page, form) = submission;
        var title = form["title"].ToString();
        var body = form["body"].ToString();
        var errors = new Dictionary<string, string>();
        if (FieldError(page.Texts, title, IdeaInput.MaxTitle, 3) is { } titleError)
        {
            errors["title"] = titleError;
        }

        if (FieldError(page.Texts, body, IdeaInput.MaxBody, 1) is { } bodyError)
        {
            errors["body"] = bodyError;
        }

        if (errors.Count > 0)
        {
            await SendAsync(context, 422, html => BoardWriter.NewIdea(html, page, new BoardForm(title, body, errors)));
            return;
        }

        var outcome = await store.CreateAsync(visitor.WorkspaceId, new IdeaDraft(visitor.CustomerId, title, body, page.Lang), checkSpam: true, context.RequestAborted);
        if (!outcome.Ok)
        {
            await SendAsync(context, 403, html => BoardWriter.Message(html, page, page.Texts.BadForm, page.Texts.SignInNeeded));
            return;
        }

        Redirect(context, outcome.Value!.Moderation == Moderation.Held ? page.Url("/ideas", "notice=held") : page.Url($"/ideas/{outcome.Value.Id}", "notice=posted"));
    }

    private static async Task VoteAsync(HttpContext context, long id, bool vote)
    {
        if (await ReadAsync(context) is not { } submission)
        {
            return;
        }

        var (visitor, page, form) = submission;
        var votes = context.RequestServices.GetRequiredService<IdeaVotes>();
        var outcome = vote
            ? await votes.VoteAsync(visitor.WorkspaceId, id, visitor.CustomerId!.Value, context.RequestAborted)
            : await votes.UnvoteAsync(visitor.WorkspaceId, id, visitor.CustomerId!.Value, context.RequestAborted);
        if (!outcome.Ok)
        {
            await SendAsync(context, outcome.Status, html => BoardWriter.Message(html, page, page.Texts.NotFound, page.Texts.NotFoundText));
            return;
        }

        Redirect(context, form["back"] == "idea" ? page.Url($"/ideas/{id}") : page.Url("/ideas"));
    }

    private static async Task CommentAsync(HttpContext context, long id, IdeaComments comments)
    {
        if (await ReadAsync(context) is not { } submission)
        {
            return;
        }

        var (visitor, page, form) = submission;
        var body = form["body"].ToString();
        if (FieldError(page.Texts, body, IdeaInput.MaxComment, 1) is { } error)
        {
            await ShowIdeaAsync(context, id, null, error, body, 422);
            return;
        }

        var outcome = await comments.AddAsync(visitor.WorkspaceId, id, visitor.CustomerId, null, body, checkSpam: true, context.RequestAborted);
        if (!outcome.Ok)
        {
            await SendAsync(context, 404, html => BoardWriter.Message(html, page, page.Texts.NotFound, page.Texts.NotFoundText));
            return;
        }

        Redirect(context, page.Url($"/ideas/{id}", outcome.Value!.Moderation == Moderation.Held ? "notice=held" : null) + "#comments");
    }

    /// <summary>The answer to a request over the rate limit (written by the limiter, so without a database).</summary>
    public static Task TooManyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        Protect(context.Response);
        var texts = BoardTexts.For(BoardVisitors.QuickLanguage(context.Request));
        return SendAsync(context, 429, html => BoardWriter.Message(html, new BoardContext(texts, null, "", ""), texts.TooMany, texts.TooManyText), cancellationToken);
    }

    /// <summary>A form post that may be acted on: from an identified customer, same-origin with a valid anti-forgery token, a small form body.</summary>
    private static async Task<(BoardVisitor Visitor, BoardContext Page, IFormCollection Form)?> ReadAsync(HttpContext context)
    {
        var (visitor, page) = await OpenAsync(context);
        if (visitor.CustomerId is null)
        {
            await SendAsync(context, 403, html => BoardWriter.Message(html, page, page.Texts.BadForm, page.Texts.SignInNeeded));
            return null;
        }

        if (context.Request.ContentLength > MaxBodyBytes || !context.Request.HasFormContentType)
        {
            await SendAsync(context, 400, html => BoardWriter.Message(html, page, page.Texts.BadForm, page.Texts.BadFormText));
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions { ValueCountLimit = 20, ValueLengthLimit = MaxBodyBytes }));
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (!await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
            {
                await SendAsync(context, 400, html => BoardWriter.Message(html, page, page.Texts.BadForm, page.Texts.BadFormText));
                return null;
            }

            return (visitor, page, form);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or AntiforgeryValidationException)
        {
            await SendAsync(context, 400, html => BoardWriter.Message(html, page, page.Texts.BadForm, page.Texts.BadFormText));
            return null;
        }
    }

    private static async Task<(BoardVisitor Visitor, BoardContext Page)> OpenAsync(HttpContext context)
    {
        Protect(context.Response);
        var visitor = await context.RequestServices.GetRequiredService<BoardVisitors>().RecogniseAsync(context, context.RequestAborted);
        var texts = BoardTexts.For(visitor.Language);
        if (visitor.CustomerId is null)
        {
            return (visitor, new BoardContext(texts, null, "", ""));
        }

        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return (visitor, new BoardContext(texts, visitor.CustomerId, tokens.FormFieldName, tokens.RequestToken ?? ""));
    }

    private static string? FieldError(BoardTexts texts, string value, int max, int min)
    {
        var trimmed = value.Trim();
        return trimmed.Length == 0 ? texts.Required : trimmed.Length > max ? texts.TooLong : trimmed.Length < min ? texts.TooShort : null;
    }

    private static string? NoticeText(BoardTexts texts, string? notice) => notice switch
    {
        "held" => texts.Held,
        "posted" => texts.Posted,
        _ => null,
    };

    private static void Redirect(HttpContext context, string location)
    {
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = location;
    }

    /// <summary>Not cached (pages differ per visitor), no referrer (the join link is a secret), no framing, no sniffing, nothing but the page's own style.</summary>
    private static void Protect(HttpResponse response)
    {
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = BoardWriter.ContentSecurityPolicy;
    }

    private static async Task SendAsync(HttpContext context, int status, Action<StringBuilder> write, CancellationToken cancellationToken = default)
    {
        var html = HtmlText.Rent();
        try
        {
            write(html);
            await HtmlText.SendAsync(context.Response, status, html, cancellationToken == default ? context.RequestAborted : cancellationToken);
        }
        finally
        {
            HtmlText.Return(html);
        }
    }
}
