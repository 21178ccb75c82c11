using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Text;

/// <summary>
/// <c>GET /api/v1/text/experiential</c> and <c>/api/v1/brand/values|gap</c> on both databases, against counts worked out
/// by hand from comments whose modules and descriptive words are plain.
/// </summary>
public sealed class ExperienceApiTests
{
    private static async Task SignalAsync(TestServer server, string touchpoint, string text) =>
        await server.PostJsonAsync("/api/v1/signals", JsonSerializer.Serialize(new { source = "social", touchpoint, text }), server.Admin);

    private static async Task<TestServer> SeedAsync(DatabaseKind kind)
    {
        var server = await TextServer.StartAsync(kind);
        await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new { key = "shop", name = "Shop", channel = "shop" });
        await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new { key = "app", name = "App", channel = "app" });
        await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new { key = "hotline", name = "Hotline", channel = "phone" });
        // Shop: two comments about the place (sense), one of them also about queueing (act).
        await SignalAsync(server, "shop", "The store was clean and bright.");
        await SignalAsync(server, "shop", "The shop was crowded and I had to queue.");
        // App: simple (confirms "simple") twice, once "not complicated" (confirms too), one feeling.
        await SignalAsync(server, "app", "The app is so simple, I topped up in two taps.");
        await SignalAsync(server, "app", "Simple and clear app.");
        await SignalAsync(server, "app", "Not complicated at all, I love it.");
        // Hotline: the network is unreliable (contradicts "reliable") twice, "not reliable" once; one reliable.
        await SignalAsync(server, "hotline", "Unreliable network, third outage this week.");
        await SignalAsync(server, "hotline", "The connection is unreliable and nobody could explain why.");
        await SignalAsync(server, "hotline", "Internet not reliable at all.");
        await SignalAsync(server, "hotline", "Reliable line since the repair.");
        await server.AnalyseAsync();
        return server;
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Experiential_ByTouchpointAndChannel_CountsSharesAndSentiment_FromTheRollup(DatabaseKind kind)
    {
        await using var server = await SeedAsync(kind);
        var view = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/text/experiential?by=touchpoint");
        Assert.Equal(9, view.GetProperty("comments").GetInt64());
        var shop = view.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == "shop");
        Assert.Equal(2, shop.GetProperty("comments").GetInt64());
        var sense = shop.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("module").GetString() == "sense");
        Assert.Equal(2, sense.GetProperty("count").GetInt64());
        Assert.Equal(1.0, sense.GetProperty("share").GetDouble());
        Assert.Equal("Sinne", sense.GetProperty("names").GetProperty("de").GetString());
        var act = shop.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("module").GetString() == "act");
        Assert.Equal(1, act.GetProperty("count").GetInt64());
        Assert.Equal(0.5, act.GetProperty("share").GetDouble());
        Assert.Equal(5, shop.GetProperty("modules").GetArrayLength());

        // The mean sentiment of a module is that of its comments, as stored.
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            var stored = (await connection.QueryAsync<double>(
                "SELECT a.sentiment FROM text_analyses a JOIN signals s ON s.id = a.item_id AND a.item_kind = 'signal' JOIN touchpoints t ON t.id = s.touchpoint_id WHERE t.key = 'shop'")).ToList();
            Assert.Equal(Math.Round(stored.Average(), 4), sense.GetProperty("meanSentiment").GetDouble(), 3);
        }

        var channels = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/text/experiential?by=channel");
        Assert.Equal(4, channels.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == "phone").GetProperty("comments").GetInt64());
        var none = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/text/experiential?by=none&touchpoint=app");
        Assert.Equal(3, Assert.Single(none.GetProperty("groups").EnumerateArray()).GetProperty("comments").GetInt64());
        var future = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/text/experiential?from={DateTimeOffset.UtcNow.AddDays(2):yyyy-MM-dd}");
        Assert.Empty(future.GetProperty("groups").EnumerateArray());

        foreach (var (query, field) in new[] { ("by=colour", "by"), ("touchpoint=nowhere", "touchpoint"), ("kind=emails", "kind"), ("from=yesterday", "from"), ("survey=x", "survey") })
        {
            var refused = await server.Admin.GetAsync($"/api/v1/text/experiential?{query}");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.True(JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _), query);
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Experiential_Rollup_FollowsReanalysisAndErasure_Exactly(DatabaseKind kind)
    {
        await using var server = await SeedAsync(kind);
        async Task<long> Count(string module) => await TextServer.ScalarAsync(server, $"SELECT coalesce(sum(items), 0) FROM text_experience_daily WHERE module = '{module}'");
        Assert.Equal(9, await Count(""));
        Assert.Equal(9, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_experiences"));
        var sense = await Count("sense");

        // Deleting a signal's text path: the analysis is removed, and the item is counted out of every rollup row.
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            var id = await connection.ExecuteScalarAsync<long>("SELECT id FROM signals WHERE text LIKE 'The store%'");
            await using var transaction = await connection.BeginTransactionAsync();
            await OpenCem.Text.Pipeline.TextAnalysisWriter.WriteAsync(connection, transaction, 1, "signal", [], [id], "", 0);
            await transaction.CommitAsync();
        }

        Assert.Equal(8, await Count(""));
        Assert.Equal(sense - 1, await Count("sense"));
        Assert.Equal(8, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_experiences"));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task BrandGap_ConfirmsAndContradictsValues_WithWilsonIntervalAndWhereContradicted(DatabaseKind kind)
    {
        await using var server = await SeedAsync(kind);
        Assert.Empty((await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/brand/values"))!);
        var put = await server.Admin.PutAsJsonAsync("/api/v1/brand/values", new
        {
            values = new object[]
            {
                new { key = "simple", names = new { en = "Simple", de = "Einfach" }, description = "Easy to deal with", words = new[] { "simple", "easy", "einfach" }, opposites = new[] { "complicated", "kompliziert", "fiddly" } },
                new { key = "reliable", names = new { en = "Reliable", de = "Zuverlässig" }, words = new[] { "reliable", "zuverlässig" }, opposites = new[] { "unreliable" } },
            },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var values = await put.Content.ReadFromJsonAsync<JsonElement[]>();
        Assert.Equal(["fiddly"], values![0].GetProperty("untracked").EnumerateArray().Select(w => w.GetString()));

        var gap = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/brand/gap?period=month");
        var simple = gap.GetProperty("values")[0];
        Assert.Equal("simple", simple.GetProperty("key").GetString());
        // "simple" twice affirmed, "complicated" once denied: three confirmations, none against.
        Assert.Equal(3, simple.GetProperty("confirm").GetInt64());
        Assert.Equal(0, simple.GetProperty("contradict").GetInt64());
        Assert.Equal(1.0, simple.GetProperty("perception").GetDouble());
        Assert.Equal(0.0, simple.GetProperty("gap").GetDouble());
        Assert.Equal("app", simple.GetProperty("confirmedMostlyAt").GetProperty("touchpoint").GetString());

        var reliable = gap.GetProperty("values")[1];
        // "unreliable" twice, "not reliable" once against; "reliable" once for: perception (1 − 3) / 4 = −0.5, gap 1.5.
        Assert.Equal(1, reliable.GetProperty("confirm").GetInt64());
        Assert.Equal(3, reliable.GetProperty("contradict").GetInt64());
        Assert.Equal(-0.5, reliable.GetProperty("perception").GetDouble());
        Assert.Equal(1.5, reliable.GetProperty("gap").GetDouble());
        var at = reliable.GetProperty("contradictedMostlyAt");
        Assert.Equal("hotline", at.GetProperty("touchpoint").GetString());
        Assert.Equal(1.0, at.GetProperty("share").GetDouble());
        // Wilson 95 % for 1 of 4: 0.0456 … 0.6994.
        var confirming = reliable.GetProperty("confirming");
        Assert.Equal(0.25, confirming.GetProperty("share").GetDouble());
        Assert.Equal(0.0456, confirming.GetProperty("low").GetDouble(), 3);
        Assert.Equal(0.6994, confirming.GetProperty("high").GetDouble(), 3);
        var trend = Assert.Single(reliable.GetProperty("trend").EnumerateArray());
        Assert.Equal(-0.5, trend.GetProperty("perception").GetDouble());

        var terms = gap.GetProperty("terms").EnumerateArray().ToDictionary(t => t.GetProperty("term").GetString()!);
        Assert.Equal(2, terms["unreliable"].GetProperty("affirmed").GetInt64());
        Assert.Equal(1, terms["complicated"].GetProperty("negated").GetInt64());

        var atApp = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/brand/gap?touchpoint=app");
        Assert.Equal(0, atApp.GetProperty("values")[1].GetProperty("mentions").GetInt64());
        Assert.Equal(JsonValueKind.Null, atApp.GetProperty("values")[1].GetProperty("perception").ValueKind);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task BrandValues_BadInput_422NamingTheField_AndKeepsTheAcceptedValues(DatabaseKind kind)
    {
        await using var server = await TextServer.StartAsync(kind);
        var good = new { values = new[] { new { key = "fair-price", names = new { en = "Fair price", de = "Fairer Preis" }, words = new[] { "fair price" }, opposites = new[] { "rip-off" } } } };
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.PutAsJsonAsync("/api/v1/brand/values", good)).StatusCode);
        var cases = new (string Body, string Field)[]
        {
            ("[]", "values"),
            ("""{"values": 3}""", "values"),
            ("""{"values": [{"key": "Bad Key", "names": {"en": "a", "de": "b"}, "words": ["x"]}]}""", "values[0].key"),
            ("""{"values": [{"key": "a", "names": {"en": "a"}, "words": ["x"]}]}""", "values[0].names.de"),
            ("""{"values": [{"key": "a", "names": {"en": "a", "de": "b"}, "words": []}]}""", "values[0].words"),
            ("""{"values": [{"key": "a", "names": {"en": "a", "de": "b"}, "words": ["x"], "opposites": ["X"]}]}""", "values[0].opposites"),
            ("""{"values": [{"key": "a", "names": {"en": "a", "de": "b"}, "words": ["x"]}, {"key": "a", "names": {"en": "a", "de": "b"}, "words": ["y"]}]}""", "values[1].key"),
            ("""{"values": [{"key": "a", "names": {"en": "a", "de": "b"}, "words": ["x"], "colour": "red"}]}""", "values[0].colour"),
        };
        foreach (var (body, field) in cases)
        {
            var refused = await server.Admin.PutAsync("/api/v1/brand/values", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.True(JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        }

        var malformed = await server.Admin.PutAsync("/api/v1/brand/values", new StringContent("{\"values\": [", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        foreach (var (query, field) in new[] { ("period=year", "period"), ("terms=-1", "terms"), ("terms=abc", "terms"), ("to=2020-01-01&from=2021-01-01", "to") })
        {
            var refused = await server.Admin.GetAsync($"/api/v1/brand/gap?{query}");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.True(JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _), query);
        }

        var kept = await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/brand/values");
        Assert.Equal("fair-price", Assert.Single(kept!).GetProperty("key").GetString());
    }
}
