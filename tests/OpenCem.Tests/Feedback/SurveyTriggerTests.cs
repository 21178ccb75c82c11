using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Feedback.Distribution;
using OpenCem.Feedback.Invitations;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Feedback;

public sealed class SurveyTriggerTests
{
    private const string VisitDone = "Technician Visit Completed";

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Trigger_InvitesAndMailsAfterAnInteraction_TheNextWithinThePeriodIsSuppressed(DatabaseKind kind)
    {
        await using var sink = new SmtpSink();
        await using var server = await DistributionServer.StartAsync(kind, sink);
        await AddVisitTouchpointAsync(server);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Service,
            """{"triggers": [{"touchpoint": "technician-visit", "stage": "visit", "outcome": "success", "delayMinutes": 0, "samplingRate": 1, "channel": "email"}]}""");
        await Scanner(server).RunOnceAsync(); // The workspace's cursor starts here: earlier interactions are history.

        await Track(server, """{"type": "identify", "userId": "u1", "messageId": "i1", "traits": {"email": "anna@example.com", "name": "Anna Schmidt", "consent": {"surveys": true}}}""");
        await Track(server, $$$"""{"type": "track", "userId": "u1", "event": "{{{VisitDone}}}", "messageId": "t0", "properties": {"outcome": "failure"}}""");
        await Track(server, """{"type": "track", "userId": "u1", "event": "Something Else", "messageId": "t1"}""");
        await Track(server, $$$"""{"type": "track", "userId": "u1", "event": "{{{VisitDone}}}", "messageId": "t2", "properties": {"outcome": "success"}}""");
        var interaction = await InteractionIdAsync(server, "t2");

        Assert.Equal(1, await Scanner(server).RunOnceAsync());
        var invitation = Assert.Single(await DistributionServer.InvitationsAsync(server, survey));
        Assert.Equal(interaction, invitation.GetProperty("interactionId").GetInt64());
        Assert.Equal("pending", invitation.GetProperty("status").GetString());
        var customer = invitation.GetProperty("customerId").GetInt64();
        Assert.Equal(customer, (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/interactions?touchpoint=technician-visit")).GetProperty("items")[0].GetProperty("customerId").GetInt64());
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            var touchpoint = await connection.ExecuteScalarAsync<long>("SELECT id FROM touchpoints WHERE key = 'technician-visit'");
            Assert.Equal(touchpoint, await connection.ExecuteScalarAsync<long>("SELECT touchpoint_id FROM survey_invitations WHERE id = @id", new { id = invitation.GetProperty("id").GetInt64() }));
        }

        Assert.Equal(1, (await server.Service<InvitationDispatcher>().RunOnceAsync()).Sent);
        var mail = Assert.Single(sink.Messages);
        Assert.Equal(["anna@example.com"], mail.Recipients);
        Assert.Contains("Your service contact", mail.Message.TextBody, StringComparison.Ordinal);
        var link = await server.Service<SurveyLinks>().ReadAsync(SurveyMailLinks.TokenOf(mail));
        Assert.Equal((1L, LinkKind.Invitation, invitation.GetProperty("id").GetInt64()), link);
        // The mail's link opens the page; the answer is stored against this customer and this interaction.
        using (var respondent = new RespondentClient(server))
        {
            var page = await respondent.GetAsync(SurveyMailLinks.LinkOf(mail).ToString());
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.True(page.Asks("csat"));
            var done = await respondent.SubmitAsync(page, "submit", ("csat", "2"), ("ces", "3"), ("resolved", "false"));
            Assert.Equal(HttpStatusCode.OK, done.Status);
        }

        var (responses, _) = await RespondentClient.StoredAsync(server, survey);
        var stored = Assert.Single(responses);
        Assert.Equal((customer, interaction, "completed", "email"), (stored.CustomerId!.Value, stored.InteractionId!.Value, stored.Status, stored.Channel));
        var summary = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/summary");
        Assert.Equal(1, summary.GetProperty("n").GetInt64());
        Assert.Equal(1.0, summary.GetProperty("responseRate").GetDouble());
        Assert.Equal(0, summary.GetProperty("csat").GetProperty("value").GetDouble());

        // A second visit within 30 days: the contact rules hold, and say why.
        await Track(server, $$$"""{"type": "track", "userId": "u1", "event": "{{{VisitDone}}}", "messageId": "t3", "properties": {"outcome": "success"}}""");
        Assert.Equal(1, await Scanner(server).RunOnceAsync());
        var second = (await DistributionServer.InvitationsAsync(server, survey))[0];
        Assert.Equal(await InteractionIdAsync(server, "t3"), second.GetProperty("interactionId").GetInt64());
        Assert.Equal("suppressed", second.GetProperty("status").GetString());
        Assert.StartsWith("contact frequency: already invited 1 time(s) in the last 30 days", second.GetProperty("suppressedReason").GetString(), StringComparison.Ordinal);

        // Scanning the same interactions again (a crash before the cursor was saved) invites nobody twice.
        await SetCursorAsync(server, 0);
        Assert.Equal(0, await Scanner(server).RunOnceAsync());
        Assert.Equal(2, (await DistributionServer.InvitationsAsync(server, survey)).Length);
        Assert.Single(sink.Messages);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Trigger_SamplingRate_TakesTheSameHalfOnEveryRun(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind, options => options with
        {
            Configuration = new Dictionary<string, string?> { ["Surveys:TriggerScanIntervalSeconds"] = "3600", ["Surveys:TriggerSettleSeconds"] = "0" },
        });
        await AddVisitTouchpointAsync(server);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Service,
            """{"triggers": [{"touchpoint": "technician-visit", "delayMinutes": 0, "samplingRate": 0.5, "channel": "link"}]}""");
        await Scanner(server).RunOnceAsync();
        var calls = Enumerable.Range(0, 200).Select(i => $$"""{"type": "track", "userId": "u{{i}}", "event": "{{VisitDone}}", "messageId": "s{{i}}"}""");
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/v1/batch", "{\"batch\": [" + string.Join(",", calls) + "]}")).StatusCode);

        var created = await Scanner(server).RunOnceAsync();

        long[] interactions;
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            interactions = (await connection.QueryAsync<long>("SELECT id FROM interactions WHERE event = @VisitDone", new { VisitDone })).ToArray();
        }

        Assert.Equal(200, interactions.Length);
        var expected = interactions.Where(id => SurveyTriggers.Sampled(id, survey, 0.5)).Order().ToArray();
        Assert.InRange(expected.Length, 70, 130);
        Assert.Equal(expected.Length, created);
        var invited = await DistributionServer.InvitationsAsync(server, survey);
        Assert.Equal(expected, invited.Select(i => i.GetProperty("interactionId").GetInt64()).Order());
        // Customers known only from tracking have given no consent: each sampled interaction still shows why nobody was asked.
        Assert.All(invited, i => Assert.Equal("no consent to surveys on record", i.GetProperty("suppressedReason").GetString()));

        await SetCursorAsync(server, 0);
        Assert.Equal(0, await Scanner(server).RunOnceAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Cursor_StartsAtTheNewestInteraction_AndIsDroppedWithTheLastTrigger(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind, options => options with
        {
            Configuration = new Dictionary<string, string?> { ["Surveys:TriggerScanIntervalSeconds"] = "3600", ["Surveys:TriggerSettleSeconds"] = "0" },
        });
        await AddVisitTouchpointAsync(server);
        await Track(server, $$"""{"type": "track", "userId": "u1", "event": "{{VisitDone}}", "messageId": "old"}""");
        var old = await InteractionIdAsync(server, "old");

        // Without triggers a pass keeps no cursor.
        Assert.Equal(0, await Scanner(server).RunOnceAsync());
        Assert.Null(await CursorAsync(server));

        var settings = """{"triggers": [{"touchpoint": "technician-visit", "delayMinutes": 0, "channel": "link"}]}""";
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Service, settings);
        Assert.Equal(0, await Scanner(server).RunOnceAsync());
        Assert.Equal(old, await CursorAsync(server));
        Assert.Empty(await DistributionServer.InvitationsAsync(server, survey));

        var put = await server.Admin.PutAsync($"/api/v1/surveys/{survey}", new StringContent(SurveyFixtures.Create("No triggers", SurveyFixtures.Service), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await Scanner(server).RunOnceAsync();
        Assert.Null(await CursorAsync(server));
    }

    private static SurveyTriggerScanner Scanner(TestServer server) => server.Service<SurveyTriggerScanner>();

    private static async Task AddVisitTouchpointAsync(TestServer server)
    {
        var journey = await server.Admin.PostAsJsonAsync("/api/v1/journeys", new
        {
            key = "fault-repair",
            name = "Fault repair",
            stages = new[] { new { key = "reported", name = "Fault reported" }, new { key = "visit", name = "Technician visit" } },
        });
        Assert.Equal(HttpStatusCode.Created, journey.StatusCode);
        var touchpoint = await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new
        {
            key = "technician-visit",
            name = "Technician visit",
            channel = "field",
            journey = "fault-repair",
            stage = "visit",
            events = new[] { VisitDone },
        });
        Assert.Equal(HttpStatusCode.Created, touchpoint.StatusCode);
    }

    private static async Task Track(TestServer server, string call)
    {
        var type = JsonDocument.Parse(call).RootElement.GetProperty("type").GetString();
        var response = await server.PostJsonAsync($"/v1/{type}", call);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<long> InteractionIdAsync(TestServer server, string messageId)
    {
        await using var connection = await server.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM interactions WHERE message_id = @messageId", new { messageId });
    }

    private static async Task<long?> CursorAsync(TestServer server)
    {
        await using var connection = await server.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long?>("SELECT value FROM workspace_counters WHERE name = @CursorName", new { TriggerFeed.CursorName });
    }

    private static async Task SetCursorAsync(TestServer server, long value)
    {
        await using var connection = await server.Service<Database>().OpenAsync();
        await connection.ExecuteAsync("UPDATE workspace_counters SET value = @value WHERE name = @CursorName", new { value, TriggerFeed.CursorName });
    }
}
