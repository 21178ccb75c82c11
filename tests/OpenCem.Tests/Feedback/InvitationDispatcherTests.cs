using System.Net;
using System.Net.Sockets;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using OpenCem.Feedback.Distribution;
using OpenCem.Feedback.Invitations;
using OpenCem.Hosting;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Feedback;

public sealed class InvitationDispatcherTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private const string Customers = """
        [{"id": "1", "email": "anna@example.com", "name": "Anna Schmidt", "consent": {"surveys": true}, "language": "de"},
         {"id": "2", "email": "bob@example.com", "firstName": "Bob", "lastName": "Miller", "consent": {"surveys": true}},
         {"id": "3", "email": "gone@example.com", "consent": {"surveys": true}}]
        """;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task EmailInvitation_ArrivesInTheCustomersLanguage_WithItsPersonalLink(DatabaseKind kind)
    {
        await using var sink = new SmtpSink();
        // The background pass, not the test, sends here: every 200 ms.
        await using var server = await DistributionServer.StartAsync(kind, sink, interval: 0.2);
        await DistributionServer.AddCustomersAsync(server, Customers);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);

        var created = await DistributionServer.InviteAsync(server, survey, "email", """[{"email": "anna@example.com"}, {"email": "bob@example.com"}]""");
        Assert.All(created, i => Assert.Equal("pending", i.GetProperty("status").GetString()));
        var mails = await sink.WaitForAsync(2, Wait);

        var anna = mails.To("anna@example.com");
        Assert.Equal(DistributionServer.Sender, anna.From);
        Assert.Equal("Wie war Ihre Erfahrung mit Nordwind Telecom?", anna.Message.Subject);
        Assert.StartsWith("Guten Tag Anna Schmidt,", anna.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Wie machen wir uns?", anna.Message.TextBody, StringComparison.Ordinal);
        var bob = mails.To("bob@example.com");
        Assert.Equal("How was your experience with Nordwind Telecom?", bob.Message.Subject);
        Assert.StartsWith("Hello Bob Miller,", bob.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("How are we doing?", bob.Message.TextBody, StringComparison.Ordinal);
        Assert.Equal(1, sink.Connections);

        var annId = created[0].GetProperty("id").GetInt64();
        Assert.Equal(annId, SurveyMailLinks.InvitationIdOf(anna));
        var link = SurveyMailLinks.LinkOf(anna);
        Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/') + "/s/", link.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(created[0].GetProperty("url").GetString(), link.AbsoluteUri);
        var target = await server.Service<SurveyLinks>().ReadAsync(SurveyMailLinks.TokenOf(anna));
        Assert.Equal((1L, LinkKind.Invitation, annId), target);

        await DistributionServer.EventuallyAsync(
            async () => (await DistributionServer.InvitationsAsync(server, survey)).All(i => i.GetProperty("status").GetString() == "sent"),
            "both invitations show as sent");
        var listed = await DistributionServer.InvitationAsync(server, survey, annId);
        Assert.Equal("de", listed.GetProperty("language").GetString());
        Assert.True(listed.TryGetProperty("sentAt", out _));
        Assert.False(listed.TryGetProperty("error", out _));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task RejectedRecipient_FailsWithTheServersReason_OthersAreSent(DatabaseKind kind)
    {
        await using var sink = new SmtpSink(rejectRecipients: ["gone@example.com"]);
        await using var server = await DistributionServer.StartAsync(kind, sink);
        await DistributionServer.AddCustomersAsync(server, Customers);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        var created = await DistributionServer.InviteAsync(
            server, survey, "email", """[{"email": "anna@example.com"}, {"email": "gone@example.com"}, {"email": "bob@example.com"}]""");

        var counts = await Dispatcher(server).RunOnceAsync();

        Assert.Equal(new DispatchCounts(Sent: 2, Reminded: 0, Retrying: 0, Failed: 1, Withdrawn: 0), counts);
        Assert.Equal(["anna@example.com", "bob@example.com"], sink.Messages.SelectMany(m => m.Recipients).Order());
        var gone = await DistributionServer.InvitationAsync(server, survey, created[1].GetProperty("id").GetInt64());
        Assert.Equal("failed", gone.GetProperty("status").GetString());
        Assert.StartsWith("550 ", gone.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("gone@example.com", gone.GetProperty("error").GetString(), StringComparison.Ordinal);

        // A failed invitation is not tried again.
        Assert.Equal(DispatchCounts.None, await Dispatcher(server).RunOnceAsync());
        Assert.Equal(2, sink.Messages.Count);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task UnreachableServer_RetriesWithGrowingWaits_ThenFails(DatabaseKind kind)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sink = new SmtpSink();
        await using var server = await DistributionServer.StartAsync(kind, sink, time, smtpPort: ClosedPort());
        await DistributionServer.AddCustomersAsync(server, Customers);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        var id = (await DistributionServer.InviteAsync(server, survey, "email", """[{"email": "anna@example.com"}]"""))[0].GetProperty("id").GetInt64();
        var options = server.Service<DistributionOptions>();

        // With a fake clock, a background pass may run alongside the test's pass when time moves by hours; each
        // invitation is claimed by one of them, so the tests check what was recorded rather than who did it.
        Assert.Equal(1, (await Dispatcher(server).RunOnceAsync()).Retrying);
        for (var attempt = 1; attempt < options.MaxAttempts; attempt++)
        {
            var waiting = await DistributionServer.InvitationAsync(server, survey, id);
            Assert.Equal("pending", waiting.GetProperty("status").GetString());
            Assert.Contains("could not be used", waiting.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(attempt, await AttemptsAsync(server, id));

            // Not before its wait is over; the wait doubles with each try.
            var wait = DeliveryPolicy.RetryWait(attempt, options.RetryAfter);
            Assert.Equal(options.RetryAfter * Math.Pow(2, attempt - 1), wait);
            time.Advance(wait - TimeSpan.FromSeconds(1));
            await Dispatcher(server).RunOnceAsync();
            Assert.Equal(attempt, await AttemptsAsync(server, id));
            time.Advance(TimeSpan.FromSeconds(1));
            await Dispatcher(server).RunOnceAsync();
        }

        var failed = await DistributionServer.InvitationAsync(server, survey, id);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains($"gave up after {options.MaxAttempts} tries", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Reminder_AfterTheConfiguredDays_NeverAfterCompletion_AtMostMax(DatabaseKind kind)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sink = new SmtpSink();
        await using var server = await DistributionServer.StartAsync(kind, sink, time);
        await DistributionServer.AddCustomersAsync(server, Customers);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps, """{"reminders": {"afterDays": 3, "max": 1}}""");
        var created = await DistributionServer.InviteAsync(server, survey, "email", """[{"email": "anna@example.com"}, {"email": "bob@example.com"}]""");
        var (anna, bob) = (created[0].GetProperty("id").GetInt64(), created[1].GetProperty("id").GetInt64());
        Assert.Equal(2, (await Dispatcher(server).RunOnceAsync()).Sent);
        var invitationToken = SurveyMailLinks.TokenOf(sink.Messages.To("anna@example.com"));

        // Bob answers (the respondent page records it so).
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            await connection.ExecuteAsync(
                "UPDATE survey_invitations SET status = 'completed', completed_at = @now WHERE id = @bob",
                new { bob, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
        }

        time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        await Dispatcher(server).RunOnceAsync();
        Assert.Equal(2, sink.Messages.Count);
        time.Advance(TimeSpan.FromMinutes(1));
        await Dispatcher(server).RunOnceAsync();
        Assert.Equal(3, sink.Messages.Count);

        var reminder = Assert.Single(sink.Messages, m => (m.Message.Subject ?? "").StartsWith("Erinnerung:", StringComparison.Ordinal));
        Assert.Equal(["anna@example.com"], reminder.Recipients);
        Assert.Contains("kürzlich zu dieser Umfrage eingeladen", reminder.Message.TextBody, StringComparison.Ordinal);
        Assert.Equal(invitationToken, SurveyMailLinks.TokenOf(reminder));
        var listed = await DistributionServer.InvitationAsync(server, survey, anna);
        Assert.Equal(1, listed.GetProperty("reminders").GetInt32());
        Assert.Equal("sent", listed.GetProperty("status").GetString());
        Assert.Equal("completed", (await DistributionServer.InvitationAsync(server, survey, bob)).GetProperty("status").GetString());

        time.Advance(TimeSpan.FromDays(10));
        await Dispatcher(server).RunOnceAsync();
        Assert.Equal(3, sink.Messages.Count);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Expiry_EndsUnansweredInvitations_WhichGetNoMoreReminders(DatabaseKind kind)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sink = new SmtpSink();
        await using var server = await DistributionServer.StartAsync(kind, sink, time);
        await DistributionServer.AddCustomersAsync(server, Customers);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps, """{"reminders": {"afterDays": 3, "max": 2}, "expiresAfterDays": 4}""");
        var email = (await DistributionServer.InviteAsync(server, survey, "email", """[{"email": "anna@example.com"}]"""))[0].GetProperty("id").GetInt64();
        Assert.Equal(1, (await Dispatcher(server).RunOnceAsync()).Sent);
        time.Advance(TimeSpan.FromDays(3));
        await Dispatcher(server).RunOnceAsync();
        Assert.Equal(2, sink.Messages.Count);

        time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1));
        await server.Service<InvitationExpiry>().RunOnceAsync();
        Assert.Equal("sent", (await DistributionServer.InvitationAsync(server, survey, email)).GetProperty("status").GetString());
        time.Advance(TimeSpan.FromMinutes(2));
        await server.Service<InvitationExpiry>().RunOnceAsync();
        Assert.Equal("expired", (await DistributionServer.InvitationAsync(server, survey, email)).GetProperty("status").GetString());

        // The second reminder would be due three days after the first.
        time.Advance(TimeSpan.FromDays(3));
        await Dispatcher(server).RunOnceAsync();
        Assert.Equal(2, sink.Messages.Count);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ClosedSurvey_WithdrawsItsPendingInvitations(DatabaseKind kind)
    {
        await using var sink = new SmtpSink();
        await using var server = await DistributionServer.StartAsync(kind, sink);
        await DistributionServer.AddCustomersAsync(server, Customers);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        var id = (await DistributionServer.InviteAsync(server, survey, "email", """[{"email": "anna@example.com"}]"""))[0].GetProperty("id").GetInt64();
        var closed = await server.Admin.PutAsync(
            $"/api/v1/surveys/{survey}",
            new StringContent(SurveyFixtures.Create("Closed", SurveyFixtures.Nps, """{"closed": true}"""), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        Assert.Equal(1, (await Dispatcher(server).RunOnceAsync()).Withdrawn);
        var listed = await DistributionServer.InvitationAsync(server, survey, id);
        Assert.Equal("expired", listed.GetProperty("status").GetString());
        Assert.Contains("closed", listed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task TwoServersOnOneDatabase_SendEachInvitationOnce(DatabaseKind kind)
    {
        await using var sink = new SmtpSink();
        var target = await TestDatabases.CreateAsync(kind);
        Func<ServerOptions, ServerOptions> configure = options => options with
        {
            Smtp = new SmtpOptions { Host = "127.0.0.1", Port = sink.Port, Security = SmtpSecurity.None, From = DistributionServer.Sender },
            Configuration = new Dictionary<string, string?> { ["Surveys:DispatchIntervalSeconds"] = "3600", ["Surveys:DispatchBatchSize"] = "10" },
        };
        await using var first = await TestServer.StartAsync(kind, configure, target);
        await using var second = await TestServer.StartAsync(kind, configure, target);
        const int count = 120;
        var records = Enumerable.Range(0, count).Select(i => $$$"""{"id": "{{{i}}}", "email": "c{{{i}}}@example.com", "consent": {"surveys": true}}""");
        await DistributionServer.AddCustomersAsync(first, "[" + string.Join(",", records) + "]");
        var survey = await SurveysApiTests.CreateAsync(first, SurveyFixtures.Nps);
        var customers = Enumerable.Range(0, count).Select(i => $$"""{"email": "c{{i}}@example.com"}""");
        Assert.All(await DistributionServer.InviteAsync(first, survey, "email", "[" + string.Join(",", customers) + "]"), i => Assert.Equal("pending", i.GetProperty("status").GetString()));

        var passes = await Task.WhenAll(Dispatcher(first).RunOnceAsync(), Dispatcher(second).RunOnceAsync());

        Assert.Equal(count, passes.Sum(p => p.Sent));
        Assert.Equal(count, sink.Messages.Count);
        Assert.Equal(count, sink.Messages.Select(SurveyMailLinks.InvitationIdOf).Distinct().Count());
        Assert.All(await DistributionServer.InvitationsAsync(first, survey), i => Assert.Equal("sent", i.GetProperty("status").GetString()));
    }

    private static InvitationDispatcher Dispatcher(TestServer server) => server.Service<InvitationDispatcher>();

    private static async Task<int> AttemptsAsync(TestServer server, long id)
    {
        await using var connection = await server.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT attempts FROM survey_invitations WHERE id = @id", new { id });
    }

    /// <summary>A loopback port nothing listens on: connecting is refused at once.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
