using System.Net;
using System.Net.Http.Headers;
using CsCheck;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Fuzzing;

/// <summary>The respondent page <c>/s/{token}</c> under forged links, hostile forms and odd bodies.</summary>
[Collection(FuzzCollection.Name)]
public sealed class RespondentPageFuzzTests(FuzzServers servers)
{
    private static readonly Gen<string> FieldName = Gen.Frequency((6, Gen.OneOf("page", "shown", "nps", "reason", "comment", "action")), (1, HostileText.Any));

    private static readonly Gen<string> FieldValue = Gen.Frequency(
        (3, Gen.OneOf("0", "1", "9", "10", "-1", "11", "99999999999999999999", "1e400", "NaN", "price", "next", "back", "submit", "0,1", "", "q0", "nps,reason,comment")),
        (3, HostileText.Any),
        (1, Gen.Int[1, 70_000].Select(n => new string('w', n))));

    /// <summary>A link (the real one, or a forged or broken token), a query, and a body (a form, or bytes of some content type).</summary>
    private static readonly Gen<(int Link, string Token, string Query, (string, string)[] Fields, byte[]? Raw, string ContentType, bool Get)> Visits =
        Gen.Select(
            Gen.Frequency((3, Gen.Const(0)), (1, Gen.Const(1))),
            Gen.OneOf("AAAA", "..%2F..%2Fetc%2Fpasswd", "%00", "%3Cscript%3E", new string('A', 3000), "a.b.c", "-_-_", "%FF%FE"),
            Gen.OneOf("", "?lang=de", "?lang=%3Cscript%3E", "?lang=" + new string('x', 5000), "?lang=en&lang=de", "?x=%00"),
            Gen.Select(FieldName, FieldValue).Array[0, 8],
            Gen.Frequency((4, Gen.Const((byte[]?)null)), (1, Gen.Byte.Array[0, 300].Select(b => (byte[]?)b))),
            Gen.OneOf("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=latin1", "multipart/form-data; boundary=x", "application/json", "text/plain", ""),
            Gen.Frequency((1, Gen.Const(true)), (4, Gen.Const(false))));

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task RespondentPage_HostileFormsAndLinks_NeverFailAndRefusedOnesStoreNothing(DatabaseKind kind)
    {
        var fuzz = await servers.GetAsync(kind);
        var link = (await RespondentClient.InviteAsync(fuzz.Server, fuzz.SurveyId, "en"))[0];
        using var client = fuzz.Anonymous();
        await FuzzRun.CheckAsync(Visits, nameof(RespondentPage_HostileFormsAndLinks_NeverFailAndRefusedOnesStoreNothing), ci: 20, async visit =>
        {
            var path = (visit.Link == 0 ? link.Split('?')[0] : "/s/" + visit.Token) + visit.Query;
            var before = await fuzz.CountsAsync();
            HttpResponseMessage response;
            if (visit.Get)
            {
                response = await client.GetAsync(path);
            }
            else
            {
                HttpContent content = visit.Raw is { } raw ? new ByteArrayContent(raw) : new FormUrlEncodedContent(visit.Fields.Select(f => KeyValuePair.Create(f.Item1, f.Item2)));
                if (visit.Raw is not null && visit.ContentType.Length > 0)
                {
                    content.Headers.ContentType = MediaTypeHeaderValue.Parse(visit.ContentType);
                }

                using (content)
                {
                    response = await client.PostAsync(path, content);
                }
            }

            var status = (int)response.StatusCode;
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(status < 500, $"{status}: {html[..Math.Min(500, html.Length)]}");
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            if (status >= 400)
            {
                var after = await fuzz.CountsAsync();
                Assert.True(before.SequenceEqual(after), $"refused with {status} but stored: {FuzzServer.Changes(before, after)}");
            }
        }, visit => $"{(visit.Get ? "GET" : "POST")} link {visit.Link} token {visit.Token[..Math.Min(40, visit.Token.Length)]} {visit.Query[..Math.Min(40, visit.Query.Length)]} fields [{string.Join(", ", visit.Fields.Select(f => f.Item1 + "=" + f.Item2[..Math.Min(60, f.Item2.Length)]))}] raw {visit.Raw?.Length} {visit.ContentType}");
        await fuzz.AssertAliveAsync();
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task RespondentPage_HostileComment_IsStoredExactlyAndShownAsText(DatabaseKind kind)
    {
        var fuzz = await servers.GetAsync(kind);
        await FuzzRun.CheckAsync(HostileText.Typed, nameof(RespondentPage_HostileComment_IsStoredExactlyAndShownAsText), ci: 4, async comment =>
        {
            var link = (await RespondentClient.InviteAsync(fuzz.Server, fuzz.SurveyId, "en"))[0];
            using var browser = new RespondentClient(fuzz.Server);
            var second = await browser.SubmitAsync(await browser.GetAsync(link), "next", ("nps", "9"));
            Assert.Equal(1, second.PageIndex);

            // Back with the comment stores it as a partial answer; forward again shows it in the text box.
            var first = await browser.SubmitAsync(second, "back", ("comment", comment));
            var shown = await browser.SubmitAsync(first, "next", ("nps", "9"));
            Assert.Equal(HttpStatusCode.OK, shown.Status);
            RenderedText.AssertShownAsText(shown.Html, comment);

            var done = await browser.SubmitAsync(shown, "submit", ("comment", comment));
            Assert.True(done.Status == HttpStatusCode.OK, $"{done.Status}: {done.Text}");
            var token = link.Split('?')[0];
            var (responses, _) = await RespondentClient.StoredAsync(fuzz.Server, fuzz.SurveyId);
            Assert.Contains(responses, r => r.Status == "completed" && r.Comment == comment);
        }, comment => System.Text.Json.JsonSerializer.Serialize(comment));
    }

}

/// <summary>How hostile text must come back in HTML.</summary>
public static class RenderedText
{
    /// <summary>The text is in the page only escaped: its markup never reaches the HTML as markup.</summary>
    public static void AssertShownAsText(string html, string text)
    {
        // A bare & (one that starts no character reference) may stay as it is; < and " may not.
        if (text.IndexOfAny(['<', '"']) >= 0)
        {
            Assert.DoesNotContain(text, html, StringComparison.Ordinal);
        }

        // Line by line: a page may show line breaks as breaks.
        var decoded = WebUtility.HtmlDecode(html);
        foreach (var line in text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Assert.Contains(line, decoded, StringComparison.Ordinal);
        }
    }
}
