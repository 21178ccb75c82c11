using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Customers;

/// <summary>Customer 360 over HTTP: records in, one profile out, explained, split, exported and erased.</summary>
public sealed class CustomersApiTests
{
    private const string CrmRecords = """
        {"id":"CRM-1","customerNumber":"C-100","email":"Anna.Schmidt@Example.com","phone":"089 1234567","name":"Anna Schmidt","language":"de","preferredChannel":"email","consent":{"surveys":true},"updatedAt":"2026-01-10T00:00:00Z"}
        {"id":"CRM-2","customerNumber":"C-200","email":"bernd@example.org","name":"Bernd Huber"}
        {"email":"no-id@example.com"}
        {"id":"CRM-4","email":"not-an-address"}
        {broken
        """;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Records_and_tracking_calls_become_one_profile_with_identities_timeline_and_merges(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var upload = await PostNdjsonAsync(server, "/api/v1/sources/crm/records", CrmRecords);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var result = await upload.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(5, (int)result!["read"]!);
        Assert.Equal(2, (int)result["created"]!);
        Assert.Equal(3, (int)result["rejected"]!);
        var reasons = result["rejections"]!.AsArray().Select(r => ((int)r!["line"]!, (string)r["reason"]!)).ToList();
        Assert.Equal([3, 4, 5], reasons.Select(r => r.Item1));
        Assert.Contains("id is missing", reasons[0].Item2);
        Assert.Contains("not an e-mail address", reasons[1].Item2);
        Assert.Contains("malformed JSON", reasons[2].Item2);

        var record = await server.Admin.GetFromJsonAsync<JsonObject>("/api/v1/sources/crm/records/CRM-1");
        var annaId = (long)record!["customerId"]!;

        // A visitor browses anonymously, then signs in with the same address in another spelling and buys.
        var t = DateTimeOffset.UtcNow.AddHours(-1);
        string At(int minutes) => t.AddMinutes(minutes).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await server.PostJsonAsync("/v1/page", $$"""{"anonymousId":"anon-1","name":"Tariffs","messageId":"p1","timestamp":"{{At(0)}}"}""");
        await server.PostJsonAsync("/v1/page", $$"""{"anonymousId":"anon-1","name":"Checkout","messageId":"p2","timestamp":"{{At(5)}}"}""");
        var identify = await server.PostJsonAsync("/v1/identify", $$"""{"anonymousId":"anon-1","userId":"web-77","traits":{"email":"anna.schmidt@example.com ","plan":"fibre"},"messageId":"i1","timestamp":"{{At(6)}}"}""");
        Assert.Equal(HttpStatusCode.OK, identify.StatusCode);
        await server.PostJsonAsync("/v1/track", $$"""{"userId":"web-77","event":"Order Completed","properties":{"revenue":49.9},"messageId":"t1","timestamp":"{{At(7)}}"}""");

        var profile = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{annaId}");
        Assert.Equal(annaId, (long)profile!["id"]!);
        Assert.Equal("Anna Schmidt", (string?)profile["name"]);
        var identities = profile["identities"]!.AsArray().Select(i => ((string)i!["type"]!, (string)i["value"]!)).ToList();
        Assert.Contains(("email", "anna.schmidt@example.com"), identities);
        Assert.Contains(("phone", "+49891234567"), identities);
        Assert.Contains(("userId", "web-77"), identities);
        Assert.Contains(("anonymousId", "anon-1"), identities);
        Assert.Equal("de", (string?)profile["preferences"]!["language"]);
        Assert.Equal("email", (string?)profile["preferences"]!["preferredChannel"]);
        Assert.True((bool)profile["consent"]!["surveys"]!);
        Assert.Equal("crm", (string?)profile["traitSources"]!["name"]!["source"]);
        Assert.Equal("fibre", (string?)profile["traits"]!["plan"]);
        Assert.Equal(4, (long)profile["value"]!["interactions"]!);
        Assert.Equal(49.9, (double)profile["value"]!["revenue"]!, 3);
        Assert.Equal("new", (string?)profile["lifecycle"]!["stage"]);

        // The pre-login page views joined the profile.
        var timeline = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{annaId}/timeline?limit=3");
        var items = timeline!["items"]!.AsArray();
        Assert.Equal(3, items.Count);
        Assert.Equal("Order Completed", (string?)items[0]!["event"]);
        var rest = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{annaId}/timeline?limit=3&cursor={timeline["nextCursor"]}");
        Assert.Equal("Tariffs", (string?)rest!["items"]![0]!["event"]);

        var merges = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{annaId}/merges");
        var link = merges!["links"]!.AsArray().Single();
        Assert.Equal("email", (string?)link!["identifierType"]);
        Assert.Equal("anna.schmidt@example.com", (string?)link["identifierValue"]);
        Assert.Equal(["crm/CRM-1", "tracking/web-77"], new[] { (string)link["recordA"]!, (string)link["recordB"]! }.Order());

        // Every identifier finds the profile.
        foreach (var q in new[] { "ANNA.SCHMIDT@example.com", "+49 89 1234567", "C-100", "web-77", "schmidt" })
        {
            var found = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers?q={Uri.EscapeDataString(q)}");
            Assert.Contains(annaId, found!["items"]!.AsArray().Select(i => (long)i!["id"]!));
        }

        var stats = await server.StatsAsync();
        Assert.Equal(2, stats.Customers);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_split_is_kept_by_later_records_and_rebuilds(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await PostNdjsonAsync(server, "/api/v1/sources/crm/records", """
            {"id":"CRM-1","email":"shared@example.com","name":"Carla"}
            {"id":"CRM-2","email":"shared@example.com","phone":"+43 1 5551234","name":"Dora"}
            """);
        await server.PostJsonAsync("/v1/identify", """{"userId":"dora-web","traits":{"phone":"+43 1 5551234"},"messageId":"d1"}""");
        await server.PostJsonAsync("/v1/track", """{"userId":"dora-web","event":"Bill Viewed","messageId":"d2"}""");
        var merged = (long)(await server.Admin.GetFromJsonAsync<JsonObject>("/api/v1/sources/crm/records/CRM-1"))!["customerId"]!;
        Assert.Equal(merged, (long)(await server.Admin.GetFromJsonAsync<JsonObject>("/api/v1/sources/crm/records/CRM-2"))!["customerId"]!);

        var split = await server.Admin.PostAsJsonAsync($"/api/v1/customers/{merged}/split", new { records = new[] { new { source = "crm", id = "CRM-2" } } });
        Assert.Equal(HttpStatusCode.OK, split.StatusCode);
        var dora = (long)(await split.Content.ReadFromJsonAsync<JsonObject>())!["newProfiles"]![0]!;
        Assert.NotEqual(merged, dora);

        // Dora's web identity and its interactions followed her record.
        Assert.Equal(dora, (long)(await server.Admin.GetFromJsonAsync<JsonObject>("/api/v1/sources/tracking/records/dora-web"))!["customerId"]!);
        var timeline = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{dora}/timeline");
        Assert.Contains("Bill Viewed", timeline!["items"]!.AsArray().Select(i => (string?)i!["event"]));
        var carla = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{merged}/timeline");
        Assert.DoesNotContain("Bill Viewed", carla!["items"]!.AsArray().Select(i => (string?)i!["event"]));

        var explained = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{merged}/merges");
        Assert.Single(explained!["records"]!.AsArray());

        // A record update and a full rebuild keep the split.
        await PostNdjsonAsync(server, "/api/v1/sources/crm/records", """{"id":"CRM-2","email":"shared@example.com","phone":"+43 1 5551234","name":"Dora M."}""");
        var rebuild = await server.Admin.PostAsync("/api/v1/identity/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, rebuild.StatusCode);
        Assert.NotEqual(
            (long)(await server.Admin.GetFromJsonAsync<JsonObject>("/api/v1/sources/crm/records/CRM-1"))!["customerId"]!,
            (long)(await server.Admin.GetFromJsonAsync<JsonObject>("/api/v1/sources/crm/records/CRM-2"))!["customerId"]!);

        var foreign = await server.Admin.PostAsJsonAsync($"/api/v1/customers/{merged}/split", new { records = new[] { new { source = "crm", id = "CRM-2" } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, foreign.StatusCode);
        Assert.Contains("records[0]", await foreign.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Export_holds_everything_and_erasure_removes_the_person_for_good(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await PostNdjsonAsync(server, "/api/v1/sources/crm/records", """
            {"id":"CRM-9","email":"erika.mustermann@example.com","phone":"+49 30 9876543","name":"Erika Mustermann","street":"Heidestraße 17"}
            {"id":"CRM-10","email":"other@example.com","name":"Otto Normal"}
            """);
        await server.PostJsonAsync("/v1/identify", """{"userId":"erika-web","anonymousId":"anon-e","traits":{"email":"erika.mustermann@example.com","name":"Erika Mustermann"},"messageId":"e1","context":{"ip":"203.0.113.9"}}""");
        await server.PostJsonAsync("/v1/track", """{"userId":"erika-web","event":"Fault Reported","properties":{"note":"Erika Mustermann calling from Heidestraße"},"messageId":"e2"}""");
        var survey = await OpenCem.Tests.Feedback.SurveysApiTests.CreateAsync(server, OpenCem.Tests.Feedback.SurveyFixtures.Nps);
        await server.PostJsonAsync("/api/v1/responses", $$"""{"surveyId": {{survey}}, "userId": "erika-web", "answers": {"nps": 3, "reason": "service", "comment": "Erika Mustermann here, Heidestraße is badly served"} }""", server.Admin);
        await server.PostJsonAsync("/api/v1/signals", """{"source": "complaint", "text": "Mustermann complains about the Heidestraße outage", "email": "erika.mustermann@example.com"}""", server.Admin);
        var id = (long)(await server.Admin.GetFromJsonAsync<JsonObject>("/api/v1/sources/crm/records/CRM-9"))!["customerId"]!;
        var opened = await server.Admin.PostAsJsonAsync("/api/v1/cases", new { title = "Call back", customerId = id });
        var caseId = (long)(await opened.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        (await server.Admin.PostAsJsonAsync($"/api/v1/cases/{caseId}/notes", new { text = "Erika Mustermann, Heidestraße, asks for a call", author = "nora" })).EnsureSuccessStatusCode();
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO customer_values (workspace_id, customer_id, churn_risk, churn_reasons, updated_at) SELECT workspace_id, id, 0.4, '[{\"feature\":\"street=Heidestraße 17\"}]', 1 FROM customers WHERE id = @id",
                new { id });
        }

        var ideas = await PlantIdeasAsync(server, id);

        var before = await server.StatsAsync();

        var export = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{id}/export");
        Assert.Equal(2, export!["ideas"]!["ideas"]!.AsArray().Count);
        Assert.Contains("Heidestraße", (string?)export["ideas"]!["ideas"]![0]!["title"], StringComparison.Ordinal);
        Assert.Equal(ideas.Staff, (long)export["ideas"]!["comments"]![0]!["ideaId"]!);
        Assert.Equal(ideas.Staff, (long)export["ideas"]!["votes"]!.AsArray().Single()!["ideaId"]!);
        Assert.Equal("referral", (string?)export["advocateInvitations"]![0]!["programme"]);
        Assert.Equal("p2", (string?)export["personas"]![0]!["persona"]);
        Assert.Equal(2, export["records"]!.AsArray().Count);
        Assert.Equal(2, export["interactions"]!.AsArray().Count);
        Assert.Equal(3, (int)export["responses"]![0]!["answers"]!["nps"]!);
        Assert.Contains("outage", (string?)export["signals"]![0]!["text"], StringComparison.Ordinal);
        Assert.Equal("Heidestraße 17", (string?)export["profile"]!["traits"]!["street"]);

        var erase = await server.Admin.DeleteAsync($"/api/v1/customers/{id}");
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync($"/api/v1/customers/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.DeleteAsync($"/api/v1/customers/{id}")).StatusCode);
        Assert.Empty((await server.Admin.GetFromJsonAsync<JsonObject>("/api/v1/customers?q=erika.mustermann%40example.com"))!["items"]!.AsArray());

        // Later events and records for her identifiers do not bring her back; the aggregates keep counting.
        await server.PostJsonAsync("/v1/identify", """{"userId":"erika-web","traits":{"email":"erika.mustermann@example.com","name":"Erika Mustermann"},"messageId":"e3"}""");
        await server.PostJsonAsync("/v1/track", """{"userId":"erika-web","event":"Bill Viewed","properties":{"who":"Erika Mustermann"},"messageId":"e4"}""");
        var again = await PostNdjsonAsync(server, "/api/v1/sources/crm/records", """{"id":"CRM-9","email":"erika.mustermann@example.com","name":"Erika Mustermann"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("erased", await again.Content.ReadAsStringAsync());
        var after = await server.StatsAsync();
        Assert.Equal(before.Customers - 1, after.Customers);
        Assert.Equal(before.Interactions + 2, after.Interactions);

        // No table holds her identifiers or traits.
        var database = server.Service<Database>();
        await using (var connection = await database.OpenAsync())
        {
            foreach (var (table, column) in new[] { ("customers", "traits"), ("source_records", "traits"), ("source_records", "identifiers"), ("record_identifiers", "value"), ("customer_identities", "value"), ("interactions", "properties"), ("interactions", "context"), ("survey_responses", "answers"), ("survey_responses", "comment"), ("signals", "text"), ("events", "payload"), ("case_notes", "text"), ("customer_values", "churn_reasons") })
            {
                var hits = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {column} LIKE '%rika%' OR {column} LIKE '%Heidestra%' OR {column} LIKE '%9876543%' OR {column} LIKE '%erika-web%' OR {column} LIKE '%anon-e%' OR {column} LIKE '%203.0.113.9%'");
                Assert.True(hits == 0, $"{table}.{column} still holds her data");
            }

            // Ideas: hers that Otto voted for stays without author or text, the one nobody took up is gone; her vote and comment are
            // gone and the counters agree with the votes that remain; no status history, persona or mail names her.
            foreach (var (table, column) in new[] { ("ideas", "title"), ("ideas", "body"), ("idea_comments", "body"), ("personas", "profile"), ("notifications", "recipient"), ("notifications", "body") })
            {
                var hits = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {column} LIKE '%rika%' OR {column} LIKE '%Heidestra%'");
                Assert.True(hits == 0, $"{table}.{column} still holds her data");
            }

            var args = new { id, actor = $"customer:{id}" };
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                "SELECT (SELECT count(*) FROM ideas WHERE customer_id = @id) + (SELECT count(*) FROM idea_votes WHERE customer_id = @id) + (SELECT count(*) FROM idea_comments WHERE customer_id = @id) + (SELECT count(*) FROM idea_status_changes WHERE actor = @actor) + (SELECT count(*) FROM advocate_invitations WHERE customer_id = @id) + (SELECT count(*) FROM persona_assignments WHERE customer_id = @id)", args));
            Assert.Null(await connection.ExecuteScalarAsync<long?>("SELECT id FROM ideas WHERE id = @Untouched", new { ideas.Untouched }));
            var kept = await connection.QuerySingleAsync<(string Title, string Body, long Votes)>("SELECT title, body, votes FROM ideas WHERE id = @Voted", new { ideas.Voted });
            Assert.Equal((OpenCem.Feedback.Ideas.IdeaErasure.WithdrawnTitle("de"), "", 1L), kept);
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT votes FROM ideas WHERE id = @Staff", new { ideas.Staff }));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ideas i WHERE votes <> (SELECT count(*) FROM idea_votes v WHERE v.idea_id = i.id)"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM idea_comments WHERE body = 'Otto agrees'"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM notifications WHERE recipient = 'other@example.com'"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM persona_assignments"));

            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM source_records"));
            Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT nps FROM survey_responses"));
        }

        if (kind == DatabaseKind.Sqlite)
        {
            // The bytes are gone from the database files too, not only from the tables.
            await server.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var path = server.Target.Display;
            foreach (var file in new[] { path, path + "-wal" }.Where(File.Exists))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                foreach (var secret in new[] { "erika.mustermann", "Mustermann", "9876543", "Heidestra", "erika-web", "203.0.113.9" })
                {
                    Assert.True(IndexOf(bytes, Encoding.UTF8.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} still holds '{secret}'");
                }

                Assert.True(IndexOf(bytes, Encoding.UTF8.GetBytes("Otto Normal")) >= 0 || file.EndsWith("-wal", StringComparison.Ordinal), "the scan must see live data");
            }
        }
    }

    /// <summary>
    /// Erika (<paramref name="erika"/>) posts two ideas (Otto votes for one), votes for and comments on a staff idea, was
    /// invited to the referral programme and told about a shipped idea by mail, and is quoted in a persona's profile.
    /// </summary>
    private static async Task<(long Voted, long Untouched, long Staff)> PlantIdeasAsync(TestServer server, long erika)
    {
        var otto = (long)(await server.Admin.GetFromJsonAsync<JsonObject>("/api/v1/sources/crm/records/CRM-10"))!["customerId"]!;
        async Task<long> IdeaAsync(object body) =>
            (long)(await (await server.Admin.PostAsJsonAsync("/api/v1/ideas", body)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var voted = await IdeaAsync(new { customerId = erika, title = "Glasfaser für die Heidestraße", body = "Erika Mustermann wünscht sich Glasfaser in der Heidestraße 17.", language = "de" });
        var untouched = await IdeaAsync(new { customerId = erika, title = "Erika's second idea", body = "Call me on 9876543 about the Heidestraße mast." });
        var staff = await IdeaAsync(new { title = "Longer shop opening hours", body = "Open the shops until 8 pm." });
        (await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{voted}/votes", new { customerId = otto })).EnsureSuccessStatusCode();
        (await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{staff}/votes", new { customerId = erika })).EnsureSuccessStatusCode();
        (await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{staff}/votes", new { customerId = otto })).EnsureSuccessStatusCode();
        (await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{staff}/comments", new { customerId = erika, body = "Erika from the Heidestraße agrees" })).EnsureSuccessStatusCode();
        (await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{staff}/comments", new { customerId = otto, body = "Otto agrees" })).EnsureSuccessStatusCode();
        await using var connection = await server.Service<Database>().OpenAsync();
        var ws = await connection.ExecuteScalarAsync<long>("SELECT workspace_id FROM customers WHERE id = @erika", new { erika });
        var args = new { ws, erika, otto };
        await connection.ExecuteAsync(
            """
            INSERT INTO notifications (workspace_id, recipient, subject, body, status, attempts, next_attempt_at, created_at)
            VALUES (@ws, 'Erika.Mustermann@example.com', 'Our referral programme', 'Hello Erika Mustermann', 'queued', 0, 0, 1),
                   (@ws, 'other@example.com', 'Shipped', 'Hello Otto', 'sent', 1, 0, 1)
            """, args);
        await connection.ExecuteAsync(
            "INSERT INTO advocate_invitations (workspace_id, customer_id, programme, status, notification_id, created_at) SELECT @ws, @erika, 'referral', 'invited', min(id), 1 FROM notifications",
            args);
        var run = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO persona_runs (workspace_id, status, k, seed, customers, created_at, published_at) VALUES (@ws, 'ready', 2, 1, 2, 1, 2) RETURNING id", args);
        var profile = System.Text.Json.JsonSerializer.Serialize(new OpenCem.Customers.Personas.PersonaProfile(
            2, "p2", new("Shop loyalists", "Ladentreue"), 2, 1, 1, [], [], [], [], [], [], [],
            [new(erika, "Erika Mustermann: the Heidestraße shop is great", "en", 0.1, 0.8), new(otto, "Fine shop", "en", 0.2, 0.5)], new("", "")),
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        await connection.ExecuteAsync("INSERT INTO personas (workspace_id, run_id, number, size, profile) VALUES (@ws, @run, 2, 2, @profile)", new { ws, run, profile });
        await connection.ExecuteAsync(
            "INSERT INTO persona_assignments (run_id, customer_id, number, distance) VALUES (@run, @erika, 2, 0.1), (@run, @otto, 2, 0.2)", new { run, erika, otto });
        return (voted, untouched, staff);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Changed_rules_apply_to_stored_records_after_a_rebuild(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await PostNdjsonAsync(server, "/api/v1/sources/crm/records", """{"id":"CRM-1","email":"jo.weber@gmail.com","plan":"Basic","updatedAt":"2026-01-01T00:00:00Z"}""");
        await PostNdjsonAsync(server, "/api/v1/sources/billing/records", """{"id":"B-1","email":"joweber+bills@googlemail.com","plan":"Premium","updatedAt":"2025-01-01T00:00:00Z"}""");
        async Task<long> CustomerOf(string source, string id) =>
            (long)(await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/sources/{source}/records/{id}"))!["customerId"]!;
        var profile = await CustomerOf("crm", "CRM-1");
        Assert.Equal(profile, await CustomerOf("billing", "B-1"));
        Assert.Equal("Basic", (string?)(await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{profile}"))!["traits"]!["plan"]);

        // Billing is trusted first for the plan; dots in Gmail addresses now count.
        var settings = (await server.Admin.GetFromJsonAsync<JsonObject>("/api/v1/identity/settings"))!;
        settings["traits"] = new JsonArray(new JsonObject { ["trait"] = "plan", ["sources"] = new JsonArray("billing", "crm") });
        settings["email"]!["ignoreDotsDomains"] = new JsonArray();
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.PutAsJsonAsync("/api/v1/identity/settings", settings)).StatusCode);
        var rebuilt = await (await server.Admin.PostAsync("/api/v1/identity/rebuild", null)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(2, (int)rebuilt!["records"]!);
        Assert.Equal(1, (int)rebuilt["identifiersChanged"]!);
        Assert.NotEqual(await CustomerOf("crm", "CRM-1"), await CustomerOf("billing", "B-1"));

        settings["email"]!["ignoreDotsDomains"] = new JsonArray("gmail.com", "googlemail.com");
        await server.Admin.PutAsJsonAsync("/api/v1/identity/settings", settings);
        await server.Admin.PostAsync("/api/v1/identity/rebuild", null);
        Assert.Equal(profile, await CustomerOf("billing", "B-1"));
        var traits = (await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{profile}"))!;
        Assert.Equal("Premium", (string?)traits["traits"]!["plan"]);
        Assert.Equal("billing", (string?)traits["traitSources"]!["plan"]!["source"]);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Bad_requests_get_problem_details_naming_the_field(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await AssertProblemAsync(await PostNdjsonAsync(server, "/api/v1/sources/crm%20x/records", """{"id":"1"}"""), 422, "source");
        await AssertProblemAsync(await PostNdjsonAsync(server, "/api/v1/sources/tracking/records", """{"id":"1"}"""), 422, "source");
        await AssertProblemAsync(await PostNdjsonAsync(server, "/api/v1/sources/crm/records", """[{"id":"1"},"""), 400, "body");
        await AssertProblemAsync(await PostNdjsonAsync(server, "/api/v1/sources/crm/records", """{"email":"x@example.com"}"""), 422, "body");

        // A Latin-1 export is refused whole, naming the line, rather than stored with U+FFFD for its umlauts.
        var latin1 = await server.Admin.PostAsync("/api/v1/sources/crm/records", Latin1("{\"id\":\"L-1\",\"name\":\"Anna\"}\n{\"id\":\"L-2\",\"name\":\"Jürgen Müller\"}\n", "application/x-ndjson"));
        await AssertProblemAsync(latin1, 400, "body");
        var problem = (await latin1.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.StartsWith("Line 2 of the body is not UTF-8: byte 0xFC at column 22", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal(2, (int)problem["line"]!);
        var array = await server.Admin.PostAsync("/api/v1/sources/crm/records", Latin1("[\n{\"id\":\"L-3\"},\n{\"id\":\"L-4\",\"city\":\"Köln\"}\n]", "application/json"));
        await AssertProblemAsync(array, 400, "body");
        Assert.Contains("Line 3 of the body is not UTF-8", await array.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertProblemAsync(await server.Admin.GetAsync("/api/v1/sources/crm/records/L-1"), 404, "id");
        await AssertProblemAsync(await server.Admin.GetAsync("/api/v1/sources/crm/records/none"), 404, "id");
        await AssertProblemAsync(await server.Admin.GetAsync("/api/v1/customers/abc"), 400, "id");
        await AssertProblemAsync(await server.Admin.GetAsync("/api/v1/customers/999999"), 404, "id");
        await AssertProblemAsync(await server.Admin.GetAsync("/api/v1/customers"), 422, "q");
        await AssertProblemAsync(await server.Admin.PostAsJsonAsync("/api/v1/customers/1/split", new { records = Array.Empty<object>() }), 422, "records");
        await AssertProblemAsync(await server.Admin.PutAsJsonAsync("/api/v1/identity/settings", new { maxRecordsPerIdentifier = 1, defaultRegion = "XX" }), 422, "defaultRegion");
        Assert.Equal(0, (await server.StatsAsync()).Customers);

        // The tracking write key cannot read profiles.
        var denied = (await server.Tracking.GetAsync("/api/v1/customers?q=x")).StatusCode;
        Assert.True(denied is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"a write key got {denied}");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string field)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> PostNdjsonAsync(TestServer server, string path, string ndjson) =>
        server.Admin.PostAsync(path, new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"));

    private static ByteArrayContent Latin1(string text, string mediaType)
    {
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(text));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
