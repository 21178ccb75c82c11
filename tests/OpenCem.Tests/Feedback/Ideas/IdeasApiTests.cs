using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Feedback.Distribution;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Feedback.Ideas;

/// <summary>The ideas API on both databases: votes once per customer, status moves, the shipped e-mail and event, comments, moderation, lead users.</summary>
public sealed class IdeasApiTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Votes_ConcurrentDoubleVotes_CountOncePerCustomer(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var anna = await IdeaTestData.CustomerAsync(server, "anna@example.com");
        var ben = await IdeaTestData.CustomerAsync(server, "ben@example.com");
        var idea = (await IdeaTestData.CreateIdeaAsync(server, anna, "Pause TV in summer", "Let me pause my TV package while I am away.")).GetProperty("id").GetInt64();

        // Twenty clicks by Anna and ten by Ben at once.
        var clicks = Enumerable.Range(0, 30).Select(i => IdeaTestData.VoteAsync(server, idea, i % 3 == 2 ? ben : anna)).ToList();
        var answers = await Task.WhenAll(clicks);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var changed = 0;
        foreach (var answer in answers)
        {
            changed += (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean() ? 1 : 0;
        }

        Assert.Equal(2, changed);
        Assert.Equal(2, (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/ideas/{idea}")).GetProperty("votes").GetInt64());

        // The database itself refuses a second row for the same customer and idea.
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM idea_votes WHERE idea_id = @idea", new { idea }));
            await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync(
                "INSERT INTO idea_votes (workspace_id, idea_id, customer_id, created_at) SELECT workspace_id, id, @anna, 0 FROM ideas WHERE id = @idea", new { anna, idea }));
        }

        // Taking a vote back twice takes it once; voting again counts again.
        var unvotes = await Task.WhenAll(server.Admin.DeleteAsync($"/api/v1/ideas/{idea}/votes/{anna}"), server.Admin.DeleteAsync($"/api/v1/ideas/{idea}/votes/{anna}"));
        Assert.All(unvotes, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/ideas/{idea}")).GetProperty("votes").GetInt64());
        Assert.Equal(2, (await (await IdeaTestData.VoteAsync(server, idea, anna)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("votes").GetInt64());

        // Bad input is named, never a 500.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await IdeaTestData.VoteAsync(server, idea, 987654)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await IdeaTestData.VoteAsync(server, 987654, anna)).StatusCode);
        var missing = await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{idea}/votes", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Contains("customerId", await missing.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Status_InvalidMovesRefused_DoneEmailsAuthorAndVotersInTheirLanguage_AndEmitsIdeaShipped(DatabaseKind kind)
    {
        await using var sink = new SmtpSink();
        await using var server = await TestServer.StartAsync(kind, options => options with
        {
            Smtp = new SmtpOptions { Host = "127.0.0.1", Port = sink.Port, Security = SmtpSecurity.None, From = "ideas@example.com" },
        });
        var author = await IdeaTestData.CustomerAsync(server, "autorin@example.com", "de");
        var voter = await IdeaTestData.CustomerAsync(server, "voter@example.com", "en");
        var refusing = await IdeaTestData.CustomerAsync(server, "no-mail@example.com", "en", """{"email": false}""");
        var unreachable = await IdeaTestData.CustomerAsync(server, null);
        var idea = (await IdeaTestData.CreateIdeaAsync(server, author, "Rechnung als PDF in der App", "Ich möchte meine Rechnung in der App als PDF sehen.", "de"))
            .GetProperty("id").GetInt64();
        foreach (var customer in new[] { voter, refusing, unreachable })
        {
            Assert.Equal(HttpStatusCode.OK, (await IdeaTestData.VoteAsync(server, idea, customer)).StatusCode);
        }

        var refused = await IdeaTestData.MoveAsync(server, idea, "done");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["planned", "declined"], problem.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await IdeaTestData.MoveAsync(server, idea, "shipped")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await IdeaTestData.MoveAsync(server, idea, "planned", "Wir bauen das im Frühjahr.")).StatusCode);
        var shipped = await IdeaTestData.MoveAsync(server, idea, "done", "Die Rechnung liegt jetzt in der App.");
        Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        var result = await shipped.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("done", result.GetProperty("idea").GetProperty("status").GetString());
        Assert.Equal("Die Rechnung liegt jetzt in der App.", result.GetProperty("idea").GetProperty("answer").GetString());
        Assert.Equal([author, voter], result.GetProperty("notified").EnumerateArray().Select(n => n.GetInt64()).Order());
        var skipped = result.GetProperty("skipped").EnumerateArray().ToDictionary(s => s.GetProperty("customerId").GetInt64(), s => s.GetProperty("reason").GetString()!);
        Assert.Contains("refused", skipped[refusing]);
        Assert.Contains("no e-mail address", skipped[unreachable]);

        // The two e-mails arrive through the SMTP sink, each in its reader's language.
        var mails = await sink.WaitForAsync(2, TimeSpan.FromSeconds(60));
        var german = Assert.Single(mails, m => m.Recipients.Contains("autorin@example.com"));
        Assert.Equal("Umgesetzt: Rechnung als PDF in der App", german.Message.Subject);
        Assert.Contains("Die Rechnung liegt jetzt in der App.", german.Message.TextBody);
        var english = Assert.Single(mails, m => m.Recipients.Contains("voter@example.com"));
        Assert.Equal("Shipped: Rechnung als PDF in der App", english.Message.Subject);
        Assert.Contains($"/ideas/{idea}", english.Message.TextBody);
        Assert.DoesNotContain(sink.Messages, m => m.Recipients.Contains("no-mail@example.com"));

        // One idea.shipped event in the outbox for webhooks and rules; a shipped idea takes no more votes or moves.
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            var payload = await connection.QuerySingleAsync<string>("SELECT payload FROM events WHERE type = 'idea.shipped' AND subject_id = @idea", new { idea });
            Assert.Equal(2, JsonDocument.Parse(payload).RootElement.GetProperty("notified").GetInt32());
        }

        Assert.Equal(HttpStatusCode.Conflict, (await IdeaTestData.VoteAsync(server, idea, voter)).StatusCode);
        var again = await IdeaTestData.MoveAsync(server, idea, "declined");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("allowed: none", await again.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Ideas_CarryThemesAndCases_CommentsAndModeration_FiltersValidated(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var customer = await IdeaTestData.CustomerAsync(server, "c@example.com");
        var idea = await IdeaTestData.CreateIdeaAsync(server, customer, "Better wifi coverage", "The internet connection drops every evening and the wifi coverage upstairs is poor.");
        var id = idea.GetProperty("id").GetInt64();
        Assert.Contains("network", idea.GetProperty("themes").EnumerateArray().Select(t => t.GetString()));
        Assert.True(idea.GetProperty("sentiment").GetDouble() < 0);
        Assert.Equal("published", idea.GetProperty("moderation").GetString());
        Assert.Equal(customer, idea.GetProperty("customerId").GetInt64());

        var byTheme = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ideas?theme=network");
        Assert.Equal(id, Assert.Single(byTheme.EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Empty((await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ideas?theme=billing")).EnumerateArray());
        var badStatus = await server.Admin.GetAsync("/api/v1/ideas?status=shipped");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badStatus.StatusCode);
        Assert.Contains("status", await badStatus.Content.ReadAsStringAsync());
        var noTitle = await server.Admin.PostAsJsonAsync("/api/v1/ideas", new { customerId = customer, body = "x" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noTitle.StatusCode);
        Assert.Contains("title", await noTitle.Content.ReadAsStringAsync());
        var broken = await server.Admin.PostAsync("/api/v1/ideas", new StringContent("{\"title\": ", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);

        // Linking a case: an unknown one is named; a real one is kept; 0 unlinks.
        var unknownCase = await server.Admin.PatchAsJsonAsync($"/api/v1/ideas/{id}", new { caseId = 4711 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownCase.StatusCode);
        Assert.Contains("caseId", await unknownCase.Content.ReadAsStringAsync());
        long caseId;
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            caseId = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO cases (workspace_id, customer_id, title, status, created_at, updated_at)
                SELECT workspace_id, @customer, 'Wifi drops', 'open', 0, 0 FROM ideas WHERE id = @id RETURNING id
                """, new { customer, id });
        }

        var linked = await server.Admin.PatchAsJsonAsync($"/api/v1/ideas/{id}", new { caseId, title = "Better wifi coverage upstairs" });
        Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        var after = await linked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(caseId, after.GetProperty("caseId").GetInt64());
        Assert.Equal("Better wifi coverage upstairs", after.GetProperty("title").GetString());

        // Comments by the customer and by staff; moderation hides and shows.
        Assert.Equal(HttpStatusCode.Created, (await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{id}/comments", new { customerId = customer, body = "Still the same today." })).StatusCode);
        var staff = await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{id}/comments", new { staff = "Network team", body = "We are adding a repeater option." });
        var staffId = (await staff.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var comments = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/ideas/{id}/comments");
        Assert.Equal(["Still the same today.", "We are adding a repeater option."], comments.EnumerateArray().Select(c => c.GetProperty("body").GetString()));
        Assert.Equal("rejected", (await (await server.Admin.PostAsJsonAsync($"/api/v1/ideas/comments/{staffId}/moderation", new { decision = "reject" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("moderation").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{id}/moderation", new { decision = "maybe" })).StatusCode);
        Assert.Equal("rejected", (await (await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{id}/moderation", new { decision = "reject" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("moderation").GetString());
        Assert.Empty((await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ideas?moderation=published")).EnumerateArray());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task LeadUsers_WhoseIdeasAndEarlyVotesShip_ComeFirstWithEvidence(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var lead = await IdeaTestData.CustomerAsync(server, "lead@example.com");
        var follower = await IdeaTestData.CustomerAsync(server, "late@example.com");
        var other = await IdeaTestData.CustomerAsync(server, "other@example.com");
        var own = (await IdeaTestData.CreateIdeaAsync(server, lead, "eSIM for tablets", "Please offer eSIM profiles for tablets.")).GetProperty("id").GetInt64();
        var backed = (await IdeaTestData.CreateIdeaAsync(server, other, "Shop appointments", "Book a time slot in the shop.")).GetProperty("id").GetInt64();
        var backed2 = (await IdeaTestData.CreateIdeaAsync(server, other, "Data rollover", "Unused data moves to next month.")).GetProperty("id").GetInt64();
        var flop = (await IdeaTestData.CreateIdeaAsync(server, other, "Fax support", "Support for fax machines.")).GetProperty("id").GetInt64();
        await IdeaTestData.VoteAsync(server, backed, lead);
        await IdeaTestData.VoteAsync(server, backed2, lead);
        await IdeaTestData.VoteAsync(server, flop, lead);
        foreach (var id in new[] { own, backed, backed2 })
        {
            await IdeaTestData.MoveAsync(server, id, "planned");
        }

        // The follower only votes once the ideas are planned: not early, no evidence.
        await IdeaTestData.VoteAsync(server, backed, follower);
        await IdeaTestData.VoteAsync(server, backed2, follower);
        await IdeaTestData.MoveAsync(server, own, "done");
        await IdeaTestData.MoveAsync(server, backed, "done");
        await IdeaTestData.MoveAsync(server, flop, "declined");

        var users = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ideas/lead-users");
        var first = Assert.Single(users.EnumerateArray());
        Assert.Equal(lead, first.GetProperty("customerId").GetInt64());
        Assert.Equal(3 + 1 + 0.5, first.GetProperty("score").GetDouble());
        Assert.Equal(0.75, first.GetProperty("hitRate").GetDouble());
        Assert.Equal(3, first.GetProperty("evidence").GetArrayLength());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.Admin.GetAsync("/api/v1/ideas/lead-users?minimumSupport=0")).StatusCode);
    }
}
