using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenCem.Feedback.Respondents;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Dashboard.Surveys;

/// <summary>
/// The respondent page of a survey as its respondents would see it, written by the respondent page writer, for the
/// editor's preview frame: GET shows the stored definition, POST (the editor's Preview button, with its anti-forgery
/// token) the definition in the editor, unsaved. The page posts nowhere and may be framed by the dashboard only.
/// </summary>
public static class SurveyPreview
{
    public const string FrameName = "survey-preview";

    /// <summary>The respondent page's own policy, with framing by the dashboard allowed and no form submission.</summary>
    public static readonly string ContentSecurityPolicy = PageWriter.ContentSecurityPolicy
        .Replace("frame-ancestors 'none'", "frame-ancestors 'self'", StringComparison.Ordinal)
        .Replace("form-action 'self'", "form-action 'none'", StringComparison.Ordinal);

    public static string Path(long surveyId) => $"/surveys/{surveyId}/preview";

    public static void Map(WebApplication app)
    {
        app.MapGet("/surveys/{id:long}/preview", GetAsync).ExcludeFromDescription().RequireAuthorization(DashboardPolicies.SignedIn);
        app.MapPost("/surveys/{id:long}/preview", PostAsync).ExcludeFromDescription().RequireAuthorization(DashboardPolicies.SignedIn).DisableAntiforgery();
    }

    /// <summary>Writes the first page of the survey, or the reasons it cannot be shown. Pure.</summary>
    public static void Write(StringBuilder html, SurveyDefinition? definition, IReadOnlyList<string> problems, string? language = null)
    {
        if (definition is null)
        {
            PageWriter.MessagePage(html, "en", "The survey cannot be previewed", string.Join(" ", problems));
            return;
        }

        var lang = language is not null && definition.Languages.Contains(language) ? language : definition.DefaultLanguage;
        PageWriter.SurveyPage(html, new PageView(
            definition, lang, PageTexts.For(lang), "#", 0, new Answers(), [], new Dictionary<string, string>()));
    }

    private static async Task GetAsync(HttpContext context, SurveyStore surveys, long id, string? lang)
    {
        if (CurrentUser.From(context.User) is not { } user || await surveys.GetAsync(user.WorkspaceId, id, context.RequestAborted) is not { } survey)
        {
            await SendAsync(context, StatusCodes.Status404NotFound, null, ["There is no such survey."], null);
            return;
        }

        await SendAsync(context, StatusCodes.Status200OK, survey.Definition, [], lang);
    }

    private static async Task PostAsync(HttpContext context, IAntiforgery antiforgery, SurveyStore surveys, long id)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (CurrentUser.From(context.User) is not { } user || await surveys.GetAsync(user.WorkspaceId, id, context.RequestAborted) is null)
        {
            await SendAsync(context, StatusCodes.Status404NotFound, null, ["There is no such survey."], null);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var (definition, problems) = Parse(form["Definition"].ToString());
        await SendAsync(context, StatusCodes.Status200OK, definition, problems, null);
    }

    /// <summary>The definition in the editor, read by the same parser as the API, or its problems.</summary>
    public static (SurveyDefinition? Definition, IReadOnlyList<string> Problems) Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return (SurveyDefinitionParser.Parse(document.RootElement), []);
        }
        catch (JsonException ex)
        {
            return (null, [$"definition: is not JSON ({ex.Message})"]);
        }
        catch (SurveyDefinitionException ex)
        {
            return (null, ex.Problems);
        }
    }

    private static async Task SendAsync(HttpContext context, int status, SurveyDefinition? definition, IReadOnlyList<string> problems, string? language)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "SAMEORIGIN";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "same-origin";
        var html = HtmlText.Rent();
        try
        {
            Write(html, definition, problems, language);
            await HtmlText.SendAsync(context.Response, status, html, context.RequestAborted);
        }
        finally
        {
            HtmlText.Return(html);
        }
    }
}
