using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenCem.Feedback.Intercept;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Feedback;

public sealed class InterceptApiTests
{
    /// <summary>The NPS survey with its score and comment as the intercept.</summary>
    public const string InterceptSettings = """{"intercept": {"question": "nps", "commentQuestion": "comment"}}""";

    /// <summary>Ann agreed to surveys and speaks German, Bob never said, Cem has an open case, Dora was invited lately.</summary>
    public const string Customers = """
        [{"id": "1", "email": "ann@example.com", "identifiers": {"userId": "u-ann"}, "consent": {"surveys": true}, "language": "de"},
         {"id": "2", "email": "bob@example.com", "identifiers": {"userId": "u-bob"}},
         {"id": "3", "email": "cem@example.com", "identifiers": {"userId": "u-cem"}, "consent": {"surveys": true}},
         {"id": "4", "email": "dora@example.com", "identifiers": {"userId": "u-dora"}, "consentSurveys": "yes"}]
        """;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Eligibility_FollowsTheContactRules_AndShowsEachSuppressionOnceWithItsReason(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await CreateSurveyAsync(server);
        var cem = await CustomerIdAsync(server, "cem@example.com");
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO cases (workspace_id, customer_id, title, status, created_at, updated_at) VALUES (1, @cem, 'Invoice wrong', 'open', 0, 0)", new { cem });
        }

        var invited = await server.PostJsonAsync($"/api/v1/surveys/{survey}/invitations", """{"channel": "link", "customers": [{"email": "dora@example.com"}]}""", server.Admin);
        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);

        var ann = await EligibilityAsync(server, survey, "u-ann");
        Assert.True(ann.GetProperty("eligible").GetBoolean());
        Assert.Equal("de", ann.GetProperty("language").GetString());
        Assert.Equal("Wie wahrscheinlich empfehlen Sie uns weiter?", ann.GetProperty("question").GetProperty("title").GetString());
        Assert.Equal(0, ann.GetProperty("question").GetProperty("rateMin").GetInt32());
        Assert.Equal(10, ann.GetProperty("question").GetProperty("rateMax").GetInt32());
        Assert.Equal("Sehr unwahrscheinlich", ann.GetProperty("question").GetProperty("minRateDescription").GetString());
        Assert.Equal("comment", ann.GetProperty("comment").GetProperty("name").GetString());
        Assert.Equal("Senden", ann.GetProperty("texts").GetProperty("submit").GetString());
        Assert.False(string.IsNullOrEmpty(ann.GetProperty("token").GetString()));

        // Nobody is shown it twice; the public answer names no circumstances of the customer.
        foreach (var userId in new[] { "u-ann", "u-bob", "u-cem", "u-dora", "u-bob" })
        {
            var answer = await EligibilityAsync(server, survey, userId, language: "en");
            Assert.False(answer.GetProperty("eligible").GetBoolean());
            Assert.Equal(InterceptReasons.ContactRules, answer.GetProperty("reason").GetString());
            Assert.False(answer.TryGetProperty("token", out _));
            Assert.Equal("Close", answer.GetProperty("texts").GetProperty("close").GetString());
        }

        // OpenCem's users see why, once per customer rather than once per page view.
        var rows = await InvitationsAsync(server, survey);
        var intercepts = rows.Where(r => r.GetProperty("channel").GetString() == "intercept").ToList();
        Assert.Equal(4, intercepts.Count);
        Assert.Equal(["created", "suppressed", "suppressed", "suppressed"], intercepts.OrderBy(r => r.GetProperty("id").GetInt64()).Select(r => r.GetProperty("status").GetString()));
        var reasons = intercepts.Where(r => r.GetProperty("status").GetString() == "suppressed").Select(r => r.GetProperty("suppressedReason").GetString()!).ToList();
        Assert.Contains(reasons, r => r.Contains("no consent to surveys", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains($"case", StringComparison.Ordinal) && r.Contains("is open", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("contact frequency", StringComparison.Ordinal));
        var summary = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/summary");
        Assert.Equal(2, summary.GetProperty("invited").GetInt64());
        Assert.Equal(3, summary.GetProperty("suppressed").GetInt64());

        // The intercept counts towards the contact frequency of every other channel.
        var mail = await server.PostJsonAsync($"/api/v1/surveys/{survey}/invitations", """{"channel": "link", "customers": [{"email": "ann@example.com"}]}""", server.Admin);
        Assert.Contains("contact frequency", (await mail.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invitations")[0].GetProperty("suppressedReason").GetString(), StringComparison.Ordinal);

        // A stranger has no consent on record: not asked while consent is required, and nothing recorded.
        var stranger = await EligibilityAsync(server, survey, null, anonymousId: "anon-1");
        Assert.Equal(InterceptReasons.ContactRules, stranger.GetProperty("reason").GetString());
        Assert.Equal(intercepts.Count, (await InvitationsAsync(server, survey)).Count(r => r.GetProperty("channel").GetString() == "intercept"));

        // Unless refused: the stranger is asked once, under a profile of their own.
        await server.Admin.PutAsync("/api/v1/contact-rules", JsonContent.Create(new { maxInvitations = 1, periodDays = 30, skipOpenCases = true, consent = "unlessRefused" }));
        Assert.True((await EligibilityAsync(server, survey, null, anonymousId: "anon-1")).GetProperty("eligible").GetBoolean());
        Assert.False((await EligibilityAsync(server, survey, null, anonymousId: "anon-1")).GetProperty("eligible").GetBoolean());
        var strangerRow = (await InvitationsAsync(server, survey)).First();
        Assert.Equal("created", strangerRow.GetProperty("status").GetString());
        Assert.True(strangerRow.GetProperty("customerId").GetInt64() > 0);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Eligibility_SamplesVisitorsDeterministically_AndClosedSurveysAskNobody(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await server.Admin.PutAsync("/api/v1/contact-rules", JsonContent.Create(new { maxInvitations = 1, periodDays = 30, consent = "unlessRefused" }));
        var survey = await CreateSurveyAsync(server, """{"intercept": {"question": "nps", "samplingRate": 0.5}}""");
        var visitors = Enumerable.Range(0, 200).Select(i => $"visitor-{i}").ToList();
        var outside = visitors.First(v => InterceptSampling.Position(survey, v) >= 0.5);
        var inside = visitors.First(v => InterceptSampling.Position(survey, v) < 0.5);

        for (var i = 0; i < 2; i++)
        {
            var answer = await EligibilityAsync(server, survey, null, anonymousId: outside);
            Assert.False(answer.GetProperty("eligible").GetBoolean());
            Assert.Equal(InterceptReasons.NotSampled, answer.GetProperty("reason").GetString());
        }

        Assert.Empty(await InvitationsAsync(server, survey));
        var selected = await EligibilityAsync(server, survey, null, anonymousId: inside);
        Assert.True(selected.GetProperty("eligible").GetBoolean());
        Assert.False(selected.TryGetProperty("comment", out _));

        var closed = await server.Admin.PutAsync($"/api/v1/surveys/{survey}", new StringContent(
            SurveyFixtures.Create("Web NPS", SurveyFixtures.Nps, """{"closed": true, "intercept": {"question": "nps"}}"""), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(InterceptReasons.Closed, (await EligibilityAsync(server, survey, null, anonymousId: "someone-else")).GetProperty("reason").GetString());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Answer_IsStoredAgainstTheCustomerOnce_AndCountedInTheSummary(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await CreateSurveyAsync(server);
        var ann = await CustomerIdAsync(server, "ann@example.com");
        var token = (await EligibilityAsync(server, survey, "u-ann")).GetProperty("token").GetString()!;

        // A detractor's score without the survey's required follow-up: the intercept is a survey of its own.
        var stored = await AnswerAsync(server, $$"""{"token": "{{token}}", "answers": {"nps": 3, "comment": "Die Hotline war langsam."} }""");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal("*", stored.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var responseId = (await stored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("responseId").GetInt64();

        var response = (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/responses")).GetProperty("responses").EnumerateArray().Single();
        Assert.Equal(responseId, response.GetProperty("id").GetInt64());
        Assert.Equal(ann, response.GetProperty("customerId").GetInt64());
        Assert.Equal("intercept", response.GetProperty("source").GetString());
        Assert.Equal("web", response.GetProperty("channel").GetString());
        Assert.Equal("de", response.GetProperty("language").GetString());
        Assert.Equal(3, response.GetProperty("nps").GetInt32());
        Assert.Equal("Die Hotline war langsam.", response.GetProperty("comment").GetString());
        Assert.True(response.GetProperty("invitationId").GetInt64() > 0);

        var summary = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/summary");
        Assert.Equal(1, summary.GetProperty("n").GetInt64());
        Assert.Equal(1, summary.GetProperty("invited").GetInt64());
        Assert.Equal(1.0, summary.GetProperty("responseRate").GetDouble());
        Assert.Equal(-100, summary.GetProperty("nps").GetProperty("value").GetDouble());
        var invitation = (await InvitationsAsync(server, survey)).Single();
        Assert.Equal("completed", invitation.GetProperty("status").GetString());
        Assert.True(invitation.TryGetProperty("completedAt", out _));

        var again = await AnswerAsync(server, $$"""{"token": "{{token}}", "answers": {"nps": 10} }""");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var problem = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("token", problem.GetProperty("field").GetString());
        Assert.Contains("already answered", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/summary")).GetProperty("n").GetInt64());

        // Two answers racing with one token (a double click): one is stored, the other told so.
        var dora = (await EligibilityAsync(server, survey, "u-dora")).GetProperty("token").GetString()!;
        var racing = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => AnswerAsync(server, $$"""{"token": "{{dora}}", "answers": {"nps": 10} }""")));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], racing.Select(r => r.StatusCode).Order());
        summary = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/summary");
        Assert.Equal(2, summary.GetProperty("n").GetInt64());
        Assert.Equal(1.0, summary.GetProperty("responseRate").GetDouble());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task BadRequests_AreRefusedPrecisely(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await CreateSurveyAsync(server);
        var plain = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Service);
        var token = (await EligibilityAsync(server, survey, "u-ann")).GetProperty("token").GetString()!;

        await AssertProblemAsync(await AnswerAsync(server, $$"""{"token": "{{token}}", "answers": {"nps": 11} }"""), 422, "answers.nps", "from 0 to 10");
        await AssertProblemAsync(await AnswerAsync(server, $$"""{"token": "{{token}}", "answers": {"nps": 8, "reason": "price"} }"""), 422, "answers.reason", "not a question of this intercept, which asks nps and comment");
        await AssertProblemAsync(await AnswerAsync(server, $$"""{"token": "{{token}}", "answers": {"comment": "no score"} }"""), 422, "answers.nps", "required");
        await AssertProblemAsync(await AnswerAsync(server, $$"""{"token": "{{token}}", "answers": {"nps": "nine"} }"""), 422, "answers.nps", "must be a number");
        await AssertProblemAsync(await AnswerAsync(server, $$"""{"token": "{{token}}"}"""), 422, "answers", "is required");
        await AssertProblemAsync(await AnswerAsync(server, """{"answers": {"nps": 8}}"""), 422, "token", "is required");
        await AssertProblemAsync(await AnswerAsync(server, $$"""{"token": "{{token}}", "answers": {"nps": 8}, "score": 1}"""), 422, "score", "is not a property");
        var forged = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        await AssertProblemAsync(await AnswerAsync(server, $$"""{"token": "{{forged}}", "answers": {"nps": 8} }"""), 404, "token", "No intercept");
        await AssertProblemAsync(await AnswerAsync(server, """{"token": "not-a-token", "answers": {"nps": 8}}"""), 404, "token", "No intercept");
        var link = await server.PostJsonAsync($"/api/v1/surveys/{survey}/invitations", """{"channel": "link", "customers": [{"email": "dora@example.com"}]}""", server.Admin);
        var linkToken = new Uri((await link.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invitations")[0].GetProperty("url").GetString()!).Segments[^1];
        await AssertProblemAsync(await AnswerAsync(server, $$"""{"token": "{{linkToken}}", "answers": {"nps": 8} }"""), 404, "token", "No intercept");
        await AssertProblemAsync(await server.PostJsonAsync("/intercept/v1/responses", "{\"token\": ", Anonymous(server)), 400, "$", "not valid JSON");
        await AssertProblemAsync(await server.PostJsonAsync("/intercept/v1/responses", "[1]", Anonymous(server)), 400, "$", "JSON object");

        // Write keys: missing, unknown, revoked; in the body or as HTTP Basic.
        await AssertProblemAsync(await server.PostJsonAsync("/intercept/v1/eligibility", $$"""{"surveyId": {{survey}}, "userId": "u-ann"}""", Anonymous(server)), 401, "writeKey", "Send the write key");
        await AssertProblemAsync(await server.PostJsonAsync("/intercept/v1/eligibility", $$"""{"writeKey": "ocm_write_wrong", "surveyId": {{survey}}, "userId": "u-ann"}""", Anonymous(server)), 401, "writeKey", "Unknown");
        await AssertProblemAsync(await server.PostJsonAsync("/intercept/v1/responses", $$"""{"writeKey": "ocm_write_wrong", "token": "{{token}}", "answers": {"nps": 8} }""", Anonymous(server)), 401, "writeKey", "Unknown");
        using var basic = new HttpClient { BaseAddress = server.BaseAddress };
        basic.DefaultRequestHeaders.Authorization = TestServer.Basic("ocm_write_wrong");
        await AssertProblemAsync(await server.PostJsonAsync("/intercept/v1/eligibility", $$"""{"surveyId": {{survey}}, "userId": "u-ann"}""", basic), 401, "writeKey", "Unknown");

        await AssertProblemAsync(await EligibilityResponseAsync(server, $$"""{"surveyId": {{survey}} }"""), 422, "userId", "userId or anonymousId is required");
        await AssertProblemAsync(await EligibilityResponseAsync(server, """{"surveyId": "twelve", "userId": "u-ann"}"""), 422, "surveyId", "is required");
        await AssertProblemAsync(await EligibilityResponseAsync(server, $$"""{"surveyId": {{survey}}, "userId": "u-ann", "email": "ann@example.com"}"""), 422, "email", "is not a property");
        await AssertProblemAsync(await EligibilityResponseAsync(server, $$"""{"surveyId": {{survey}}, "userId": "u-ann", "language": 7}"""), 422, "language", "must be a text");
        await AssertProblemAsync(await EligibilityResponseAsync(server, """{"surveyId": 999, "userId": "u-ann"}"""), 404, "surveyId", "There is no survey 999");
        await AssertProblemAsync(await EligibilityResponseAsync(server, $$"""{"surveyId": {{plain}}, "userId": "u-ann"}"""), 409, "surveyId", "has no web intercept");

        // After all that, the one good answer is still taken.
        Assert.Equal(HttpStatusCode.OK, (await AnswerAsync(server, $$"""{"token": "{{token}}", "answers": {"nps": 8} }""")).StatusCode);
    }

    [Fact]
    public async Task Script_IsServedCacheable_AndTheApiAnswersAnyOrigin()
    {
        await using var server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        using var client = Anonymous(server);
        var script = await client.GetAsync("/intercept.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("max-age=3600", script.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal("*", script.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var body = await script.Content.ReadAsByteArrayAsync();
        Assert.InRange(body.Length, 1000, InterceptScriptBudget);
        Assert.Contains("intercept/v1/", Encoding.UTF8.GetString(body), StringComparison.Ordinal);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/intercept.js");
        conditional.Headers.IfNoneMatch.Add(script.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/intercept/v1/eligibility");
        preflight.Headers.Add("Origin", "https://shop.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type, authorization");
        var allowed = await client.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("*", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("Authorization", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);

        // Problems are readable cross-origin too, so the script can say what went wrong.
        var refused = await server.PostJsonAsync("/intercept/v1/eligibility", """{"surveyId": 1, "userId": "x"}""", client);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("*", refused.Headers.GetValues("Access-Control-Allow-Origin").Single());

        // HTTP Basic, as Segment clients send the key, and a text/plain body, as the script sends it.
        var survey = await CreateSurveyAsync(server);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/intercept/v1/eligibility")
        {
            Content = new StringContent($$"""{"surveyId": "{{survey}}", "userId": "u-ann"}""", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Authorization = TestServer.Basic(server.WriteKey);
        var basic = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, basic.StatusCode);
        Assert.True((await basic.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("eligible").GetBoolean());

        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var eligibility = openApi.GetProperty("paths").GetProperty("/intercept/v1/eligibility").GetProperty("post");
        Assert.Equal("writeKey", eligibility.GetProperty("security")[0].EnumerateObject().Single().Name);
    }

    [Fact]
    public void Sampling_IsDeterministic_AndTakesTheAskedShare()
    {
        var visitors = Enumerable.Range(0, 20_000).Select(i => $"anon-{i}").ToList();
        var share = visitors.Count(v => InterceptSampling.Selects(0.3, 12, v)) / (double)visitors.Count;
        Assert.InRange(share, 0.28, 0.32);
        Assert.All(visitors.Take(100), v => Assert.Equal(InterceptSampling.Selects(0.3, 12, v), InterceptSampling.Selects(0.3, 12, v)));
        // Raising the rate only adds visitors; another survey samples other visitors.
        Assert.All(visitors.Where(v => InterceptSampling.Selects(0.3, 12, v)), v => Assert.True(InterceptSampling.Selects(0.6, 12, v)));
        var overlap = visitors.Count(v => InterceptSampling.Selects(0.3, 12, v) && InterceptSampling.Selects(0.3, 13, v)) / (double)visitors.Count;
        Assert.InRange(overlap, 0.07, 0.11);
        Assert.True(visitors.All(v => InterceptSampling.Selects(1.0, 12, v)));
    }

    [Fact]
    public void Texts_FollowTheSurvey_ThenOpenCemsTranslations()
    {
        var definition = OpenCem.Feedback.Surveys.SurveyDefinitionParser.Parse(
            """{"completedHtml": {"default": "<h3>Thanks &amp; bye!</h3>", "de": "<p>Danke!</p>"}, "elements": [{"type": "rating", "name": "nps", "role": "nps", "rateMin": 0, "rateMax": 10}]}""");
        Assert.Equal(new InterceptTexts("Submit", "Close", "Thanks & bye!", "Please choose an answer.", "Sorry, your answer could not be sent. Please try again."), InterceptTexts.For(definition, "en"));
        Assert.Equal("Danke!", InterceptTexts.For(definition, "de").Thanks);
        Assert.Equal("Fermer", InterceptTexts.For(definition, "fr").Close);
        Assert.Equal("Close", InterceptTexts.For(definition, "xx").Close);
    }

    /// <summary>The script stays small: it loads on every page of a company's site.</summary>
    public const int InterceptScriptBudget = 8 * 1024;

    public static async Task<long> CreateSurveyAsync(TestServer server, string settings = InterceptSettings)
    {
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/api/v1/sources/crm/records", Customers, server.Admin)).StatusCode);
        var created = await server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create("Web NPS", SurveyFixtures.Nps, settings), server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public static async Task<long> CustomerIdAsync(TestServer server, string email) =>
        (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers?q={email}")).GetProperty("items")[0].GetProperty("id").GetInt64();

    private static HttpClient Anonymous(TestServer server) => new() { BaseAddress = server.BaseAddress };

    private static async Task<JsonElement> EligibilityAsync(TestServer server, long survey, string? userId, string? anonymousId = null, string? language = null)
    {
        var body = JsonSerializer.Serialize(new { writeKey = server.WriteKey, surveyId = survey, userId, anonymousId, language, url = "https://shop.example.com/checkout" },
            new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
        using var client = Anonymous(server);
        var response = await server.PostJsonAsync("/intercept/v1/eligibility", body, client);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<HttpResponseMessage> EligibilityResponseAsync(TestServer server, string body)
    {
        using var client = Anonymous(server);
        return await server.PostJsonAsync("/intercept/v1/eligibility", body.Insert(1, $"\"writeKey\": \"{server.WriteKey}\", "), client);
    }

    private static async Task<HttpResponseMessage> AnswerAsync(TestServer server, string body)
    {
        using var client = Anonymous(server);
        return await server.PostJsonAsync("/intercept/v1/responses", body.Insert(1, $"\"writeKey\": \"{server.WriteKey}\", "), client);
    }

    private static async Task<List<JsonElement>> InvitationsAsync(TestServer server, long survey) =>
        (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/invitations")).GetProperty("invitations").EnumerateArray().ToList();

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string field, string detail)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        var message = problem.TryGetProperty("errors", out var errors)
            ? errors.TryGetProperty(field, out var messages) ? string.Join(" ", messages.EnumerateArray().Select(m => m.GetString())) : $"no error for {field} in {text}"
            : problem.GetProperty("field").GetString() == field ? problem.GetProperty("detail").GetString()! : $"field is not {field} in {text}";
        Assert.Contains(detail, message, StringComparison.Ordinal);
    }
}
