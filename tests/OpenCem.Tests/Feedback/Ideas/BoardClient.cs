using System.Net;
using System.Text.RegularExpressions;
using OpenCem.Tests.Hosting;

namespace OpenCem.Tests.Feedback.Ideas;

/// <summary>A browser-like client of the public board: keeps cookies, does not follow redirects, posts forms with the page's anti-forgery field.</summary>
internal sealed partial class BoardClient : IDisposable
{
    private readonly HttpClient _client;

    public BoardClient(TestServer server, string? acceptLanguage = null)
    {
        _client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        if (acceptLanguage is not null)
        {
            _client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        }
    }

    public CookieContainer Cookies { get; } = new();

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(path);

    public async Task<string> PageAsync(string path)
    {
        var response = await _client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Opens the personal link as a customer would: it must redirect to the board and set the board cookie.</summary>
    public async Task JoinAsync(string link)
    {
        var response = await _client.GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("opencem-board=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Posts <paramref name="fields"/> to <paramref name="action"/> with the anti-forgery field of the page at <paramref name="formPage"/>.</summary>
    public async Task<HttpResponseMessage> PostAsync(string formPage, string action, Dictionary<string, string> fields, bool withToken = true)
    {
        var html = await PageAsync(formPage);
        var token = Token().Match(html);
        Assert.True(token.Success, "the page has no anti-forgery field");
        if (withToken)
        {
            fields[token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value);
        }

        return await _client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("<input type=\"hidden\" name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
