using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using OpenCem.Actions.Cases;
using OpenCem.Actions.Events;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Actions;

public sealed class CaseApiTests
{
    /// <summary>Monday 2 February 2026, 09:00 in Berlin.</summary>
    private static readonly DateTimeOffset Monday9 = new(2026, 2, 2, 8, 0, 0, TimeSpan.Zero);

    internal static async Task<(TestServer Server, FakeTimeProvider Time)> StartAsync(DatabaseKind kind)
    {
        var time = new FakeTimeProvider(Monday9);
        var server = await TestServer.StartAsync(kind, options => options with
        {
            Time = time,
            Configuration = new Dictionary<string, string?> { ["Cases:Clock"] = "false", ["Text:Worker"] = "false" },
        });
        return (server, time);
    }

    /// <summary>Berlin office hours, a billing team (lead: lea) with two agents, and a high-priority SLA of 2 h / 16 h working time.</summary>
    internal static async Task SetUpBillingAsync(TestServer server)
    {
        await PutAsync(server, "/api/v1/cases/calendars/office", """
            {"timeZone": "Europe/Berlin", "hours": {"monday": ["09:00-17:00"], "tuesday": ["09:00-17:00"], "wednesday": ["09:00-17:00"],
             "thursday": ["09:00-17:00"], "friday": ["09:00-17:00"]}, "holidays": ["2026-12-25"]}
            """);
        await PutAsync(server, "/api/v1/cases/teams/billing", """{"name": "Billing", "calendar": "office", "lead": "lea"}""");
        await PutAsync(server, "/api/v1/cases/agents/ana", """{"name": "Ana", "team": "billing", "skills": ["billing"], "capacity": 5}""");
        await PutAsync(server, "/api/v1/cases/agents/ben", """{"name": "Ben", "team": "billing", "skills": ["billing", "german"], "capacity": 5}""");
        await PutAsync(server, "/api/v1/cases/sla-policies/high", """{"firstResponseMinutes": 120, "resolutionMinutes": 960, "calendar": "office"}""");
    }

    private static async Task PutAsync(TestServer server, string path, string json)
    {
        var response = await server.Admin.PutAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    internal static async Task<JsonElement> SendAsync(TestServer server, string path, string json, HttpStatusCode expected = HttpStatusCode.OK, string method = "POST")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        var response = await server.Admin.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<List<StoredEvent>> EventsAsync(TestServer server)
    {
        await using var database = new Database(server.Target);
        await using var connection = await database.OpenAsync();
        return [.. await EventOutbox.ReadAsync(connection, 0, long.MaxValue, 1000)];
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Cases_OpenWorkAndClose_RoutedAuditedAndReported(DatabaseKind kind)
    {
        var (server, time) = await StartAsync(kind);
        await using var owned = server;
        await SetUpBillingAsync(server);

        var first = await SendAsync(server, "/api/v1/cases", """{"title": "Call back about the bill", "priority": "high", "team": "billing", "skill": "german", "reason": "billing"}""", HttpStatusCode.Created);
        Assert.Equal("ben", first.GetProperty("owner").GetString());
        Assert.Equal("assigned", first.GetProperty("status").GetString());
        // Two working hours after 09:00 Berlin; sixteen working hours end on Tuesday at 17:00 Berlin.
        Assert.Equal(Monday9.AddHours(2), first.GetProperty("firstResponseDueAt").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 2, 3, 16, 0, 0, TimeSpan.Zero), first.GetProperty("resolutionDueAt").GetDateTimeOffset());
        Assert.Equal("first_response", first.GetProperty("sla").GetProperty("due").GetString());
        Assert.Equal(120, first.GetProperty("sla").GetProperty("remainingMinutes").GetDouble());
        var second = await SendAsync(server, "/api/v1/cases", """{"title": "Wrong tariff", "priority": "high", "team": "billing"}""", HttpStatusCode.Created);
        Assert.Equal("ana", second.GetProperty("owner").GetString());
        var id = first.GetProperty("id").GetInt64();

        var refused = await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "closed"}""", HttpStatusCode.Conflict);
        Assert.Equal(
            ["in_progress", "waiting_for_customer", "resolved", "new"],
            refused.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Contains("allowed: in_progress", refused.GetProperty("detail").GetString());
        await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "finished"}""", HttpStatusCode.UnprocessableEntity);

        time.Advance(TimeSpan.FromMinutes(30));
        var working = await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "in_progress", "actor": "ben", "note": "Called, no answer"}""");
        Assert.Equal(Monday9.AddMinutes(30), working.GetProperty("firstResponseAt").GetDateTimeOffset());
        Assert.Equal("resolution", working.GetProperty("sla").GetProperty("due").GetString());
        await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "waiting_for_customer", "actor": "ben"}""");
        await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "resolved", "actor": "ben", "resolutionReason": "credit note"}""");
        await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "in_progress", "actor": "ben"}""");
        await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "resolved", "actor": "ben"}""");
        var noOutcome = await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "closed"}""", HttpStatusCode.UnprocessableEntity);
        Assert.True(noOutcome.GetProperty("errors").TryGetProperty("outcome", out _));
        await SendAsync(server, $"/api/v1/cases/{id}/notes", """{"text": "Customer happy with the credit note", "author": "ben"}""");
        var closed = await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "closed", "outcome": "recovered", "outcomeNote": "thanked us", "actor": "ben"}""");
        Assert.Equal("closed", closed.GetProperty("status").GetString());
        Assert.False(closed.GetProperty("sla").TryGetProperty("due", out var _));
        await SendAsync(server, $"/api/v1/cases/{id}", """{"priority": "low"}""", HttpStatusCode.Conflict, "PATCH");

        var detail = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{id}");
        Assert.Equal(2, detail.GetProperty("notes").GetArrayLength());
        var statuses = detail.GetProperty("audit").EnumerateArray().Where(a => a.GetProperty("field").GetString() == "status")
            .Select(a => $"{a.GetProperty("from").GetString()}>{a.GetProperty("to").GetString()}").ToArray();
        Assert.Equal([">assigned", "assigned>in_progress", "in_progress>waiting_for_customer", "waiting_for_customer>resolved", "resolved>in_progress", "in_progress>resolved", "resolved>closed"], statuses);
        Assert.Contains(detail.GetProperty("audit").EnumerateArray(), a => a.GetProperty("field").GetString() == "reopened");
        Assert.Contains(detail.GetProperty("audit").EnumerateArray(), a => a.GetProperty("actor").GetString() == "ben" && a.GetProperty("field").GetString() == "outcome");

        var list = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/cases?team=billing&limit=1");
        Assert.Equal(1, list.GetProperty("cases").GetArrayLength());
        var next = list.GetProperty("nextCursor").GetString();
        Assert.Equal(1, (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cases?team=billing&limit=1&cursor={next}")).GetProperty("cases").GetArrayLength());
        Assert.Equal(id, (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/cases?status=closed")).GetProperty("cases")[0].GetProperty("id").GetInt64());
        Assert.Equal(1, (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/cases?owner=ana&priority=high&breached=false")).GetProperty("cases").GetArrayLength());
        var bad = await server.Admin.GetAsync("/api/v1/cases?status=bogus&breached=maybe&touchpoint=nowhere");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("status", out _) && errors.TryGetProperty("breached", out _) && errors.TryGetProperty("touchpoint", out _));

        var events = await EventsAsync(server);
        Assert.Equal(2, events.Count(e => e.Type == EventTypes.CaseOpened));
        // Six transitions and a note: one event each; refused changes none.
        Assert.Equal(7, events.Count(e => e.Type == EventTypes.CaseUpdated && e.SubjectId == id));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Patch_NewTeamAndPriority_ReassignsAndRecomputesDueTimes(DatabaseKind kind)
    {
        var (server, _) = await StartAsync(kind);
        await using var owned = server;
        await SetUpBillingAsync(server);
        var opened = await SendAsync(server, "/api/v1/cases", """{"title": "Unassigned", "customerId": 999}""", HttpStatusCode.UnprocessableEntity);
        Assert.True(opened.GetProperty("errors").TryGetProperty("customerId", out _));
        var created = await SendAsync(server, "/api/v1/cases", """{"title": "Queue me"}""", HttpStatusCode.Created);
        Assert.Equal("new", created.GetProperty("status").GetString());
        // No policy for normal: the built-in 48 h / 7 days around the clock.
        Assert.Equal(Monday9.AddHours(48), created.GetProperty("firstResponseDueAt").GetDateTimeOffset());
        var id = created.GetProperty("id").GetInt64();

        var patched = await SendAsync(server, $"/api/v1/cases/{id}", """{"team": "billing", "priority": "high"}""", method: "PATCH");
        Assert.Equal("assigned", patched.GetProperty("status").GetString());
        Assert.Equal("ana", patched.GetProperty("owner").GetString());
        Assert.Equal(Monday9.AddHours(2), patched.GetProperty("firstResponseDueAt").GetDateTimeOffset());
        var invalid = await SendAsync(server, $"/api/v1/cases/{id}", """{"priority": "asap"}""", HttpStatusCode.UnprocessableEntity, "PATCH");
        Assert.True(invalid.GetProperty("errors").TryGetProperty("priority", out _));
        await SendAsync(server, "/api/v1/cases/calendars/bad", """{"timeZone": "Mars/Base", "hours": {}}""", HttpStatusCode.UnprocessableEntity, "PUT");
        await SendAsync(server, "/api/v1/cases/agents/zed", """{"name": "Zed", "team": "nobody"}""", HttpStatusCode.UnprocessableEntity, "PUT");
        await SendAsync(server, "/api/v1/cases/sla-policies/high", """{"firstResponseMinutes": 120, "resolutionMinutes": 60}""", HttpStatusCode.UnprocessableEntity, "PUT");
        await SendAsync(server, "/api/v1/cases/99999/transitions", """{"to": "assigned"}""", HttpStatusCode.NotFound);
        var agents = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/cases/agents");
        Assert.Equal(1, agents.EnumerateArray().Single(a => a.GetProperty("key").GetString() == "ana").GetProperty("openCases").GetInt32());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Clock_PastDue_BreachesOnceEscalatesAndReports(DatabaseKind kind)
    {
        var (server, time) = await StartAsync(kind);
        await using var owned = server;
        await SetUpBillingAsync(server);
        var created = await SendAsync(server, "/api/v1/cases", """{"title": "Late", "team": "billing"}""", HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        var clock = server.Service<CaseClock>();
        Assert.Equal(0, (await clock.RunOnceAsync()).Breached);

        // The default 48 h first response, in the team's office hours: six working days.
        time.Advance(TimeSpan.FromDays(5));
        Assert.Equal(0, (await clock.RunOnceAsync()).Breached);
        time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(1, (await clock.RunOnceAsync()).Breached);
        Assert.Equal(0, (await clock.RunOnceAsync()).Breached);

        var escalated = (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{id}")).GetProperty("case");
        Assert.Equal("lea", escalated.GetProperty("owner").GetString());
        Assert.Equal("high", escalated.GetProperty("priority").GetString());
        Assert.Equal(1, escalated.GetProperty("escalationLevel").GetInt32());
        Assert.Equal("first_response", escalated.GetProperty("breach").GetString());
        Assert.True(escalated.GetProperty("sla").GetProperty("breached").GetBoolean());
        Assert.Equal(id, (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/cases?breached=true")).GetProperty("cases").EnumerateArray().Single().GetProperty("id").GetInt64());
        var breach = Assert.Single(await EventsAsync(server), e => e.Type == EventTypes.CaseSlaBreached);
        Assert.Equal(id, breach.SubjectId);
        Assert.Contains("\"escalationLevel\":1", breach.Payload);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task WaitingForCustomer_PausesTheSlaClock_AndMovingOnExtendsTheDueTime(DatabaseKind kind)
    {
        var (server, time) = await StartAsync(kind);
        await using var owned = server;
        await SetUpBillingAsync(server);

        // High priority: 16 working hours to resolve, from Monday 09:00 in Berlin office hours → Tuesday 17:00.
        var created = await SendAsync(server, "/api/v1/cases", """{"title": "Refund", "team": "billing", "priority": "high"}""", HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        var due = created.GetProperty("resolutionDueAt").GetDateTimeOffset();
        time.Advance(TimeSpan.FromHours(1));
        await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "in_progress"}""");
        time.Advance(TimeSpan.FromHours(1));
        var waiting = await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "waiting_for_customer"}""");
        Assert.True(waiting.GetProperty("sla").GetProperty("paused").GetBoolean());

        // Monday 11:00 to Tuesday 17:00: 30 hours on the clock (14 of them working hours).
        Assert.Equal(30 * 60, waiting.GetProperty("sla").GetProperty("remainingMinutes").GetDouble());

        // The customer answers a week later: long past the old due time, yet nothing breached while they had the ball.
        var clock = server.Service<CaseClock>();
        time.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, (await clock.RunOnceAsync()).Breached);
        var stillWaiting = (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{id}")).GetProperty("case").GetProperty("sla");
        Assert.Equal(30 * 60, stillWaiting.GetProperty("remainingMinutes").GetDouble());
        Assert.False(stillWaiting.GetProperty("breached").GetBoolean());

        // Back at work Monday 11:00 a week on: the 14 working hours left run to Tuesday 17:00 of that week.
        var resumed = await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "in_progress"}""");
        Assert.Equal(due.AddDays(7), resumed.GetProperty("resolutionDueAt").GetDateTimeOffset());
        Assert.False(resumed.GetProperty("sla").GetProperty("paused").GetBoolean());
        time.Advance(TimeSpan.FromHours(29));
        Assert.Equal(0, (await clock.RunOnceAsync()).Breached);
        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, (await clock.RunOnceAsync()).Breached);
        var audit = (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{id}")).GetProperty("audit").EnumerateArray();
        Assert.Contains(audit, a => a.GetProperty("field").GetString() == "resolutionDueAt");
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Breach_TwoWorkersAtOnce_MarkedAndReportedOnce(DatabaseKind kind)
    {
        var (server, time) = await StartAsync(kind);
        await using var owned = server;
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await SendAsync(server, "/api/v1/cases", """{"title": "Race", "priority": "urgent"}""", HttpStatusCode.Created)).GetProperty("id").GetInt64());
        }

        time.Advance(TimeSpan.FromHours(2));
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var database = new Database(server.Target);
        var wins = 0;
        foreach (var id in ids)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                await using var connection = await database.OpenAsync();
                return await CaseClock.BreachAsync(connection, 1, id, now);
            }));
            Assert.Single(results, r => r);
            wins += results.Count(r => r);
        }

        Assert.Equal(5, wins);
        Assert.Equal(5, (await EventsAsync(server)).Count(e => e.Type == EventTypes.CaseSlaBreached));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Recovery_NextScoreAfterTheCase_MeasuredAndRolledUp(DatabaseKind kind)
    {
        var (server, time) = await StartAsync(kind);
        await using var owned = server;
        await SetUpBillingAsync(server);
        await using var database = new Database(server.Target);
        var t0 = Monday9.ToUnixTimeMilliseconds();
        long ada, bob, adaResponse, bobResponse;
        await using (var connection = await database.OpenAsync())
        {
            ada = await InsertCustomerAsync(connection, """{"name": "Ada Lovelace"}""", "email:ada@example.com");
            bob = await InsertCustomerAsync(connection, """{"firstName": "Bob", "lastName": "Byte"}""", "customerNumber:C-2");
            adaResponse = await InsertResponseAsync(connection, ada, t0 - 3_600_000, 2, "The technician never came");
            bobResponse = await InsertResponseAsync(connection, bob, t0 - 3_600_000, 4, null);
            await connection.ExecuteAsync(
                "INSERT INTO text_theme_mentions (workspace_id, item_kind, item_id, theme_key, sentiment) VALUES (1, 'response', @adaResponse, 'waiting', -0.6)", new { adaResponse });
        }

        var adaCase = (await SendAsync(server, "/api/v1/cases", $$"""{"title": "Detractor", "team": "billing", "customerId": {{ada}}, "responseId": {{adaResponse}}, "reason": "detractor"}""", HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var bobCase = (await SendAsync(server, "/api/v1/cases", $$"""{"title": "Detractor", "team": "billing", "customerId": {{bob}}, "responseId": {{bobResponse}}, "reason": "detractor"}""", HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var detail = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{adaCase}");
        Assert.Equal("Ada Lovelace", detail.GetProperty("customer").GetProperty("name").GetString());
        Assert.Contains("email:ada@example.com", detail.GetProperty("customer").GetProperty("identifiers").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(2, detail.GetProperty("response").GetProperty("nps").GetInt32());
        Assert.Equal(["waiting"], detail.GetProperty("response").GetProperty("themes").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal("Bob Byte", (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{bobCase}")).GetProperty("customer").GetProperty("name").GetString());

        foreach (var id in new[] { adaCase, bobCase })
        {
            time.Advance(TimeSpan.FromHours(3));
            await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "in_progress"}""");
            time.Advance(TimeSpan.FromHours(20));
            await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "resolved"}""");
            await SendAsync(server, $"/api/v1/cases/{id}/transitions", """{"to": "closed", "outcome": "unknown"}""");
        }

        var clock = server.Service<CaseClock>();
        Assert.Equal(0, (await clock.RunOnceAsync()).Measured);
        await using (var connection = await database.OpenAsync())
        {
            var later = time.GetUtcNow().AddDays(10).ToUnixTimeMilliseconds();
            await InsertResponseAsync(connection, ada, later, 9, "Much better now");
            await InsertResponseAsync(connection, bob, later, 5, null);
        }

        time.Advance(TimeSpan.FromDays(11));
        Assert.Equal(2, (await clock.RunOnceAsync()).Measured);
        Assert.Equal(0, (await clock.RunOnceAsync()).Measured);

        var byTeam = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/cases/recovery?by=team");
        var billing = byTeam.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("group").GetString() == "billing");
        Assert.Equal(2, billing.GetProperty("closed").GetInt64());
        Assert.Equal(2, billing.GetProperty("measured").GetInt64());
        Assert.Equal(1, billing.GetProperty("recovered").GetInt64());
        Assert.Equal(0.5, billing.GetProperty("recoveryRate").GetDouble());
        Assert.InRange(billing.GetProperty("rateLow").GetDouble(), 0.05, 0.15);
        Assert.InRange(billing.GetProperty("rateHigh").GetDouble(), 0.85, 0.95);
        // Ada's first response came 3 h after opening; Bob's 26 h (his case opened at the start too). Median of the two buckets.
        Assert.InRange(billing.GetProperty("medianHoursToFirstResponse").GetDouble(), 2.85, 3.15);
        var bySla = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/cases/recovery?by=sla");
        Assert.Equal(2, bySla.GetProperty("groups").EnumerateArray().Sum(g => g.GetProperty("closed").GetInt64()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.Admin.GetAsync("/api/v1/cases/recovery?by=weather")).StatusCode);
        Assert.Equal("recovered", (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{adaCase}")).GetProperty("case").GetProperty("recovery").GetString());
    }

    private static async Task<long> InsertCustomerAsync(System.Data.Common.DbConnection connection, string traits, string identifier)
    {
        var id = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO customers (workspace_id, created_at, updated_at, traits) VALUES (1, 0, 0, @traits) RETURNING id", new { traits });
        await connection.ExecuteAsync(
            """
            INSERT INTO source_records (workspace_id, source, record_key, customer_id, identifiers, traits, updated_at, received_at, created_at)
            VALUES (1, 'crm', @key, @id, @identifier, '{}', 0, 0, 0)
            """,
            new { key = "r" + id, id, identifier });
        return id;
    }

    private static Task<long> InsertResponseAsync(System.Data.Common.DbConnection connection, long customer, long at, int nps, string? comment) =>
        connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO survey_responses (workspace_id, survey_id, customer_id, source, status, answers, nps, comment, submitted_at, created_at, updated_at)
            VALUES (1, 1, @customer, 'api', 'completed', @answers, @nps, @comment, @at, @at, @at) RETURNING id
            """,
            new { customer, at, nps, comment, answers = $$"""{"nps": {{nps}}}""" });
}
