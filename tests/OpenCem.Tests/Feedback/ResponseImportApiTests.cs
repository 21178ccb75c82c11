using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Feedback;

/// <summary><c>POST /api/v1/surveys/{id}/responses/import</c>: historical responses from CSV.</summary>
public sealed class ResponseImportApiTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Import_DefaultColumnNames_StoresResponsesLinksRespondentsAndTheSummaryHasTheHandComputedNps(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var known = await server.PostJsonAsync("/api/v1/sources/crm/records", """
            [{"id": "K-1", "email": "anna@example.com"}, {"id": "K-2", "email": "bernd@example.com", "identifiers": {"userId": "u-2"}}]
            """, server.Admin);
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        var id = await CreateSurveyAsync(server, SurveyFixtures.Nps);

        // Scores 10, 9, 3, 7, 6, 10, 8: 3 promoters, 2 passives, 2 detractors; NPS = 100 · (3 − 2) / 7 = 14.29.
        var response = await ImportAsync(server, id, """
            responseId,userId,E-Mail,submittedAt,nps,reason,comment
            r1,,Anna@Example.com,2024-03-01T09:00:00Z,10,,Great
            r2,u-2,,2024-03-01T10:00:00Z,9,,
            r3,u-new,,2024-03-02T10:00:00Z,3,price,"Too expensive, really"
            r4,,,2024-03-02T11:00:00+01:00,7,,
            r5,,new@example.com,2024-03-03T11:00:00Z,6,service,
            r6,,,2024-03-03T12:00:00Z,10,,"Line one
            line two"
            r7,u-new,,2024-03-04T12:00:00Z,8,,
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(7, result.GetProperty("read").GetInt64());
        Assert.Equal(7, result.GetProperty("stored").GetInt64());
        Assert.Equal(0, result.GetProperty("rejected").GetInt64());
        Assert.Equal(2, result.GetProperty("anonymous").GetInt64());
        Assert.Equal(2, result.GetProperty("respondentsLinked").GetInt64());
        Assert.Equal(2, result.GetProperty("profilesCreated").GetInt64());

        var summary = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/summary");
        Assert.Equal(7, summary.GetProperty("n").GetInt64());
        var nps = summary.GetProperty("nps");
        Assert.Equal(Math.Round(100.0 * (3 - 2) / 7, 2), nps.GetProperty("value").GetDouble(), 6);
        Assert.Equal(3, nps.GetProperty("promoters").GetInt64());
        Assert.Equal(2, nps.GetProperty("passives").GetInt64());
        Assert.Equal(2, nps.GetProperty("detractors").GetInt64());
        var march = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/summary?from=2024-03-03T00:00:00Z");
        Assert.Equal(3, march.GetProperty("n").GetInt64());

        var responses = (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/responses?limit=100")).GetProperty("responses")
            .EnumerateArray().ToDictionary(r => r.GetProperty("responseId").GetString()!);
        var customers = await CustomersByRecordAsync(server);
        Assert.Equal(customers["K-1"], responses["r1"].GetProperty("customerId").GetInt64());
        Assert.Equal(customers["K-2"], responses["r2"].GetProperty("customerId").GetInt64());
        Assert.Equal(responses["r3"].GetProperty("customerId").GetInt64(), responses["r7"].GetProperty("customerId").GetInt64());
        Assert.False(responses["r4"].TryGetProperty("customerId", out _));
        Assert.Equal("import", responses["r4"].GetProperty("source").GetString());
        Assert.Equal(DateTimeOffset.Parse("2024-03-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), responses["r4"].GetProperty("submittedAt").GetDateTimeOffset());
        Assert.Equal("Line one\nline two", responses["r6"].GetProperty("answers").GetProperty("comment").GetString());
        Assert.Equal("price", responses["r3"].GetProperty("answers").GetProperty("reason").GetString());
        Assert.Equal(3, responses["r3"].GetProperty("nps").GetInt32());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Import_BadRows_AreRejectedWithLineAndReasonAndNothingOfThemIsStored(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await CreateSurveyAsync(server, SurveyFixtures.Nps);
        var response = await ImportAsync(server, id, """
            responseId,email,submittedAt,nps,reason,comment
            ok-1,a@example.com,2024-01-01T10:00:00Z,9,,fine
            bad-2,b@example.com,2024-01-01T10:00:00Z,11,,out of range
            bad-3,c@example.com,2024-01-01T10:00:00Z,4,weather,not a choice
            bad-4,d@example.com,2024-01-01T10:00:00Z,5,,required reason missing
            bad-5,e@example.com,yesterday,8,,bad time
            bad-6,not-an-address,2024-01-01T10:00:00Z,8,,malformed e-mail
            bad-7,f@example.com,2024-01-01T10:00:00Z,,,no score
            bad-8,g@example.com,2024-01-01T10:00:00Z,8
            ok-9,,2024-01-02T10:00:00Z,2,network,
            bad-10,h@example.com,2124-01-01T10:00:00Z,8,,future
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(10, result.GetProperty("read").GetInt64());
        Assert.Equal(2, result.GetProperty("stored").GetInt64());
        Assert.Equal(8, result.GetProperty("rejected").GetInt64());
        var rejections = result.GetProperty("rejections").EnumerateArray()
            .ToDictionary(r => r.GetProperty("line").GetInt64(), r => r.GetProperty("reason").GetString()!);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 11], rejections.Keys.Order());
        Assert.Contains("nps: must be a whole number from 0 to 10; 11 is not", rejections[3], StringComparison.Ordinal);
        Assert.Contains("reason: 'weather' is not one of the choices", rejections[4], StringComparison.Ordinal);
        Assert.Contains("reason: is required", rejections[5], StringComparison.Ordinal);
        Assert.Contains("submittedAt: 'yesterday' is not an ISO 8601 time", rejections[6], StringComparison.Ordinal);
        Assert.Contains("email: 'not-an-address' is not an e-mail address", rejections[7], StringComparison.Ordinal);
        Assert.Contains("nps: is required", rejections[8], StringComparison.Ordinal);
        Assert.Contains("has 4 fields, the header has 6", rejections[9], StringComparison.Ordinal);
        Assert.Contains("is in the future", rejections[11], StringComparison.Ordinal);
        Assert.Equal("bad-2", result.GetProperty("rejections")[0].GetProperty("id").GetString());

        await using var database = new Database(server.Target);
        await using var connection = await database.OpenAsync();
        Assert.Equal(["ok-1", "ok-9"], (await connection.QueryAsync<string>("SELECT external_id FROM survey_responses ORDER BY external_id")).ToList());
        // Only the stored rows' respondents got profiles: a@example.com; ok-9 is anonymous.
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM customers"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT sum(responses) FROM survey_daily"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT value FROM survey_stats WHERE name = 'completed'"));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Import_SameResponseIdAgain_IsStoredOnceAndCountedAsDuplicate(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await CreateSurveyAsync(server, SurveyFixtures.Nps);
        const string Csv = """
            responseId,userId,nps,comment
            a,u-1,10,first
            b,u-2,9,
            a,u-1,7,the same responseId later in the file
            c,,8,
            """;
        var first = await (await ImportAsync(server, id, Csv)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, first.GetProperty("stored").GetInt64());
        Assert.Equal(1, first.GetProperty("duplicates").GetInt64());

        var again = await ImportAsync(server, id, Csv + "\nd,u-3,7,new\n");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, second.GetProperty("stored").GetInt64());
        Assert.Equal(4, second.GetProperty("duplicates").GetInt64());
        Assert.Equal(1, second.GetProperty("profilesCreated").GetInt64());

        // Only duplicates is not a failure: everything in the file is stored.
        var third = await ImportAsync(server, id, Csv);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);

        var summary = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/summary");
        Assert.Equal(4, summary.GetProperty("n").GetInt64());
        Assert.Equal(100.0 * (2 - 0) / 4, summary.GetProperty("nps").GetProperty("value").GetDouble(), 6);
        var page = (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/responses")).GetProperty("responses");
        Assert.Equal("first", page.EnumerateArray().Single(r => r.GetProperty("responseId").GetString() == "a").GetProperty("comment").GetString());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Import_Map_FillsQuestionsMatrixRowsAndRespondentColumnsFromOtherNames(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await CreateSurveyAsync(server, SurveyFixtures.Service);
        var touchpoint = await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new { key = "hotline", name = "Hotline", channel = "phone" });
        Assert.Equal(HttpStatusCode.Created, touchpoint.StatusCode);
        var response = await ImportAsync(server, id, """
            Kunde,Zufriedenheit,Aufwand,Freundlichkeit,Tempo,Gelöst,Kanäle,Kontaktpunkt,Sprache
            K-100,5,6,5,3,ja,chat;phone,hotline,DE
            K-101,2,,1,,nein,,,
            K-102,4,,,,,email,,
            """, "Kunde=customerNumber,Zufriedenheit=csat,Aufwand=ces,Freundlichkeit=attributes.friendliness,Tempo=attributes.speed,Gelöst=resolved,Kanäle=channels,Kontaktpunkt=touchpoint,Sprache=language");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, result.GetProperty("stored").GetInt64());
        Assert.Equal(3, result.GetProperty("profilesCreated").GetInt64());

        var responses = (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/responses")).GetProperty("responses").EnumerateArray().ToList();
        var first = responses[0];
        Assert.Equal("""{"csat":5,"ces":6,"attributes":{"friendliness":5,"speed":3},"resolved":true,"channels":["chat","phone"]}""", first.GetProperty("answers").GetRawText());
        Assert.Equal("phone", first.GetProperty("channel").GetString());
        Assert.Equal("de", first.GetProperty("language").GetString());
        Assert.True(first.GetProperty("touchpointId").GetInt64() > 0);
        Assert.Equal("""{"csat":2,"attributes":{"friendliness":1},"resolved":false}""", responses[1].GetProperty("answers").GetRawText());

        var summary = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/summary");
        Assert.Equal(3, summary.GetProperty("csat").GetProperty("n").GetInt64());
        Assert.Equal(Math.Round(100.0 * 2 / 3, 2), summary.GetProperty("csat").GetProperty("value").GetDouble(), 6);
        Assert.Equal(1, summary.GetProperty("ces").GetProperty("n").GetInt64());
    }

    [Fact]
    public async Task Import_UnknownColumnOrMapTarget_Is422NamingItAndReadsNothing()
    {
        await using var server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        var id = await CreateSurveyAsync(server, SurveyFixtures.Nps);

        var unknown = await ImportAsync(server, id, "userId,nps,colour\nu-1,9,red\n");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("neither a question", problem.GetProperty("errors").GetProperty("colour")[0].GetString(), StringComparison.Ordinal);

        var badMap = await ImportAsync(server, id, "userId,Score\nu-1,9\n", "Score=nsp");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badMap.StatusCode);
        Assert.Contains("'nsp' is not a question", (await badMap.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("map")[0].GetString(), StringComparison.Ordinal);

        var missingColumn = await ImportAsync(server, id, "userId,nps\nu-1,9\n", "Score=nps");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missingColumn.StatusCode);

        var twice = await ImportAsync(server, id, "userId,nps,NPS\nu-1,9,9\n");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);
        Assert.Contains("both fill the question nps", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var nothing = await ImportAsync(server, id, "userId,nps\nu-1,99\nu-2,\n");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nothing.StatusCode);
        var rejected = await nothing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, rejected.GetProperty("rejections").GetArrayLength());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ImportAsync(server, id, "")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ImportAsync(server, id + 100, "nps\n9\n")).StatusCode);
        Assert.Equal(0, (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/summary")).GetProperty("n").GetInt64());

        var operation = (await server.Admin.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths").GetProperty("/api/v1/surveys/{id}/responses/import").GetProperty("post");
        Assert.Contains("map=column=question,column2=question2", operation.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "map");
        Assert.True(operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("text/csv", out _));
    }

    [Fact]
    public async Task Import_BodyLargerThanOtherRequests_IsTakenWhole()
    {
        await using var server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        var id = await CreateSurveyAsync(server, SurveyFixtures.Nps);
        var csv = new StringBuilder("responseId,nps,comment\n");
        var comment = new string('x', 80);
        for (var i = 0; csv.Length < 6 * 1024 * 1024; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"big-{i},{7 + (i % 4)},{comment}\n");
        }

        var rows = csv.ToString().Count(c => c == '\n') - 1;
        var response = await ImportAsync(server, id, csv.ToString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(rows, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stored").GetInt64());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ExportThenImport_IntoASurveyWithTheSameDefinition_GivesTheSameResponsesAndSummary(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var original = await CreateSurveyAsync(server, SurveyFixtures.Service);
        await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new { key = "shop", name = "Shop", channel = "shop" });
        string[] bodies =
        [
            """{"userId": "u-1", "responseId": "x-1", "touchpoint": "shop", "language": "de", "submittedAt": "2024-05-01T08:00:00Z", "answers": {"csat": 5, "ces": 7, "attributes": {"friendliness": 5, "speed": 4}, "resolved": true, "channels": ["chat", "phone"]}}""",
            """{"identifiers": {"email": "eve@example.com"}, "submittedAt": "2024-05-02T08:00:00Z", "answers": {"csat": 1, "attributes": {"speed": 1}, "resolved": false}}""",
            """{"submittedAt": "2024-05-03T08:00:00Z", "channel": "web", "answers": {"csat": 3, "ces": 2, "channels": ["email"]}}""",
        ];
        foreach (var body in bodies)
        {
            var posted = await server.PostJsonAsync("/api/v1/responses", body.Insert(1, $"\"surveyId\": {original}, "), server.Admin);
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var export = await server.Admin.GetStringAsync($"/api/v1/surveys/{original}/responses?format=csv");
        var copy = await CreateSurveyAsync(server, SurveyFixtures.Service);
        var imported = await ImportAsync(server, copy, export);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var result = await imported.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, result.GetProperty("stored").GetInt64());
        Assert.Equal(0, result.GetProperty("rejected").GetInt64());
        Assert.Equal(2, result.GetProperty("respondentsLinked").GetInt64());
        Assert.Equal(0, result.GetProperty("profilesCreated").GetInt64());

        static List<string> Comparable(JsonElement page) => page.GetProperty("responses").EnumerateArray().Select(r =>
            string.Join('|', r.GetProperty("answers").GetRawText(), Value(r, "customerId"), Value(r, "touchpointId"), Value(r, "channel"), Value(r, "language"),
                Value(r, "responseId"), r.GetProperty("submittedAt").GetDateTimeOffset().ToUnixTimeMilliseconds())).ToList();
        var before = Comparable(await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{original}/responses"));
        var after = Comparable(await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{copy}/responses"));
        Assert.Equal(before, after);

        var summaryBefore = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{original}/summary");
        var summaryAfter = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{copy}/summary");
        Assert.Equal(summaryBefore.GetProperty("csat").GetRawText(), summaryAfter.GetProperty("csat").GetRawText());
        Assert.Equal(summaryBefore.GetProperty("ces").GetRawText(), summaryAfter.GetProperty("ces").GetRawText());

        // The copy's export is the original's but for the ids and the source.
        var exportAgain = await server.Admin.GetStringAsync($"/api/v1/surveys/{copy}/responses?format=csv");
        static IEnumerable<string> WithoutIds(string csv) => csv.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => string.Join(',', l.TrimEnd('\r').Split(',').Where((_, i) => i is not (1 or 9))));
        Assert.Equal(WithoutIds(export), WithoutIds(exportAgain));

        // A second import of the same export finds every responseId it carries and stores the rest again.
        var twice = await (await ImportAsync(server, copy, export)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, twice.GetProperty("duplicates").GetInt64());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Import_InSeveralChunks_CreatesEachNewRespondentOnceAndLinksTheLaterRows(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await CreateSurveyAsync(server, SurveyFixtures.Nps);
        var survey = (await server.Service<OpenCem.Feedback.Surveys.SurveyStore>().GetAsync((await DefaultWorkspaceAsync(server)), id))!;
        var import = new OpenCem.Feedback.Responses.ResponseImport(
            server.Service<Database>(), server.Service<OpenCem.Customers.IdentityService>(), server.Service<OpenCem.Feedback.Responses.RespondentLookup>(),
            server.Service<OpenCem.Interactions.CatalogueStore>(), TimeProvider.System)
        { ChunkSize = 5 };
        var csv = new StringBuilder("responseId,email,nps,comment\n");
        for (var i = 0; i < 23; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"r{i},person{i % 7}@example.com,{7 + (i % 4)},{(i == 12 ? "\"bad\"x" : "")}\n");
        }

        var setup = await import.SetupAsync(survey);
        using var file = OpenCem.Feedback.Responses.ResponseFile.Open(new StringReader(csv.ToString()), [], setup, blockSize: 5);
        var chunks = new List<long>();
        var result = await import.ImportAsync(file, setup, chunks.Add);
        Assert.Equal(23, result.Read);
        Assert.Equal(1, result.Rejected);
        Assert.Equal(14, result.Rejections[0].Line);
        Assert.Contains("broken quoting", result.Rejections[0].Reason, StringComparison.Ordinal);
        Assert.Equal(22, result.Stored);
        Assert.Equal(7, result.ProfilesCreated);
        Assert.Equal(0, result.RespondentsLinked);
        Assert.True(chunks.Count >= 4, string.Join(", ", chunks));

        await using var connection = await server.Service<Database>().OpenAsync();
        Assert.Equal(7, await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT customer_id) FROM survey_responses"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM survey_responses WHERE customer_id IS NULL"));
        Assert.Equal(7, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM customers"));
    }

    private static async Task<long> DefaultWorkspaceAsync(TestServer server) =>
        (await server.Service<OpenCem.Workspaces.WorkspaceStore>().EnsureDefaultAsync()).Id;

    private static async Task<Dictionary<string, long>> CustomersByRecordAsync(TestServer server)
    {
        await using var connection = await server.Service<Database>().OpenAsync();
        return (await connection.QueryAsync<(string Key, long Customer)>("SELECT record_key, customer_id FROM source_records")).ToDictionary(r => r.Key, r => r.Customer);
    }

    [Fact]
    public async Task Import_RowsThatAreNotUtf8_AreRejectedByLineAndAHeaderThatIsNotIsRefused()
    {
        await using var server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        var id = await CreateSurveyAsync(server, SurveyFixtures.Nps);
        var latin1 = Encoding.Latin1;
        var path = $"/api/v1/surveys/{id}/responses/import";

        // "Müller" in Latin-1 on line 3: that row is refused, the others are stored.
        var body = latin1.GetBytes("userId,nps,comment\nu-1,9,fine\nu-2,3,M\u00fcller was rude\nu-3,10,great\n");
        var mixed = await server.Admin.PostAsync(path, new ByteArrayContent(body) { Headers = { ContentType = new("text/csv") } });
        Assert.Equal(HttpStatusCode.OK, mixed.StatusCode);
        var result = await mixed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, result.GetProperty("stored").GetInt64());
        var rejection = Assert.Single(result.GetProperty("rejections").EnumerateArray());
        Assert.Equal(3, rejection.GetProperty("line").GetInt64());
        Assert.Contains("is not UTF-8: byte 0xFC", rejection.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var header = latin1.GetBytes("userId,nps,Kommentar \u00e4\nu-4,9,x\n");
        var refused = await server.Admin.PostAsync(path, new ByteArrayContent(header) { Headers = { ContentType = new("text/csv") } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("is not UTF-8", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/summary")).GetProperty("n").GetInt64());
    }

    private static async Task<HttpResponseMessage> ImportAsync(TestServer server, long surveyId, string csv, string? map = null)
    {
        var path = $"/api/v1/surveys/{surveyId}/responses/import" + (map is null ? "" : "?map=" + Uri.EscapeDataString(map));
        return await server.Admin.PostAsync(path, new StringContent(csv, Encoding.UTF8, "text/csv"));
    }

    private static async Task<long> CreateSurveyAsync(TestServer server, string definition)
    {
        var created = await server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create("Imported", definition), server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static string Value(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.ToString() : "";
}
