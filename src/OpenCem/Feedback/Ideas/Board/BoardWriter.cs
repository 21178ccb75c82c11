using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenCem.Feedback.Respondents;

namespace OpenCem.Feedback.Ideas.Board;

/// <summary>What every board page knows: its language and words, who is signed in, and the anti-forgery field for its forms.</summary>
public sealed record BoardContext(BoardTexts Texts, long? CustomerId, string FormField, string FormToken)
{
    public string Lang => Texts.Language;

    public bool Identified => CustomerId is not null;

    /// <summary>A board address in this page's language.</summary>
    public string Url(string path, string? query = null) => $"{path}?lang={Lang}{(query is null ? "" : "&" + query)}";
}

public sealed record BoardList(IReadOnlyList<IdeaView> Ideas, IReadOnlySet<long> Voted, string? Status, string Sort, string? Notice);

public sealed record BoardIdea(IdeaView Idea, IReadOnlyList<IdeaCommentView> Comments, bool Voted, string? Notice, string? CommentError, string? Comment);

public sealed record BoardForm(string Title, string Body, IReadOnlyDictionary<string, string> Errors);

/// <summary>
/// The public board as plain HTML: no script, one inline style allowed by its hash in the Content-Security-Policy,
/// every control labelled, forms that post back with an anti-forgery field; votes are buttons in small forms.
/// </summary>
public static class BoardWriter
{
    public const string Style =
        "*{box-sizing:border-box}body{margin:0;background:#eef0f3;color:#1f2328;font:1rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif}" +
        "header,main{max-width:50rem;margin:0 auto;padding:1rem}header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between}" +
        "main{background:#fff;border-radius:.5rem;box-shadow:0 1px 4px #0003;margin-bottom:2rem}h1{font-size:1.6rem;margin:.25rem 0 .5rem}h2{font-size:1.2rem;margin:0 0 .25rem}" +
        "a{color:#1d4ed8}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #111;outline-offset:2px}" +
        ".note{background:#eef3ff;border-left:4px solid #1d4ed8;padding:.5rem .75rem;margin:0 0 1rem}.ok{background:#e9f7ee;border-left:4px solid #1a7f37;padding:.5rem .75rem;margin:0 0 1rem}" +
        ".filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end;margin:0 0 1rem}.filters label{display:flex;flex-direction:column;font-weight:600}" +
        "select,input[type=text],textarea{font:inherit;padding:.5rem;border:1px solid #6b7480;border-radius:.375rem;background:#fff;color:inherit}" +
        "textarea,input[type=text]{width:100%}textarea{min-height:8rem}" +
        "ol.ideas{list-style:none;margin:0;padding:0}ol.ideas li{display:grid;grid-template-columns:8rem minmax(0,1fr);gap:1rem;border-top:1px solid #d0d7de;padding:1rem 0}" +
        ".count{text-align:center}.count strong{display:block;font-size:1.4rem}.count button{width:100%;padding:.4rem .25rem;font-size:.9rem}h3{overflow-wrap:anywhere}.meta{color:#505a66;font-size:.9rem;margin:0}" +
        ".badge{display:inline-block;border-radius:1rem;padding:0 .6rem;font-size:.85rem;font-weight:600;border:1px solid #505a66;color:#1f2328}" +
        ".answer{border-left:4px solid #1a7f37;background:#f3faf5;padding:.5rem .75rem;margin:1rem 0}" +
        "button{font:inherit;font-weight:600;min-height:2.5rem;padding:.4rem 1rem;border:2px solid #1d4ed8;border-radius:.375rem;cursor:pointer;background:#1d4ed8;color:#fff}" +
        "button.secondary{background:#fff;color:#1d4ed8}.field{margin:0 0 1rem}.field label{display:block;font-weight:600;margin:0 0 .25rem}" +
        ".error{color:#b3261e;font-weight:600;margin:.25rem 0}.summary{border:3px solid #b3261e;border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1rem}" +
        ".comments{list-style:none;padding:0}.comments li{border-top:1px solid #d0d7de;padding:.5rem 0}" +
        ".sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}";

    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void List(StringBuilder html, BoardContext page, BoardList list)
    {
        var t = page.Texts;
        Start(html, page, t.Board, "/ideas");
        html.Append("<h1>").Encode(t.Board).Append("</h1><p>").Encode(t.Intro).Append("</p>");
        Notice(html, list.Notice);
        html.Append("<p class=\"note\">").Encode(page.Identified ? t.SignedIn : t.Anonymous).Append("</p>");
        if (page.Identified)
        {
            html.Append("<p><a").Attribute("href", page.Url("/ideas/new")).Append('>').Encode(t.NewIdea).Append("</a></p>");
        }

        html.Append("<form method=\"get\" action=\"/ideas\" class=\"filters\"").Attribute("aria-label", t.Filters).Append('>')
            .Append("<input type=\"hidden\" name=\"lang\"").Attribute("value", page.Lang).Append('>')
            .Append("<label>").Encode(t.Status).Append("<select name=\"status\"><option value=\"\">").Encode(t.AllStatuses).Append("</option>");
        foreach (var status in IdeaStatus.All)
        {
            html.Append("<option").Attribute("value", status).Append(list.Status == status ? " selected" : "").Append('>').Encode(t.StatusName(status)).Append("</option>");
        }

        html.Append("</select></label><label>").Encode(t.Sort).Append("<select name=\"sort\">")
            .Append("<option value=\"votes\"").Append(list.Sort == "votes" ? " selected" : "").Append('>').Encode(t.ByVotes).Append("</option>")
            .Append("<option value=\"new\"").Append(list.Sort == "new" ? " selected" : "").Append('>').Encode(t.ByNew).Append("</option>")
            .Append("</select></label><button type=\"submit\" class=\"secondary\">").Encode(t.Show).Append("</button></form>");

        if (list.Ideas.Count == 0)
        {
            html.Append("<p>").Encode(t.NoIdeas).Append("</p>");
        }
        else
        {
            html.Append("<h2 class=\"sr\">").Encode(t.IdeasList).Append("</h2><ol class=\"ideas\">");
            foreach (var idea in list.Ideas)
            {
                html.Append("<li><div class=\"count\"><strong>").Append(idea.Votes.ToString(CultureInfo.InvariantCulture)).Append("</strong>").Encode(t.VotesAfter(idea.Votes));
                VoteButton(html, page, idea, list.Voted.Contains(idea.Id), "list");
                html.Append("</div><div><h3 class=\"title\"><a").Attribute("href", page.Url($"/ideas/{idea.Id}")).Append('>').Encode(idea.Title).Append("</a></h3>")
                    .Append("<p class=\"meta\"><span class=\"badge\">").Encode(t.StatusName(idea.Status)).Append("</span> ")
                    .Encode(idea.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</p>");
                if (idea.Answer is { } answer)
                {
                    html.Append("<p><strong>").Encode(t.Answer).Append(":</strong> ").Encode(Excerpt(answer)).Append("</p>");
                }

                html.Append("</div></li>");
            }

            html.Append("</ol>");
        }

        End(html);
    }

    public static void Idea(StringBuilder html, BoardContext page, BoardIdea view)
    {
        var t = page.Texts;
        var idea = view.Idea;
        Start(html, page, (view.CommentError is null ? "" : t.ErrorSummary + ": ") + idea.Title + " – " + t.Board, $"/ideas/{idea.Id}");
        html.Append("<p><a").Attribute("href", page.Url("/ideas")).Append('>').Encode(t.BackToBoard).Append("</a></p>");
        Notice(html, view.Notice);
        html.Append("<h1>").Encode(idea.Title).Append("</h1><p class=\"meta\"><span class=\"badge\">").Encode(t.StatusName(idea.Status)).Append("</span> ")
            .Append(idea.Votes.ToString(CultureInfo.InvariantCulture)).Append(' ').Encode(t.VotesAfter(idea.Votes)).Append("</p>");
        foreach (var paragraph in idea.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            html.Append("<p>").Encode(paragraph).Append("</p>");
        }

        VoteButton(html, page, idea, view.Voted, "idea");
        if (idea.Answer is { } answer)
        {
            html.Append("<section class=\"answer\" aria-labelledby=\"answer\"><h2 id=\"answer\">").Encode(t.Answer).Append("</h2><p>").Encode(answer).Append("</p></section>");
        }

        html.Append("<section aria-labelledby=\"comments\"><h2 id=\"comments\">").Encode(t.Comments).Append("</h2>");
        if (view.Comments.Count == 0)
        {
            html.Append("<p>").Encode(t.NoComments).Append("</p>");
        }
        else
        {
            html.Append("<ul class=\"comments\">");
            foreach (var comment in view.Comments)
            {
                html.Append("<li><p class=\"meta\">").Encode(comment.Staff is null ? t.Customer : t.Staff).Append(", ")
                    .Encode(comment.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</p><p>").Encode(comment.Body).Append("</p></li>");
            }

            html.Append("</ul>");
        }

        if (page.Identified && idea.Status is not (IdeaStatus.Done or IdeaStatus.Declined) || page.Identified && view.CommentError is not null)
        {
            html.Append("<form method=\"post\"").Attribute("action", page.Url($"/ideas/{idea.Id}/comments")).Append('>');
            Forgery(html, page);
            html.Append("<div class=\"field\"><label for=\"comment\">").Encode(t.Comment).Append("</label>");
            if (view.CommentError is { } error)
            {
                html.Append("<p class=\"error\" id=\"comment-error\">").Encode(error).Append("</p>");
            }

            html.Append("<textarea id=\"comment\" name=\"body\" maxlength=\"").Append(IdeaInput.MaxComment).Append('"')
                .Append(view.CommentError is null ? "" : " aria-invalid=\"true\" aria-describedby=\"comment-error\" autofocus").Append('>').Encode(view.Comment).Append("</textarea></div>")
                .Append("<button type=\"submit\">").Encode(t.AddComment).Append("</button></form>");
        }
        else if (!page.Identified)
        {
            html.Append("<p class=\"note\">").Encode(t.Anonymous).Append("</p>");
        }

        html.Append("</section>");
        End(html);
    }

    public static void NewIdea(StringBuilder html, BoardContext page, BoardForm form)
    {
        var t = page.Texts;
        Start(html, page, (form.Errors.Count > 0 ? t.ErrorSummary + ": " : "") + t.NewIdea + " – " + t.Board, "/ideas/new");
        html.Append("<p><a").Attribute("href", page.Url("/ideas")).Append('>').Encode(t.BackToBoard).Append("</a></p><h1>").Encode(t.NewIdea).Append("</h1>");
        if (form.Errors.Count > 0)
        {
            html.Append("<div class=\"summary\" role=\"alert\" tabindex=\"-1\"><h2>").Encode(t.ErrorSummary).Append("</h2><ul>");
            foreach (var (field, error) in form.Errors)
            {
                html.Append("<li><a").Attribute("href", "#" + field).Append('>').Encode(field == "title" ? t.Title : t.Body).Append(": ").Encode(error).Append("</a></li>");
            }

            html.Append("</ul></div>");
        }

        html.Append("<form method=\"post\"").Attribute("action", page.Url("/ideas")).Append('>');
        Forgery(html, page);
        Field(html, "title", t.Title, form.Title, form.Errors, textarea: false, IdeaInput.MaxTitle);
        Field(html, "body", t.Body, form.Body, form.Errors, textarea: true, IdeaInput.MaxBody);
        html.Append("<button type=\"submit\">").Encode(t.Post).Append("</button></form>");
        End(html);
    }

    public static void Message(StringBuilder html, BoardContext page, string heading, string message)
    {
        Start(html, page, heading, "/ideas");
        html.Append("<h1>").Encode(heading).Append("</h1><p>").Encode(message).Append("</p><p><a").Attribute("href", page.Url("/ideas")).Append('>')
            .Encode(page.Texts.BackToBoard).Append("</a></p>");
        End(html);
    }

    private static void VoteButton(StringBuilder html, BoardContext page, IdeaView idea, bool voted, string back)
    {
        if (!page.Identified || idea.Status is IdeaStatus.Done or IdeaStatus.Declined)
        {
            return;
        }

        var t = page.Texts;
        html.Append("<form method=\"post\"").Attribute("action", page.Url($"/ideas/{idea.Id}/{(voted ? "unvote" : "vote")}")).Append('>');
        Forgery(html, page);
        // The label names the idea too: a list holds many buttons with the same visible text.
        var label = voted ? t.Unvote : t.Vote;
        html.Append("<input type=\"hidden\" name=\"back\"").Attribute("value", back).Append("><button type=\"submit\"").Append(voted ? " class=\"secondary\"" : "")
            .Attribute("aria-label", label + ": " + idea.Title).Append('>').Encode(label).Append("</button></form>");
    }

    private static void Field(StringBuilder html, string name, string label, string value, IReadOnlyDictionary<string, string> errors, bool textarea, int max)
    {
        var error = errors.TryGetValue(name, out var e) ? e : null;
        html.Append("<div class=\"field\"><label").Attribute("for", name).Append('>').Encode(label).Append("</label>");
        if (error is not null)
        {
            html.Append("<p class=\"error\"").Attribute("id", name + "-error").Append('>').Encode(error).Append("</p>");
        }

        var invalid = error is null ? "" : $" aria-invalid=\"true\" aria-describedby=\"{name}-error\"";
        if (textarea)
        {
            html.Append("<textarea required").Attribute("id", name).Attribute("name", name).Append(" maxlength=\"").Append(max).Append('"').Append(invalid).Append('>').Encode(value).Append("</textarea>");
        }
        else
        {
            html.Append("<input type=\"text\" required").Attribute("id", name).Attribute("name", name).Attribute("value", value).Append(" maxlength=\"").Append(max).Append('"').Append(invalid).Append('>');
        }

        html.Append("</div>");
    }

    private static void Forgery(StringBuilder html, BoardContext page) =>
        html.Append("<input type=\"hidden\"").Attribute("name", page.FormField).Attribute("value", page.FormToken).Append('>');

    private static void Notice(StringBuilder html, string? notice)
    {
        if (notice is not null)
        {
            html.Append("<p class=\"ok\" role=\"status\">").Encode(notice).Append("</p>");
        }
    }

    private static string Excerpt(string text) => text.Length <= 200 ? text : text[..200].TrimEnd() + "…";

    private static void Start(StringBuilder html, BoardContext page, string title, string path)
    {
        var t = page.Texts;
        html.Append("<!doctype html><html").Attribute("lang", page.Lang)
            .Append("><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>").Encode(title)
            .Append("</title><style>").Append(Style).Append("</style></head><body><header><a").Attribute("href", page.Url("/ideas")).Append("><strong>")
            .Encode(t.Board).Append("</strong></a><a").Attribute("href", $"{path}?lang={t.OtherLanguageName}").Attribute("lang", t.OtherLanguageName)
            .Attribute("hreflang", t.OtherLanguageName).Append('>').Encode(t.OtherLanguage).Append("</a></header><main>");
    }

    private static void End(StringBuilder html) => html.Append("</main></body></html>");
}
