using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenCem.Analytics.Disconfirmation;
using OpenCem.Analytics.Statistics;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Analytics.Drivers;

/// <summary>Expectation versus experience: the paired-t gap, and the endpoint on both databases.</summary>
public sealed class DisconfirmationTests
{
    private const string Survey = """
        {"title": "Expectations", "elements": [
          {"type": "rating", "name": "expectSpeed", "role": "expectation", "attribute": "speed", "rateMin": 1, "rateMax": 7, "title": "Fast service"},
          {"type": "rating", "name": "expectPrice", "role": "expectation", "attribute": "price", "rateMin": 1, "rateMax": 7, "title": "Fair prices"},
          {"type": "rating", "name": "expectApp", "role": "expectation", "attribute": "app", "rateMin": 1, "rateMax": 7, "title": "An easy app"},
          {"type": "rating", "name": "speed", "role": "experience", "attribute": "speed", "rateMin": 1, "rateMax": 7, "title": "Our speed"},
          {"type": "rating", "name": "price", "role": "experience", "attribute": "price", "rateMin": 1, "rateMax": 7, "title": "Our prices"},
          {"type": "rating", "name": "app", "role": "experience", "attribute": "app", "rateMin": 1, "rateMax": 7, "title": "Our app"}
        ]}
        """;

    [Theory]
    [InlineData(0.975, 1, 12.7062047)]
    [InlineData(0.95, 9, 2.262157163)]
    [InlineData(0.95, 29, 2.045229642)]
    [InlineData(0.95, 1000, 1.962339081)]
    [InlineData(0.90, 4, 2.131846786)]
    public void Critical_MatchesTables(double confidence, double df, double expected)
    {
        var twoSided = confidence == 0.975 ? 0.95 : confidence;
        Assert.Equal(expected, StudentT.Critical(twoSided, df), 6);
    }

    [Fact]
    public void Analyse_HandComputedPairs_GiveTheGapAndItsPairedTInterval()
    {
        // Differences −1, −1, −2, −2, −1 (the sixth respondent skipped the expectation): mean −1.4, variance 1.2 / 4 = 0.3,
        // half-width t(0.975; 4) · √0.3 / √5.
        double[] expectation = [5, 6, 7, 6, 5, double.NaN];
        double[] experience = [4, 5, 5, 4, 4, 3];
        var gap = DisconfirmationAnalysis.Analyse(new AttributePair("a", "A", "e", "x"), expectation, experience, minimumN: 3);
        var half = 2.776445105 * Math.Sqrt(0.3) / Math.Sqrt(5);

        Assert.Equal(5, gap.N);
        Assert.Equal(5.8, gap.Expectation);
        Assert.Equal(4.4, gap.Experience);
        Assert.Equal(-1.4, gap.Gap);
        Assert.Equal(-1.4 - half, gap.CiLow!.Value, 3);
        Assert.Equal(-1.4 + half, gap.CiHigh!.Value, 3);
        Assert.True(gap.Significant);
        Assert.True(gap.Missed);
        Assert.False(gap.LowN);

        var flagged = DisconfirmationAnalysis.Analyse(new AttributePair("a", "A", "e", "x"), expectation, experience, minimumN: 30);
        Assert.True(flagged.LowN);
        Assert.False(flagged.Significant);
        Assert.False(flagged.Missed);
        Assert.NotNull(flagged.CiLow);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Disconfirmation_ImportedResponses_SortsAttributesByGapWithIntervalsAndFlags(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await AnalyticsServer.CreateSurveyAsync(server, Survey);
        // speed: expected 6, experienced 4 (missed); price: 5 and 5 ± 1 (no gap); app: expected 4, experienced 5; app answered by 20 only.
        var csv = new StringBuilder("responseId,channel,expectSpeed,speed,expectPrice,price,expectApp,app\n");
        for (var i = 0; i < 60; i++)
        {
            var wobble = (i % 3) - 1;
            var appCells = i < 20 ? $"{4 + wobble},{5 + wobble}" : ",";
            csv.Append(CultureInfo.InvariantCulture, $"r{i},{(i % 2 == 0 ? "web" : "app")},{6 + wobble},{4 + ((i % 2) - (i % 3 == 0 ? 1 : 0))},5,{5 + wobble},{appCells}\n");
        }

        await AnalyticsServer.ImportAsync(server, id, csv.ToString(), 60);
        var result = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/disconfirmation?survey={id}");
        Assert.Equal(60, result.GetProperty("responses").GetInt64());
        Assert.Equal(30, result.GetProperty("minimumN").GetInt32());
        var attributes = result.GetProperty("attributes").EnumerateArray().ToList();
        Assert.Equal(["speed", "price", "app"], attributes.Select(a => a.GetProperty("attribute").GetString()));
        var speed = attributes[0];
        Assert.Equal(60, speed.GetProperty("n").GetInt64());
        Assert.True(speed.GetProperty("gap").GetDouble() < -1.5);
        Assert.True(speed.GetProperty("significant").GetBoolean());
        Assert.True(speed.GetProperty("missed").GetBoolean());
        Assert.True(speed.GetProperty("ciHigh").GetDouble() < 0);
        var price = attributes[1];
        Assert.Equal(0, price.GetProperty("gap").GetDouble(), 6);
        Assert.False(price.GetProperty("significant").GetBoolean());
        var app = attributes[2];
        Assert.Equal(20, app.GetProperty("n").GetInt64());
        Assert.Equal(1, app.GetProperty("gap").GetDouble(), 6);
        Assert.True(app.GetProperty("lowN").GetBoolean());
        Assert.False(app.GetProperty("significant").GetBoolean());

        var lower = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/disconfirmation?survey={id}&minN=10&filter=channel:web");
        var webApp = lower.GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("attribute").GetString() == "app");
        Assert.Equal(10, webApp.GetProperty("n").GetInt64());
        Assert.False(webApp.GetProperty("lowN").GetBoolean());

        var plain = await AnalyticsServer.CreateSurveyAsync(server, """{"elements": [{"type": "rating", "name": "nps", "rateMin": 0, "rateMax": 10}]}""");
        await AnalyticsServer.ProblemAsync(server, $"/api/v1/analytics/disconfirmation?survey={plain}", HttpStatusCode.UnprocessableEntity, "survey");
        await AnalyticsServer.ProblemAsync(server, "/api/v1/analytics/disconfirmation", HttpStatusCode.BadRequest, "survey");
        await AnalyticsServer.ProblemAsync(server, $"/api/v1/analytics/disconfirmation?survey={id}&minN=0", HttpStatusCode.BadRequest, "minN");
    }
}
