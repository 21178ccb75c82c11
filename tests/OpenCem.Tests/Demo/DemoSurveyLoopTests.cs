using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using OpenCem.Demo;
using OpenCem.Feedback.Distribution;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Demo;

/// <summary>The demo company's closed feedback loop: a fault repair triggers an e-mail, the answer reaches the summary.</summary>
[Collection(DemoDatabases.SmallCollection)]
public sealed class DemoSurveyLoopTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task FaultRepair_TriggersAnInvitation_TheAnswerReachesTheSummary(DatabaseKind kind)
    {
        var target = (await DemoDatabases.CopyAsync(kind, DemoDatabases.Small)).Target;

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sink = new SmtpSink();
        await using var server = await DistributionServer.StartAsync(kind, sink, time, target: target);
        var surveys = await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/surveys");
        var repair = surveys!.Single(s => s.GetProperty("settings").GetProperty("triggers").EnumerateArray()
            .Any(t => t.GetProperty("touchpoint").GetString() == DemoSurveys.FaultRepairTouchpoint)).GetProperty("id").GetInt64();
        var before = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{repair}/summary");
        var scanner = server.Service<SurveyTriggerScanner>();
        await scanner.RunOnceAsync();

        // Demo customers who agreed to surveys and have an e-mail address get their fault fixed today.
        List<string> users;
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            users = (await connection.QueryAsync<string>(
                """
                SELECT i.value FROM customer_identities i JOIN customers c ON c.id = i.customer_id
                WHERE i.kind = 'userId' AND c.traits LIKE '%"surveys":true%' AND c.traits LIKE '%"email":%' ORDER BY i.value LIMIT 40
                """)).ToList();
        }

        Assert.Equal(40, users.Count);
        var now = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        var batch = string.Join(",", users.Select((u, i) =>
            $$"""{"type": "track", "userId": "{{u}}", "event": "Fault Resolved", "messageId": "loop-{{i}}", "timestamp": "{{now}}", "properties": {"touchpoint": "{{DemoSurveys.FaultRepairTouchpoint}}", "outcome": "success"} }"""));
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/v1/batch", $$"""{"batch": [{{batch}}]}""")).StatusCode);

        // The trigger samples 30 % of them; the mails wait for the survey's delay.
        var invited = await scanner.RunOnceAsync();
        Assert.InRange(invited, 4, 24);
        Assert.Equal(0, (await server.Service<InvitationDispatcher>().RunOnceAsync()).Sent);
        time.Advance(TimeSpan.FromMinutes(61));
        // The dispatcher's own pass may take them first (advancing the clock fires its timer); either way they go out once.
        await server.Service<InvitationDispatcher>().RunOnceAsync();
        var mails = await sink.WaitForAsync(1, TimeSpan.FromSeconds(10));
        Assert.All(mails, m => Assert.Single(m.Recipients));

        using (var respondent = new RespondentClient(server))
        {
            var page = await respondent.GetAsync(SurveyMailLinks.LinkOf(mails[0]).ToString());
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var done = await respondent.SubmitAsync(page, "submit", ("csat", "5"), ("ces", "7"), ("comment", "Fixed the same day."));
            Assert.Equal(HttpStatusCode.OK, done.Status);
        }

        var after = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{repair}/summary");
        Assert.Equal(before.GetProperty("n").GetInt64() + 1, after.GetProperty("n").GetInt64());
        Assert.Equal(before.GetProperty("invited").GetInt64() + invited, after.GetProperty("invited").GetInt64() + after.GetProperty("suppressed").GetInt64() - before.GetProperty("suppressed").GetInt64());
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            var stored = await connection.QuerySingleAsync<(long Customer, long Interaction, string Message)>(
                """
                SELECT r.customer_id, r.interaction_id, i.message_id FROM survey_responses r JOIN interactions i ON i.id = r.interaction_id
                WHERE r.survey_id = @repair AND r.comment = 'Fixed the same day.'
                """,
                new { repair });
            Assert.StartsWith("loop-", stored.Message, StringComparison.Ordinal);
            Assert.Equal(stored.Customer, await connection.ExecuteScalarAsync<long>("SELECT customer_id FROM interactions WHERE id = @id", new { id = stored.Interaction }));
        }
    }
}
