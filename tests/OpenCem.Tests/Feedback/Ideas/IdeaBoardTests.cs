using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Feedback.Ideas;

/// <summary>
/// The public board through HTTP on both databases: anonymous reading, the personal link and its cookie, posting with
/// anti-forgery, spam held for moderation, votes, German pages, and the rate limit's 429.
/// </summary>
public sealed class IdeaBoardTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Board_AnonymousReads_CustomerByLinkPostsAndVotes_SpamIsHeld(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var customer = await IdeaTestData.CustomerAsync(server, "eva@example.com", "de");
        var seeded = (await IdeaTestData.CreateIdeaAsync(server, null, "Paperless contracts", "Sign contract changes online.")).GetProperty("id").GetInt64();

        // Anonymous: reads, cannot write, strict headers.
        using var anonymous = new BoardClient(server, "en-GB");
        var list = await anonymous.GetAsync("/ideas");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("default-src 'none'", list.Headers.GetValues("Content-Security-Policy").Single().Split(';')[0]);
        var html = await list.Content.ReadAsStringAsync();
        Assert.Contains("Paperless contracts", html);
        Assert.Contains("<html lang=\"en\"", html);
        Assert.DoesNotContain("method=\"post\"", html);
        Assert.DoesNotContain("<script", html);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync("/ideas/new")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/ideas/join/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).StatusCode);

        // The personal link: German because the customer's profile says so, with forms.
        using var eva = new BoardClient(server, "en-GB");
        await eva.JoinAsync(await IdeaTestData.BoardLinkAsync(server, customer));
        var board = await eva.PageAsync("/ideas");
        Assert.Contains("<html lang=\"de\"", board);
        Assert.Contains("Ideen unserer Kunden", board);
        Assert.Contains("Dafür stimmen", board);
        Assert.Contains("<html lang=\"en\"", await eva.PageAsync("/ideas?lang=en"));

        // Posting without the anti-forgery token is refused; with it, the idea is published.
        var forged = await eva.PostAsync("/ideas/new", "/ideas", new() { ["title"] = "Family data pool", ["body"] = "Share one data volume in the family." }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var empty = await eva.PostAsync("/ideas/new", "/ideas", new() { ["title"] = "", ["body"] = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Contains("aria-invalid=\"true\"", await empty.Content.ReadAsStringAsync());
        var posted = await eva.PostAsync("/ideas/new", "/ideas", new() { ["title"] = "Family data pool", ["body"] = "Share one data volume in the family." });
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        Assert.Matches(@"^/ideas/\d+\?lang=de&notice=posted$", posted.Headers.Location!.OriginalString);
        Assert.Contains("Family data pool", await anonymous.PageAsync("/ideas"));

        // A vote, then the same vote again (a double submit): one vote; then taken back.
        var vote = await eva.PostAsync("/ideas", $"/ideas/{seeded}/vote", new() { ["back"] = "list" });
        Assert.Equal(HttpStatusCode.SeeOther, vote.StatusCode);
        await eva.PostAsync("/ideas", $"/ideas/{seeded}/vote", new() { ["back"] = "list" });
        Assert.Equal(1, (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/ideas/{seeded}")).GetProperty("votes").GetInt64());
        Assert.Contains("Stimme zurückziehen", await eva.PageAsync($"/ideas/{seeded}"));
        await eva.PostAsync($"/ideas/{seeded}", $"/ideas/{seeded}/unvote", new() { ["back"] = "idea" });
        Assert.Equal(0, (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/ideas/{seeded}")).GetProperty("votes").GetInt64());

        // Shouting with a link is held: not on the board, in the moderation queue, published once approved.
        var spam = await eva.PostAsync("/ideas/new", "/ideas", new() { ["title"] = "BEST DEALS EVER", ["body"] = "VISIT WWW.CHEAP-PHONES.COM FOR THE BEST DEALS" });
        Assert.Equal(HttpStatusCode.SeeOther, spam.StatusCode);
        Assert.EndsWith("notice=held", spam.Headers.Location!.OriginalString);
        Assert.DoesNotContain("BEST DEALS EVER", await anonymous.PageAsync("/ideas"));
        var held = Assert.Single((await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ideas?moderation=held")).EnumerateArray());
        Assert.Equal(["links", "all-caps"], held.GetProperty("spamReasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/ideas/{held.GetProperty("id").GetInt64()}")).StatusCode);
        await server.Admin.PostAsJsonAsync($"/api/v1/ideas/{held.GetProperty("id").GetInt64()}/moderation", new { decision = "approve" });
        Assert.Contains("BEST DEALS EVER", await anonymous.PageAsync("/ideas"));

        // A comment through the form; an anonymous post is refused.
        var comment = await eva.PostAsync($"/ideas/{seeded}", $"/ideas/{seeded}/comments", new() { ["body"] = "Gerne auch per App." });
        Assert.Equal(HttpStatusCode.SeeOther, comment.StatusCode);
        Assert.Contains("Gerne auch per App.", await anonymous.PageAsync($"/ideas/{seeded}"));
        var sneaky = await new HttpClient { BaseAddress = server.BaseAddress }.PostAsync($"/ideas/{seeded}/vote", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.Forbidden, sneaky.StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Board_TooManyWritesByOneCustomer_Answers429WithRetryAfter(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind, options => options with
        {
            Configuration = new Dictionary<string, string?> { ["Ideas:PerCustomer"] = "4", ["Ideas:WindowSeconds"] = "600" },
        });
        var customer = await IdeaTestData.CustomerAsync(server, "fast@example.com");
        var idea = (await IdeaTestData.CreateIdeaAsync(server, null, "Night tariff", "Cheaper data at night.")).GetProperty("id").GetInt64();
        using var client = new BoardClient(server);
        await client.JoinAsync(await IdeaTestData.BoardLinkAsync(server, customer));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 6; i++)
        {
            last = await client.PostAsync("/ideas", $"/ideas/{idea}/{(i % 2 == 0 ? "vote" : "unvote")}", new() { ["back"] = "list" });
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.SeeOther, HttpStatusCode.SeeOther, HttpStatusCode.SeeOther, HttpStatusCode.SeeOther, (HttpStatusCode)429, (HttpStatusCode)429], statuses);
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
        Assert.Contains("Too many requests", await last.Content.ReadAsStringAsync());

        // Reading stays open, and another customer is not limited by this one.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ideas")).StatusCode);
        using var other = new BoardClient(server);
        await other.JoinAsync(await IdeaTestData.BoardLinkAsync(server, await IdeaTestData.CustomerAsync(server, "slow@example.com")));
        Assert.Equal(HttpStatusCode.SeeOther, (await other.PostAsync("/ideas", $"/ideas/{idea}/vote", new() { ["back"] = "list" })).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Board_ManyCustomersFromOneAddress_ShareTheAddressWindow(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind, options => options with
        {
            Configuration = new Dictionary<string, string?> { ["Ideas:PerCustomer"] = "100", ["Ideas:PerAddress"] = "3" },
        });
        var idea = (await IdeaTestData.CreateIdeaAsync(server, null, "Night tariff", "Cheaper data at night.")).GetProperty("id").GetInt64();
        using var first = new BoardClient(server);
        await first.JoinAsync(await IdeaTestData.BoardLinkAsync(server, await IdeaTestData.CustomerAsync(server, "one@example.com")));
        using var second = new BoardClient(server);
        await second.JoinAsync(await IdeaTestData.BoardLinkAsync(server, await IdeaTestData.CustomerAsync(server, "two@example.com")));

        Assert.Equal(HttpStatusCode.SeeOther, (await first.PostAsync("/ideas", $"/ideas/{idea}/vote", new() { ["back"] = "list" })).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await first.PostAsync("/ideas", $"/ideas/{idea}/unvote", new() { ["back"] = "list" })).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await second.PostAsync("/ideas", $"/ideas/{idea}/vote", new() { ["back"] = "list" })).StatusCode);
        var limited = await second.PostAsync("/ideas", $"/ideas/{idea}/unvote", new() { ["back"] = "list" });
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);

        // The tracking and management APIs are not counted against the board's address window.
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.GetAsync($"/api/v1/ideas/{idea}")).StatusCode);
    }
}
