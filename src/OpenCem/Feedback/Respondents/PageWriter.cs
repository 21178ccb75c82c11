using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Respondents;

/// <summary>What one survey page shows: the page, the answers to fill in, and any problems to point out.</summary>
public sealed record PageView(
    SurveyDefinition Definition, string Language, PageTexts Texts, string FormAction, int Page, Answers Answers,
    IReadOnlyList<FieldError> Errors, IReadOnlyDictionary<string, string> Entered, string? Focus = null);

/// <summary>
/// The respondent page as plain HTML: no script, no external asset, one small inline style (allowed by its hash in
/// the Content-Security-Policy), usable from 320 px wide up, with the error summary and per-field errors tied to
/// their fields so keyboard and screen-reader users find them.
/// </summary>
public static partial class PageWriter
{
    public const string Style =
        "*{box-sizing:border-box}" +
        "body{margin:0;background:#eef0f3;color:#1f2328;font:1rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif}" +
        "main{max-width:42rem;margin:0 auto;background:#fff;padding:1.25rem 1rem 2rem;min-height:100vh}" +
        "@media(min-width:44rem){main{margin:2rem auto;min-height:0;padding:2rem 2.5rem;border-radius:.75rem;box-shadow:0 1px 4px #0003}}" +
        "h1{font-size:1.5rem;line-height:1.3;margin:0 0 .25rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}p{margin:0 0 1rem}" +
        ".progress,.hint,.ends,.req{color:#505a66}" +
        "fieldset{border:0;margin:0;padding:0;min-width:0}.q{margin:1.75rem 0}" +
        "legend,.title{display:block;font-weight:600;font-size:1.0625rem;margin:0 0 .5rem;padding:0}.req{font-weight:400}" +
        ".hint{margin:-.25rem 0 .5rem}.error{color:#b3261e;font-weight:600;margin:0 0 .5rem}" +
        ".invalid{border-left:4px solid #b3261e;padding-left:.75rem}" +
        ".scale{display:flex;flex-wrap:wrap;gap:.25rem}.scale label{flex:1 1 0;min-width:1.5rem;position:relative;text-align:center}" +
        ".scale input{position:absolute;inset:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}" +
        ".scale span{display:block;padding:.625rem 0;border:1px solid #6b7480;border-radius:.375rem;font-weight:600}" +
        ".scale input:checked+span{background:#1d4ed8;border-color:#1d4ed8;color:#fff}" +
        ".scale input:focus-visible+span{outline:3px solid #111;outline-offset:2px}" +
        ".ends{display:flex;justify-content:space-between;gap:1rem;font-size:.875rem;margin:.375rem 0 0}.ends span+span{text-align:right}" +
        ".choice{display:flex;align-items:center;gap:.625rem;padding:.625rem .75rem;margin:0 0 .5rem;border:1px solid #6b7480;border-radius:.375rem;cursor:pointer}" +
        ".choice:has(:checked){border-color:#1d4ed8;background:#eef3ff}" +
        ".choice input{width:1.25rem;height:1.25rem;margin:0;flex:none;accent-color:#1d4ed8}" +
        ".inline{display:flex;flex-wrap:wrap;gap:.5rem}.inline .choice{flex:1 1 8rem;margin:0}" +
        ".field{display:block;width:100%;padding:.625rem;font:inherit;color:inherit;background:#fff;border:1px solid #6b7480;border-radius:.375rem}" +
        "textarea.field{min-height:7rem;resize:vertical}" +
        ":focus-visible{outline:3px solid #111;outline-offset:2px}.row{margin:0 0 1rem}.row legend{font-weight:400}" +
        ".summary{border:3px solid #b3261e;border-radius:.5rem;padding:1rem 1.25rem;margin:1rem 0 1.5rem}" +
        ".summary h2{margin:0 0 .5rem;font-size:1.125rem}.summary ul{margin:0;padding-left:1.25rem}.summary a{color:#b3261e;font-weight:600}" +
        ".nav{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:2rem}" +
        "button{font:inherit;font-weight:600;min-height:2.75rem;padding:.625rem 1.75rem;border:2px solid #1d4ed8;border-radius:.375rem;cursor:pointer}" +
        ".primary{background:#1d4ed8;color:#fff}.secondary{background:#fff;color:#1d4ed8}" +
        ".sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
        "@media(forced-colors:active){.scale input:checked+span{outline:3px solid Highlight}}";

    /// <summary>The policy that lets this page's one inline style apply and nothing else load, run, frame it or post elsewhere.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>One page of the survey as a form that posts back to <see cref="PageView.FormAction"/>.</summary>
    public static void SurveyPage(StringBuilder html, PageView view)
    {
        var definition = view.Definition;
        var texts = view.Texts;
        var title = SurveyTitle(definition, view.Language, texts);
        var (number, count) = SurveyNavigator.Position(definition, view.Page, view.Answers);
        var progress = count > 1 ? PageTexts.Format(texts.PageOf, number, count) : null;
        Start(html, view.Language, (view.Errors.Count > 0 ? texts.ErrorPrefix : "") + title + (progress is null ? "" : " – " + progress));
        html.Append("<main><h1>").Encode(title).Append("</h1>");
        if (progress is not null)
        {
            html.Append("<p class=\"progress\">").Encode(progress).Append("</p>");
        }

        if (number == 1 && !definition.Description.IsEmpty)
        {
            html.Append("<p>").Encode(definition.Description.In(view.Language)).Append("</p>");
        }

        var form = SurveyForm.Of(definition);
        if (view.Errors.Count > 0)
        {
            ErrorSummary(html, view, form);
        }

        var page = definition.Pages[view.Page];
        var visible = SurveyNavigator.VisibleQuestions(definition, view.Page, view.Answers).ToList();
        html.Append("<form method=\"post\" novalidate").Attribute("action", view.FormAction).Append('>')
            .Append("<input type=\"hidden\" name=\"page\" value=\"").Append(view.Page.ToString(CultureInfo.InvariantCulture)).Append("\">")
            .Append("<input type=\"hidden\" name=\"shown\" value=\"");
        for (var i = 0; i < visible.Count; i++)
        {
            html.Append(i == 0 ? "" : " ").Append(IndexOn(page, visible[i]).ToString(CultureInfo.InvariantCulture));
        }

        html.Append("\">");
        if (!page.Title.IsEmpty)
        {
            html.Append("<h2>").Encode(page.Title.In(view.Language)).Append("</h2>");
        }

        if (!page.Description.IsEmpty)
        {
            html.Append("<p>").Encode(page.Description.In(view.Language)).Append("</p>");
        }

        foreach (var question in visible)
        {
            var error = view.Errors.FirstOrDefault(e => e.Question == question.Name)?.Message;
            QuestionWriter.Write(html, new QuestionView(
                question, form.IdOf(question), view.Language, texts, view.Answers[question.Name], view.Entered.GetValueOrDefault(question.Name), error,
                Focus: view.Errors.Count == 0 && view.Focus == question.Name));
        }

        var last = SurveyNavigator.Next(definition, view.Page, view.Answers) is null;
        html.Append("<div class=\"nav\"><button type=\"submit\" class=\"primary\" name=\"action\" value=\"").Append(last ? "submit" : "next").Append("\">")
            .Encode(last ? Text(definition.CompleteText, view.Language, texts.Submit) : Text(definition.PageNextText, view.Language, texts.Next)).Append("</button>");
        if (SurveyNavigator.Previous(definition, view.Page, view.Answers) is not null)
        {
            html.Append("<button type=\"submit\" class=\"secondary\" name=\"action\" value=\"back\">")
                .Encode(Text(definition.PagePrevText, view.Language, texts.Back)).Append("</button>");
        }

        html.Append("</div></form></main>");
        End(html);
    }

    /// <summary>A page with a heading and one message: thank you, already completed, invalid or expired link.</summary>
    public static void MessagePage(StringBuilder html, string language, string heading, string message)
    {
        Start(html, language, heading);
        html.Append("<main><h1>").Encode(heading).Append("</h1><p>").Encode(message).Append("</p></main>");
        End(html);
    }

    public static string SurveyTitle(SurveyDefinition definition, string language, PageTexts texts) => Text(definition.Title, language, texts.Survey);

    /// <summary>The survey's closing words as text (its completedHtml without markup), else the page's thank you.</summary>
    public static string ThankYou(SurveyDefinition definition, string language, PageTexts texts)
    {
        var text = definition.CompletedHtml.IsEmpty ? "" : Whitespace().Replace(System.Net.WebUtility.HtmlDecode(Tags().Replace(definition.CompletedHtml.In(language), " ")), " ").Trim();
        return text.Length > 0 ? text : texts.ThankYou;
    }

    private static string Text(LocalisedText text, string language, string fallback) => text.IsEmpty ? fallback : text.In(language, fallback);

    private static int IndexOn(SurveyPage page, Question question)
    {
        for (var i = 0; i < page.Questions.Count; i++)
        {
            if (ReferenceEquals(page.Questions[i], question))
            {
                return i;
            }
        }

        return -1;
    }

    private static void ErrorSummary(StringBuilder html, PageView view, SurveyForm form)
    {
        html.Append("<div class=\"summary\" role=\"alert\" tabindex=\"-1\" autofocus aria-labelledby=\"summary\"><h2 id=\"summary\">")
            .Encode(view.Texts.ErrorTitle).Append("</h2><ul>");
        // In the order of the page, problems with the form as a whole last.
        foreach (var error in view.Errors.OrderBy(e => e.Question is not null && view.Definition.Find(e.Question) is { } q ? form.NumberOf(q) : int.MaxValue))
        {
            html.Append("<li>");
            if (error.Question is not null && view.Definition.Find(error.Question) is { } question)
            {
                // "Title? Message." reads better than "Title?: Message."
                var title = question.TitleIn(view.Language);
                html.Append("<a href=\"#").Append(QuestionWriter.FirstControlId(question, form.IdOf(question))).Append("\">")
                    .Encode(title).Append(title.Length > 0 && char.IsPunctuation(title[^1]) ? " " : ": ").Encode(error.Message).Append("</a>");
            }
            else
            {
                html.Encode(error.Message);
            }

            html.Append("</li>");
        }

        html.Append("</ul></div>");
    }

    private static void Start(StringBuilder html, string language, string title) =>
        html.Append("<!doctype html><html").Attribute("lang", language)
            .Append("><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<meta name=\"robots\" content=\"noindex\"><title>").Encode(title).Append("</title><style>").Append(Style).Append("</style></head><body>");

    private static void End(StringBuilder html) => html.Append("</body></html>");

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
