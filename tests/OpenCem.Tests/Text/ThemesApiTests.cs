using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Text;

/// <summary><c>GET /api/v1/text/themes</c> against numbers worked out by hand.</summary>
public sealed class ThemesApiTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Themes_VolumeSentimentAndNpsImpact_AsComputedByHand(DatabaseKind kind)
    {
        await using var server = await TextServer.StartAsync(kind);
        var survey = await TextServer.CreateSurveyAsync(server, SurveyFixtures.Nps);
        // Three comments about waiting, scored 2, 4, 6; three without it, scored 6, 8, 10.
        await TextServer.PostResponseAsync(server, survey, """{"nps": 2, "reason": "service", "comment": "I had to wait two days"}""");
        await TextServer.PostResponseAsync(server, survey, """{"nps": 4, "reason": "service", "comment": "Kept on hold forever"}""");
        await TextServer.PostResponseAsync(server, survey, """{"nps": 6, "reason": "service", "comment": "The wait was annoying"}""");
        await TextServer.PostResponseAsync(server, survey, """{"nps": 6, "reason": "price", "comment": "The price is too high"}""");
        await TextServer.PostResponseAsync(server, survey, """{"nps": 8, "comment": "Friendly staff in the shop"}""");
        await TextServer.PostResponseAsync(server, survey, """{"nps": 10, "comment": "Great network coverage"}""");
        await TextServer.PostResponseAsync(server, survey, """{"nps": 9}""");
        await server.PostJsonAsync("/api/v1/signals", """{"source": "social", "text": "Waiting in the hotline queue again"}""", server.Admin);
        await server.AnalyseAsync();

        var view = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/text/themes?survey={survey}");
        Assert.Equal(6, view.GetProperty("comments").GetInt64());
        Assert.Equal("npsImpact", view.GetProperty("sortedBy").GetString());
        var waiting = view.GetProperty("themes")[0];
        Assert.Equal("waiting-time", waiting.GetProperty("key").GetString());
        Assert.Equal("Wartezeit", waiting.GetProperty("names").GetProperty("de").GetString());
        Assert.Equal(JsonValueKind.Null, waiting.GetProperty("parent").ValueKind);
        Assert.Equal(3, waiting.GetProperty("volume").GetInt64());
        Assert.Equal(0.5, waiting.GetProperty("share").GetDouble());
        var nps = waiting.GetProperty("nps");
        // With: 2, 4, 6 → mean 4, all detractors → NPS −100. Without: 6, 8, 10 → mean 8, one promoter and one detractor → NPS 0.
        Assert.Equal(3, nps.GetProperty("with").GetProperty("n").GetInt64());
        Assert.Equal(4, nps.GetProperty("with").GetProperty("mean").GetDouble());
        Assert.Equal(-100, nps.GetProperty("with").GetProperty("score").GetDouble());
        Assert.Equal(8, nps.GetProperty("without").GetProperty("mean").GetDouble());
        Assert.Equal(0, nps.GetProperty("without").GetProperty("score").GetDouble());
        // Welch: both variances 4, n 3 → SE = sqrt(4/3 + 4/3) = 1.63299, df = 4, t(0.975, 4) = 2.776445 → ±4.5338.
        var difference = nps.GetProperty("difference");
        Assert.Equal(-4, difference.GetProperty("value").GetDouble());
        Assert.Equal(-8.53, difference.GetProperty("ciLow").GetDouble());
        Assert.Equal(0.53, difference.GetProperty("ciHigh").GetDouble());
        Assert.Equal(4, difference.GetProperty("degreesOfFreedom").GetDouble());
        // All six: 1 promoter, 4 detractors → NPS −50; without waiting 0; the theme costs 50 points.
        Assert.Equal(-50, view.GetProperty("nps").GetProperty("score").GetDouble());
        Assert.Equal(-50, nps.GetProperty("impact").GetDouble());
        // The price comment (6) alone: NPS −100 against 2 of 5 others... impact = −50 − (−40) = −10; the positive themes follow.
        var price = view.GetProperty("themes").EnumerateArray().Single(t => t.GetProperty("key").GetString() == "price");
        Assert.Equal(-10, price.GetProperty("nps").GetProperty("impact").GetDouble());
        Assert.Equal(JsonValueKind.Null, price.GetProperty("nps").GetProperty("difference").ValueKind);
        var impacts = view.GetProperty("themes").EnumerateArray().Select(t => t.GetProperty("nps").GetProperty("impact").GetDouble()).ToList();
        Assert.Equal(impacts.Order(), impacts);

        // Without a survey the signal counts too (no score); a period without comments has none.
        var all = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/text/themes");
        Assert.Equal(7, all.GetProperty("comments").GetInt64());
        Assert.Equal(4, all.GetProperty("themes").EnumerateArray().Single(t => t.GetProperty("key").GetString() == "waiting-time").GetProperty("volume").GetInt64());
        var signals = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/text/themes?kind=signals");
        Assert.Equal(1, signals.GetProperty("comments").GetInt64());
        var future = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/text/themes?from={DateTimeOffset.UtcNow.AddDays(2):yyyy-MM-dd}");
        Assert.Equal(0, future.GetProperty("comments").GetInt64());
        Assert.Empty(future.GetProperty("themes").EnumerateArray());

        foreach (var (query, field) in new[] { ("survey=abc", "survey"), ("touchpoint=nowhere", "touchpoint"), ("kind=emails", "kind"), ("from=yesterday", "from") })
        {
            var refused = await server.Admin.GetAsync($"/api/v1/text/themes?{query}");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.True(JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _), query);
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Themes_SuggestsFrequentPhrasesOfUnmatchedComments_WithExamples(DatabaseKind kind)
    {
        await using var server = await TextServer.StartAsync(kind);
        var survey = await TextServer.CreateSurveyAsync(server, SurveyFixtures.Nps);
        string[] comments = ["The fax machine jams at night", "fax machine jams, annoying", "My fax machine jams!", "Die Kaffeemaschine tropft",
            "Kaffeemaschine tropft, nervig", "Wieder: Kaffeemaschine tropft", "All fine"];
        foreach (var comment in comments)
        {
            await TextServer.PostResponseAsync(server, survey, $$"""{"nps": 9, "comment": "{{comment}}"}""");
        }

        await server.AnalyseAsync();
        var suggestions = await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/text/themes/suggestions");
        var english = suggestions!.Single(s => s.GetProperty("phrase").GetString() == "fax machine jams");
        Assert.Equal("en", english.GetProperty("language").GetString());
        Assert.Equal(3, english.GetProperty("count").GetInt64());
        Assert.Contains("jams", english.GetProperty("examples")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(suggestions!, s => s.GetProperty("phrase").GetString() == "kaffeemaschine tropft");
        var view = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/text/themes");
        Assert.Equal(suggestions!.Length, view.GetProperty("suggested").GetArrayLength());
    }
}
