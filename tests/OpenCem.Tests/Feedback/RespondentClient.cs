using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;

namespace OpenCem.Tests.Feedback;

/// <summary>A respondent's browser without JavaScript or cookies: opens a link and posts its forms as a browser would.</summary>
public sealed class RespondentClient : IDisposable
{
    private readonly HttpClient _client;

    public RespondentClient(TestServer server, string? acceptLanguage = null, bool followRedirects = true)
    {
        _client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = false }) { BaseAddress = server.BaseAddress };
        if (acceptLanguage is not null)
        {
            _client.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        }
    }

    public async Task<RespondentPage> GetAsync(string url) => await RespondentPage.ReadAsync(await _client.GetAsync(url));

    /// <summary>Posts exactly these fields to a link (no hidden fields added).</summary>
    public async Task<RespondentPage> PostAsync(string url, params (string Name, string Value)[] fields) =>
        await RespondentPage.ReadAsync(await _client.PostAsync(url, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)))));

    /// <summary>Submits the page's form: its hidden fields, the given answers, and the pressed button.</summary>
    public Task<RespondentPage> SubmitAsync(RespondentPage page, string action, params (string Name, string Value)[] answers) =>
        PostAsync(page.FormAction, [("page", page.Hidden("page")), ("shown", page.Hidden("shown")), .. answers, ("action", action)]);

    public void Dispose() => _client.Dispose();

    /// <summary>Creates customers (with consent, one per invitation) and a link invitation for each; returns the links.</summary>
    public static async Task<string[]> InviteAsync(TestServer server, long survey, string language, long? interactionId = null, int count = 1)
    {
        var people = Enumerable.Range(0, count).Select(_ => $"p{Guid.NewGuid():N}"[..12]).ToList();
        var records = string.Join(", ", people.Select(p => $$"""{"id": "{{p}}", "email": "{{p}}@example.com", "consent": {"surveys": true}, "language": "{{language}}"}"""));
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/api/v1/sources/crm/records", $"[{records}]", server.Admin)).StatusCode);
        var customers = string.Join(", ", people.Select(p => $$"""{"email": "{{p}}@example.com"}"""));
        var interaction = interactionId is null ? "" : $", \"interactionId\": {interactionId.Value.ToString(CultureInfo.InvariantCulture)}";
        var response = await server.PostJsonAsync($"/api/v1/surveys/{survey}/invitations", $$"""{"channel": "link", "customers": [{{customers}}]{{interaction}}}""", server.Admin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var invitations = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invitations").EnumerateArray().ToList();
        Assert.All(invitations, i => Assert.Equal("created", i.GetProperty("status").GetString()));
        return invitations.Select(i => new Uri(i.GetProperty("url").GetString()!).PathAndQuery).ToArray();
    }

    /// <summary>The survey's responses and invitations as stored, for checking what a page did or did not save.</summary>
    public static async Task<(List<StoredResponse> Responses, List<(long Id, string Status, string Channel, long? CustomerId)> Invitations)> StoredAsync(TestServer server, long survey)
    {
        await using var connection = await server.Service<Database>().OpenAsync();
        var responses = (await connection.QueryAsync<StoredResponse>(
            """
            SELECT invitation_id AS InvitationId, customer_id AS CustomerId, interaction_id AS InteractionId, channel AS Channel, language AS Language,
                source AS Source, status AS Status, answers AS Answers, nps AS Nps, comment AS Comment
            FROM survey_responses WHERE survey_id = @survey ORDER BY id
            """,
            new { survey })).ToList();
        var invitations = (await connection.QueryAsync<(long, string, string, long?)>(
            "SELECT id, status, channel, customer_id FROM survey_invitations WHERE survey_id = @survey ORDER BY id", new { survey })).ToList();
        return (responses, invitations);
    }

    public sealed class StoredResponse
    {
        public long? InvitationId { get; set; }

        public long? CustomerId { get; set; }

        public long? InteractionId { get; set; }

        public string? Channel { get; set; }

        public string? Language { get; set; }

        public string Source { get; set; } = "";

        public string Status { get; set; } = "";

        public string Answers { get; set; } = "";

        public long? Nps { get; set; }

        public string? Comment { get; set; }
    }
}

/// <summary>One answer of the respondent page: status, headers and the HTML, with helpers to read the form.</summary>
public sealed partial record RespondentPage(HttpStatusCode Status, string Html, int Bytes, HttpResponseMessage Response)
{
    public string FormAction => WebUtility.HtmlDecode(FormActionPattern().Match(Html).Groups[1].Value);

    /// <summary>The page index the form posts, or -1 when the answer is no survey page.</summary>
    public int PageIndex => Html.Contains("name=\"page\"", StringComparison.Ordinal) ? int.Parse(Hidden("page"), CultureInfo.InvariantCulture) : -1;

    /// <summary>The page's visible text, spaces collapsed (the style and the title left out).</summary>
    public string Text => Spaces().Replace(WebUtility.HtmlDecode(TagPattern().Replace(HeadPattern().Replace(Html, " "), " ")), " ").Trim();

    public static async Task<RespondentPage> ReadAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new RespondentPage(response.StatusCode, System.Text.Encoding.UTF8.GetString(bytes), bytes.Length, response);
    }

    public string Hidden(string name) =>
        WebUtility.HtmlDecode(Regex.Match(Html, $"<input type=\"hidden\" name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\">").Groups[1].Value);

    /// <summary>True when the radio button or check box with this name and value is checked.</summary>
    public bool IsChecked(string name, string value) =>
        Regex.IsMatch(Html, $"<input type=\"(radio|checkbox)\" name=\"{Regex.Escape(name)}\" value=\"{Regex.Escape(value)}\"[^>]* checked>");

    public bool Asks(string name) => Html.Contains($"name=\"{name}\"", StringComparison.Ordinal);

    [GeneratedRegex("<form method=\"post\" novalidate action=\"([^\"]*)\"")]
    private static partial Regex FormActionPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();

    [GeneratedRegex("<head>.*</head>", RegexOptions.Singleline)]
    private static partial Regex HeadPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
