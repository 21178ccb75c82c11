using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Feedback.Invitations;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenCem.Tests.Feedback;

/// <summary>The respondent page <c>/s/{token}</c> through HTTP form posts, as a browser without JavaScript sends them.</summary>
public sealed class RespondentPageTests(ITestOutputHelper output)
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Get_InvitationInGerman_ShowsTheFirstPageInGerman_AndMarksItOpened(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        var link = (await RespondentClient.InviteAsync(server, survey, "de"))[0];
        using var browser = new RespondentClient(server, acceptLanguage: "en-US,en;q=0.9");

        var page = await browser.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<html lang=\"de\">", page.Html, StringComparison.Ordinal);
        Assert.Contains("Wie wahrscheinlich empfehlen Sie uns weiter? (Pflichtfrage)", page.Text, StringComparison.Ordinal);
        Assert.Contains("Seite 1 von 2", page.Text, StringComparison.Ordinal);
        Assert.Contains(">Weiter</button>", page.Html, StringComparison.Ordinal);
        Assert.False(page.Asks("reason"));
        Assert.EndsWith("?lang=de", page.FormAction, StringComparison.Ordinal);
        var (_, invitations) = await RespondentClient.StoredAsync(server, survey);
        Assert.Equal("opened", Assert.Single(invitations).Status);

        // The query wins over the invitation; a language the survey does not have does not.
        Assert.Contains("How likely are you to recommend us", (await browser.GetAsync(link + "?lang=en")).Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"de\">", (await browser.GetAsync(link + "?lang=fr")).Html, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Post_LowNps_ShowsTheReasonOnTheSamePage_ThenRequiresIt(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        var link = (await RespondentClient.InviteAsync(server, survey, "de"))[0];
        using var browser = new RespondentClient(server);
        var first = await browser.GetAsync(link);

        var again = await browser.SubmitAsync(first, "next", ("nps", "3"));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(0, again.PageIndex);
        Assert.True(again.IsChecked("nps", "3"));
        Assert.Contains("Was hat Sie am meisten enttäuscht? (Pflichtfrage)", again.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"summary\"", again.Html, StringComparison.Ordinal);
        var (responses, invitations) = await RespondentClient.StoredAsync(server, survey);
        Assert.Equal(("partial", """{"nps":3}"""), (Assert.Single(responses).Status, responses[0].Answers));
        Assert.Equal("started", Assert.Single(invitations).Status);

        var missing = await browser.SubmitAsync(again, "next", ("nps", "3"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.Status);
        Assert.Contains("Was hat Sie am meisten enttäuscht? Bitte beantworten Sie diese Frage.", missing.Text, StringComparison.Ordinal);
        Assert.Contains("<fieldset class=\"q invalid\" id=\"q1\" role=\"radiogroup\" aria-required=\"true\" aria-describedby=\"q1-e\" aria-invalid=\"true\">", missing.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#q1-0\">", missing.Html, StringComparison.Ordinal);

        var next = await browser.SubmitAsync(missing, "next", ("nps", "3"), ("reason", "price"));
        Assert.Equal(1, next.PageIndex);
        Assert.Contains("Möchten Sie uns noch etwas sagen?", next.Text, StringComparison.Ordinal);
        Assert.Contains(">Absenden</button>", next.Html, StringComparison.Ordinal);

        // A high score hides the reason again: its answer is dropped.
        var back = await browser.SubmitAsync(next, "back");
        Assert.True(back.IsChecked("reason", "price"));
        await browser.SubmitAsync(back, "next", ("nps", "9"), ("reason", "price"));
        (responses, _) = await RespondentClient.StoredAsync(server, survey);
        Assert.Equal("""{"nps":9}""", Assert.Single(responses).Answers);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ComingBack_PrefillsTheSavedAnswers_AndLandsOnTheFirstUnfinishedPage(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        var link = (await RespondentClient.InviteAsync(server, survey, "en"))[0];
        using (var before = new RespondentClient(server))
        {
            var page = await before.GetAsync(link);
            page = await before.SubmitAsync(page, "next", ("nps", "4"));
            Assert.Equal(0, page.PageIndex);
        }

        // A new browser: the respondent picks the link up again where they left it.
        using var later = new RespondentClient(server);
        var resumed = await later.GetAsync(link);
        Assert.Equal(0, resumed.PageIndex);
        Assert.True(resumed.IsChecked("nps", "4"));
        Assert.True(resumed.Asks("reason"));
        var second = await later.SubmitAsync(resumed, "next", ("nps", "4"), ("reason", "network"));
        Assert.Equal(1, second.PageIndex);

        var third = await new RespondentClient(server).GetAsync(link);
        Assert.Equal(1, third.PageIndex);
        Assert.Contains("Page 2 of 2", third.Text, StringComparison.Ordinal);
        var back = await later.SubmitAsync(third, "back", ("comment", "Nearly done"));
        Assert.Equal(0, back.PageIndex);
        Assert.True(back.IsChecked("nps", "4"));
        Assert.True(back.IsChecked("reason", "network"));
        var forward = await later.SubmitAsync(back, "next", ("nps", "4"), ("reason", "network"));
        Assert.Contains(">Nearly done</textarea>", forward.Html, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Submit_StoresTheResponseWithTheInvitationsCustomerAndInteraction_AndUpdatesTheSummary(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        var links = await RespondentClient.InviteAsync(server, survey, "de", interactionId: 4242, count: 2);
        using var browser = new RespondentClient(server);

        var page = await browser.GetAsync(links[0]);
        page = await browser.SubmitAsync(page, "next", ("nps", "10"));
        var done = await browser.SubmitAsync(page, "submit", ("comment", "Schnell & <freundlich>"));

        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Contains("Vielen Dank für Ihr Feedback!", done.Text, StringComparison.Ordinal);
        var (responses, invitations) = await RespondentClient.StoredAsync(server, survey);
        var response = Assert.Single(responses);
        Assert.Equal(("completed", "web", "link", "de", 4242L, 10L), (response.Status, response.Source, response.Channel, response.Language, response.InteractionId, response.Nps));
        Assert.Equal("Schnell & <freundlich>", response.Comment);
        Assert.Equal(invitations[0].CustomerId, response.CustomerId);
        Assert.NotNull(response.CustomerId);
        Assert.Equal(invitations[0].Id, response.InvitationId);
        Assert.Equal("completed", invitations[0].Status);

        var summary = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/summary");
        Assert.Equal(1, summary.GetProperty("n").GetInt64());
        Assert.Equal(100, summary.GetProperty("nps").GetProperty("value").GetDouble());
        Assert.Equal(2, summary.GetProperty("invited").GetInt64());
        Assert.Equal(0.5, summary.GetProperty("responseRate").GetDouble());

        // The link after completion: a thank-you to read, a 410 to any further post.
        var comeBack = await browser.GetAsync(links[0]);
        Assert.Equal(HttpStatusCode.OK, comeBack.Status);
        Assert.Contains("Sie haben diese Umfrage bereits abgeschlossen.", comeBack.Text, StringComparison.Ordinal);
        var reused = await browser.PostAsync(links[0], ("page", "0"), ("nps", "0"), ("action", "next"));
        Assert.Equal(HttpStatusCode.Gone, reused.Status);
        Assert.Contains("Sie haben diese Umfrage bereits abgeschlossen.", reused.Text, StringComparison.Ordinal);
        (responses, _) = await RespondentClient.StoredAsync(server, survey);
        Assert.Equal(10L, Assert.Single(responses).Nps);
        Assert.Equal(1, (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/summary")).GetProperty("n").GetInt64());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task BadInput_IsRefusedWith422AndAPreciseMessage_AndNothingIsStored(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        var link = (await RespondentClient.InviteAsync(server, survey, "de"))[0];
        using var browser = new RespondentClient(server);
        var page = await browser.GetAsync(link);

        await AssertRefusedAsync(browser, page, "Wie wahrscheinlich empfehlen Sie uns weiter? Bitte wählen Sie eine ganze Zahl von 0 bis 10; „11“ gehört nicht dazu.", ("nps", "11"));
        await AssertRefusedAsync(browser, page, "„colour“ ist keine Frage dieser Umfrage.", ("nps", "8"), ("colour", "red"));
        await AssertRefusedAsync(browser, page, "„comment“ wird nicht auf dieser Seite gefragt.", ("nps", "8"), ("comment", "early"));
        await AssertRefusedAsync(browser, page, "Wie wahrscheinlich empfehlen Sie uns weiter? Bitte beantworten Sie diese Frage.");
        await AssertRefusedAsync(browser, page, "Bitte geben Sie nur eine Antwort.", ("nps", "8"), ("nps", "9"));
        await AssertRefusedAsync(browser, page, "Was hat Sie am meisten enttäuscht? „weather“ ist keine der Antwortmöglichkeiten.", ("nps", "2"), ("reason", "weather"));

        var bad = await browser.PostAsync(link, ("page", "7"), ("nps", "8"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        var tooLarge = await browser.PostAsync(link, ("page", "0"), ("nps", new string('9', 70_000)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.Status);

        var (responses, invitations) = await RespondentClient.StoredAsync(server, survey);
        Assert.Empty(responses);
        Assert.Equal("opened", Assert.Single(invitations).Status);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Links_ForgedAreNotFound_ExpiredClosedOrSuppressedAreRefused(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        var links = await RespondentClient.InviteAsync(server, survey, "de", count: 2);
        using var browser = new RespondentClient(server, acceptLanguage: "de-DE,de;q=0.9");

        var token = links[0]["/s/".Length..];
        var forged = "/s/" + token[..^3] + (token[^3] == 'A' ? 'B' : 'A') + token[^2..];
        foreach (var url in new[] { forged, "/s/not-a-token", "/s/" + new string('A', 46) })
        {
            var notFound = await browser.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, notFound.Status);
            Assert.Contains("Dieser Umfrage-Link ist ungültig.", notFound.Text, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync(url, ("page", "0"), ("nps", "5"))).Status);
        }

        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE survey_invitations SET created_at = created_at - @days WHERE id = (SELECT min(id) FROM survey_invitations)", new { days = 31L * 86_400_000 });
            var suppressed = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO survey_invitations (workspace_id, survey_id, channel, status, suppressed_reason, nonce, created_at, reminders)
                VALUES (1, @survey, 'link', 'suppressed', 'no consent', 'x', 0, 0) RETURNING id
                """,
                new { survey });
            var crafted = await server.Service<SurveyLinks>().TokenAsync(1, LinkKind.Invitation, suppressed);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/s/" + crafted)).Status);
        }

        var expired = await browser.GetAsync(links[0]);
        Assert.Equal(HttpStatusCode.Gone, expired.Status);
        Assert.Contains("Dieser Umfrage-Link ist abgelaufen", expired.Text, StringComparison.Ordinal);

        var close = await server.Admin.PutAsync($"/api/v1/surveys/{survey}", new StringContent(
            SurveyFixtures.Create("Survey", SurveyFixtures.Nps, """{"closed": true}"""), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        var closed = await browser.GetAsync(links[1]);
        Assert.Equal(HttpStatusCode.Gone, closed.Status);
        Assert.Contains("Diese Umfrage ist beendet", closed.Text, StringComparison.Ordinal);
        Assert.Empty((await RespondentClient.StoredAsync(server, survey)).Responses);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task OpenLink_FirstValidPost_CreatesAPersonalLink_AndRedirectsToIt(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps, """{"anonymousLink": true}""");
        var open = new Uri((await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/link")).GetProperty("url").GetString()!).PathAndQuery;
        using var browser = new RespondentClient(server, acceptLanguage: "en-GB,en;q=0.8,de;q=0.5", followRedirects: false);

        var page = await browser.GetAsync(open);
        Assert.Contains("<html lang=\"en\">", page.Html, StringComparison.Ordinal);
        Assert.Contains("How likely are you to recommend us to a friend? (required)", page.Text, StringComparison.Ordinal);
        using (var german = new RespondentClient(server, acceptLanguage: "de-AT, en;q=0.5"))
        {
            Assert.Contains("<html lang=\"de\">", (await german.GetAsync(open)).Html, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await browser.SubmitAsync(page, "next", ("nps", "ten"))).Status);
        Assert.Empty((await RespondentClient.StoredAsync(server, survey)).Invitations);

        var redirect = await browser.SubmitAsync(page, "next", ("nps", "9"));
        Assert.Equal(HttpStatusCode.SeeOther, redirect.Status);
        var personal = redirect.Response.Headers.Location!.OriginalString;
        Assert.Matches("^/s/[A-Za-z0-9_-]{46}\\?lang=en$", personal);
        var (responses, invitations) = await RespondentClient.StoredAsync(server, survey);
        Assert.Equal(("started", "open", (long?)null), (Assert.Single(invitations).Status, invitations[0].Channel, invitations[0].CustomerId));
        Assert.Equal("""{"nps":9}""", Assert.Single(responses).Answers);

        var second = await browser.GetAsync(personal);
        Assert.Equal(1, second.PageIndex);
        var done = await browser.SubmitAsync(second, "submit", ("comment", "Fine"));
        Assert.Contains("Thank you for your feedback!", done.Text, StringComparison.Ordinal);
        (responses, invitations) = await RespondentClient.StoredAsync(server, survey);
        Assert.Equal(("completed", "open", (long?)null), (Assert.Single(responses).Status, responses[0].Channel, responses[0].CustomerId));
        Assert.Equal("completed", Assert.Single(invitations).Status);
        var summary = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/summary");
        Assert.Equal((1L, 0L), (summary.GetProperty("n").GetInt64(), summary.GetProperty("invited").GetInt64()));

        // The open link itself stays open for the next person.
        Assert.Equal(0, (await browser.GetAsync(open)).PageIndex);
    }

    [Fact]
    public async Task Pages_AreSmall_Safe_AndFreeOfScript()
    {
        await using var server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        var nps = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        var service = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Service);
        using var browser = new RespondentClient(server);
        foreach (var (survey, language) in new[] { (nps, "de"), (nps, "en"), (service, "en") })
        {
            var page = await browser.GetAsync((await RespondentClient.InviteAsync(server, survey, language))[0]);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.True(page.Bytes < 30 * 1024, $"{page.Bytes} bytes");
            output.WriteLine($"survey {survey} ({language}): {page.Bytes} bytes");
            Assert.DoesNotContain("<script", page.Html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" style=", page.Html, StringComparison.Ordinal);
            var headers = page.Response.Headers;
            Assert.Equal("no-store", headers.CacheControl?.ToString());
            Assert.Equal("no-referrer", headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("nosniff", headers.GetValues("X-Content-Type-Options").Single());
            Assert.StartsWith("default-src 'none'; style-src 'sha256-", headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("text/html; charset=utf-8", page.Response.Content.Headers.ContentType?.ToString());
        }

        var matrix = await browser.GetAsync((await RespondentClient.InviteAsync(server, service, "en"))[0]);
        Assert.True(matrix.Asks("attributes.friendliness"));
        Assert.Contains("<legend>Friendliness</legend>", matrix.Html, StringComparison.Ordinal);
        var post = await browser.SubmitAsync(matrix, "submit", ("csat", "4"), ("attributes.friendliness", "5"), ("attributes.looks", "1"), ("channels", "phone"), ("channels", "chat"), ("channels", "email"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, post.Status);
        Assert.Contains("Rate us: “looks” is not a row of this question.", post.Text, StringComparison.Ordinal);
        Assert.Contains("channels: Choose at most 2.", post.Text, StringComparison.Ordinal);
        Assert.True(post.IsChecked("attributes.friendliness", "5"));

        var cross = new HttpRequestMessage(HttpMethod.Post, matrix.FormAction) { Content = new FormUrlEncodedContent([KeyValuePair.Create("page", "0")]) };
        cross.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(cross)).StatusCode);
    }

    private static async Task AssertRefusedAsync(RespondentClient browser, RespondentPage page, string message, params (string, string)[] answers)
    {
        var refused = await browser.SubmitAsync(page, "next", answers);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Contains(message, refused.Text, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", refused.Html, StringComparison.Ordinal);
        Assert.StartsWith("<!doctype html><html lang=\"de\"><head>", refused.Html, StringComparison.Ordinal);
        Assert.Contains("<title>Fehler: ", refused.Html, StringComparison.Ordinal);
    }
}
