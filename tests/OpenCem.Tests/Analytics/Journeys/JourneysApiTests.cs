using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCem.Analytics.Journeys;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Analytics.Journeys;

/// <summary>The journey endpoint against a brute-force recount from raw interactions, before and after new (and late) interactions arrive.</summary>
public sealed class JourneysApiTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static async Task<JourneyAnalyticsView> GetAsync(TestServer server, string query)
    {
        var response = await server.Admin.GetAsync("/api/v1/analytics/journeys/" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JourneyAnalyticsView>(Web))!;
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Journey_EqualsABruteForceRecount_AndMovesWithNewAndLateInteractions(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind, o => o with { Configuration = JourneyFixture.Configuration });
        var fixture = new JourneyFixture(server);
        await fixture.SetUpAsync();
        var start = DateTimeOffset.UtcNow.AddDays(-200);
        await fixture.SendWalksAsync(seed: 1, customers: 40, start);
        await fixture.AddFeedbackAsync(start.AddDays(10));
        var projector = server.Service<JourneyProjector>();
        Assert.True(await projector.RunOnceAsync() > 0);
        var gap = server.Service<JourneyOptions>().Gap;

        var all = new JourneyQueryOptions(null, null, [], Top: 100, MinN: 5);
        var before = await GetAsync(server, "repair?top=100&minN=5");
        Assert.Equal(JourneyFixture.Describe(await fixture.BruteForceAsync(all, gap)), JourneyFixture.Describe(before));
        Assert.Contains(before.Paths, p => p.Loops);
        Assert.Contains(before.Paths, p => p.Skips);
        Assert.All(before.Stages, s => Assert.True(s.Entered >= s.Converted + s.DropOff && s.InProgress >= 0));
        Assert.Contains(before.Stages, s => s.InProgress > 0);
        Assert.NotNull(before.MomentOfPain);
        Assert.True(before.Emotion.Single(e => e.Stage == "visit").SentimentN > 0);

        // New customers, more walks of the same customers (some earlier than what was stored: late events), then a recount.
        await fixture.SendWalksAsync(seed: 2, customers: 60, start.AddDays(-30));
        Assert.True(await projector.RunOnceAsync() > 0);
        var after = await GetAsync(server, "repair?top=100&minN=5");
        Assert.Equal(JourneyFixture.Describe(await fixture.BruteForceAsync(all, gap)), JourneyFixture.Describe(after));
        Assert.True(after.Instances > before.Instances);
        Assert.True(after.Stages[0].Entered > before.Stages[0].Entered);

        // A pass with nothing new changes nothing.
        Assert.Equal(0, await projector.RunOnceAsync());
        Assert.Equal(JourneyFixture.Describe(after), JourneyFixture.Describe(await GetAsync(server, "repair?top=100&minN=5")));

        // Period, channel and trait filters (the trait filter reads instances, the others the rollups).
        var from = start.AddDays(5);
        var to = start.AddDays(60);
        foreach (var (query, options) in new[]
        {
            ($"repair?top=100&minN=5&from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}", all with { From = from, To = to }),
            ("repair?top=100&minN=5&filter=channel:app", all with { Filters = [new AnalyticsFilter("channel", "app")] }),
            ("repair?top=100&minN=5&filter=trait.plan:gold", all with { Filters = [new AnalyticsFilter("trait.plan", "gold")] }),
            ("repair?top=100&minN=5&filter=trait.plan:gold&filter=channel:phone", all with { Filters = [new AnalyticsFilter("trait.plan", "gold"), new AnalyticsFilter("channel", "phone")] }),
        })
        {
            var view = await GetAsync(server, query);
            Assert.Equal(JourneyFixture.Describe(await fixture.BruteForceAsync(options, gap)), JourneyFixture.Describe(view));
            Assert.True(view.Instances > 0 && view.Instances < after.Instances, query);
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Journey_ByNumericIdAndBadInput_AnswersOr404Or400NamingTheField(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind, o => o with { Configuration = JourneyFixture.Configuration });
        await new JourneyFixture(server).SetUpAsync();
        var journeys = await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/journeys");
        Assert.NotNull(journeys);
        var byKey = await GetAsync(server, "repair");
        Assert.Equal(0, byKey.Instances);
        Assert.Equal(["reported", "diagnosis", "visit", "resolved"], byKey.Stages.Select(s => s.Stage));

        await AssertProblemAsync(server, "/api/v1/analytics/journeys/nope", HttpStatusCode.NotFound, "id");
        await AssertProblemAsync(server, "/api/v1/analytics/journeys/987654", HttpStatusCode.NotFound, "id");
        await AssertProblemAsync(server, "/api/v1/analytics/journeys/repair?filter=plan", HttpStatusCode.BadRequest, "filter");
        await AssertProblemAsync(server, "/api/v1/analytics/journeys/repair?filter=colour:red", HttpStatusCode.BadRequest, "filter");
        await AssertProblemAsync(server, "/api/v1/analytics/journeys/repair?from=yesterday", HttpStatusCode.BadRequest, "from");
        await AssertProblemAsync(server, "/api/v1/analytics/journeys/repair?from=2025-02-01&to=2025-01-01", HttpStatusCode.BadRequest, "to");
        await AssertProblemAsync(server, "/api/v1/analytics/journeys/repair?top=0", HttpStatusCode.BadRequest, "top");
        await AssertProblemAsync(server, "/api/v1/analytics/ladder?interval=fortnight", HttpStatusCode.BadRequest, "interval");
        await AssertProblemAsync(server, "/api/v1/analytics/ladder?by=plan", HttpStatusCode.BadRequest, "by");
    }

    internal static async Task AssertProblemAsync(TestServer server, string path, HttpStatusCode status, string field)
    {
        var response = await server.Admin.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }
}
