using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenCem.Analytics.Drivers;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Analytics.Drivers;

/// <summary><c>GET /api/v1/analytics/drivers</c> over imported responses, on both databases.</summary>
public sealed class DriversApiTests
{
    private const string Survey = """
        {"title": "Service", "elements": [
          {"type": "rating", "name": "overall", "role": "overall", "rateMin": 0, "rateMax": 10, "title": "Overall"},
          {"type": "rating", "name": "speed", "role": "driver", "rateMin": 1, "rateMax": 5, "title": "Speed"},
          {"type": "rating", "name": "friendliness", "role": "driver", "rateMin": 1, "rateMax": 5, "title": "Friendliness"},
          {"type": "text", "inputType": "number", "name": "value", "title": "Value for money (0-10, decimals)"},
          {"type": "matrix", "name": "attributes", "title": "Rate", "columns": [1, 2, 3, 4, 5],
           "rows": [{"value": "clarity", "text": "clarity"}, {"value": "same", "text": "always 3"}]},
          {"type": "boolean", "name": "recommend", "title": "Would you recommend us?"},
          {"type": "comment", "name": "comment", "title": "Anything else?"}
        ]}
        """;

    private const int Rows = 240;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Drivers_ImportedResponses_GiveTheSameSharesAsThePureAnalysisOfTheCompleteRows(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await AnalyticsServer.CreateSurveyAsync(server, Survey);
        var (csv, complete) = Responses();
        await AnalyticsServer.ImportAsync(server, id, csv, Rows);

        var result = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/drivers?survey={id}&outcome=overall&drivers=speed,friendliness,value,attributes.clarity");
        Assert.Equal(complete.Count, result.GetProperty("n").GetInt64());
        Assert.Equal(Rows, result.GetProperty("responses").GetInt64());
        Assert.Equal("shapley", result.GetProperty("method").GetString());
        Assert.Equal(500, result.GetProperty("samples").GetInt32());
        var drivers = result.GetProperty("drivers").EnumerateArray().ToList();
        Assert.Equal(100, drivers.Sum(d => d.GetProperty("share").GetDouble()), 0.05);
        Assert.Equal("speed", drivers[0].GetProperty("question").GetString());
        Assert.All(drivers, d => Assert.InRange(d.GetProperty("share").GetDouble(), d.GetProperty("shareCiLow").GetDouble(), d.GetProperty("shareCiHigh").GetDouble()));

        // The same rows through the pure analysis: the endpoint read exactly the complete responses, decimals and matrix rows included.
        var p = 5;
        var data = complete.SelectMany(r => r).ToArray();
        var columns = new[] { new DriverColumn("speed", "Speed", 1, 5), new DriverColumn("friendliness", "Friendliness", 1, 5), new DriverColumn("value", "Value", null, null), new DriverColumn("attributes.clarity", "Rate clarity", 1, 5) };
        var expected = DriverAnalysis.Analyse(data, data.Length / p, new DriverColumn("overall", "Overall", 0, 10), columns, new DriverOptions());
        Assert.Equal(expected.R2, result.GetProperty("r2").GetDouble(), 6);
        foreach (var driver in expected.Drivers)
        {
            var actual = drivers.Single(d => d.GetProperty("question").GetString() == driver.Question);
            Assert.Equal(driver.Share, actual.GetProperty("share").GetDouble(), 6);
            Assert.Equal(driver.ShareCiLow, actual.GetProperty("shareCiLow").GetDouble(), 6);
            Assert.Equal(driver.ShareCiHigh, actual.GetProperty("shareCiHigh").GetDouble(), 6);
            Assert.Equal(driver.Performance, actual.GetProperty("performance").GetDouble(), 6);
            Assert.Equal(driver.Quadrant, actual.GetProperty("quadrant").GetString());
        }

        // Reproducible: the same request gives the same intervals.
        var again = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/drivers?survey={id}&outcome=overall&drivers=speed,friendliness,value,attributes.clarity");
        Assert.Equal(result.GetProperty("drivers").ToString(), again.GetProperty("drivers").ToString());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Drivers_FiltersPeriodsYesNoOutcomeAndDefaultDrivers_SelectTheRightResponses(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await AnalyticsServer.CreateSurveyAsync(server, Survey);
        var (csv, _) = Responses();
        await AnalyticsServer.ImportAsync(server, id, csv, Rows);

        // Default drivers: the ratings and matrix rows with role driver (speed, friendliness); every row answers them.
        var all = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/drivers?survey={id}&outcome=overall&samples=50");
        Assert.Equal(["speed", "friendliness"], all.GetProperty("drivers").EnumerateArray().Select(d => d.GetProperty("question").GetString()).Order().Reverse());
        Assert.Equal(Rows, all.GetProperty("n").GetInt64());

        var web = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/drivers?survey={id}&outcome=overall&samples=50&filter=channel:web");
        Assert.Equal(Rows / 2, web.GetProperty("n").GetInt64());
        var either = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/drivers?survey={id}&outcome=overall&samples=50&filter=channel:web&filter=channel:app");
        Assert.Equal(Rows, either.GetProperty("n").GetInt64());
        var webGerman = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/drivers?survey={id}&outcome=overall&samples=50&filter=channel:web&filter=language:de");
        Assert.Equal(Rows / 4, webGerman.GetProperty("n").GetInt64());

        // Rows are a day apart from 2024-01-01: the first 100 days.
        var period = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/drivers?survey={id}&outcome=overall&samples=50&from=2024-01-01&to=2024-04-10");
        Assert.Equal(100, period.GetProperty("n").GetInt64());

        var yesNo = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/drivers?survey={id}&outcome=recommend&drivers=speed,friendliness&samples=50");
        Assert.Equal(Rows, yesNo.GetProperty("n").GetInt64());
        Assert.Equal("speed", yesNo.GetProperty("drivers")[0].GetProperty("question").GetString());
        Assert.Equal(100, yesNo.GetProperty("drivers").EnumerateArray().Sum(d => d.GetProperty("share").GetDouble()), 0.05);

        var weights = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/drivers?survey={id}&outcome=overall&drivers=speed,friendliness&method=relative-weights&samples=50");
        Assert.Equal("relative-weights", weights.GetProperty("method").GetString());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Drivers_BadRequests_AreProblemsNamingTheParameter(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await AnalyticsServer.CreateSurveyAsync(server, Survey);
        var (csv, _) = Responses();
        await AnalyticsServer.ImportAsync(server, id, csv, Rows);
        var empty = await AnalyticsServer.CreateSurveyAsync(server, Survey);
        var path = "/api/v1/analytics/drivers";

        await AnalyticsServer.ProblemAsync(server, $"{path}?outcome=overall", HttpStatusCode.BadRequest, "survey");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey=abc&outcome=overall", HttpStatusCode.BadRequest, "survey");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey=999999&outcome=overall", HttpStatusCode.UnprocessableEntity, "survey");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}", HttpStatusCode.BadRequest, "outcome");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=nothing", HttpStatusCode.UnprocessableEntity, "outcome");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=comment", HttpStatusCode.UnprocessableEntity, "outcome");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&drivers=attributes", HttpStatusCode.UnprocessableEntity, "drivers");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&drivers=attributes.nope", HttpStatusCode.UnprocessableEntity, "drivers");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&drivers=speed,overall", HttpStatusCode.UnprocessableEntity, "drivers");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&drivers=speed,speed", HttpStatusCode.UnprocessableEntity, "drivers");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&drivers=", HttpStatusCode.BadRequest, "drivers");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&drivers=speed,attributes.same", HttpStatusCode.UnprocessableEntity, "drivers");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={empty}&outcome=overall", HttpStatusCode.UnprocessableEntity, "survey");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&filter=channel:web&from=2024-01-01&to=2024-01-07", HttpStatusCode.UnprocessableEntity, "drivers");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&filter=channel:web&from=2024-01-01&to=2024-01-02", HttpStatusCode.UnprocessableEntity, "survey");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&filter=nochannel", HttpStatusCode.BadRequest, "filter");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&filter=weather:sunny", HttpStatusCode.BadRequest, "filter");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&from=yesterday", HttpStatusCode.BadRequest, "from");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&from=2024-02-01&to=2024-01-01", HttpStatusCode.BadRequest, "to");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&samples=1", HttpStatusCode.BadRequest, "samples");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&method=magic", HttpStatusCode.BadRequest, "method");
        await AnalyticsServer.ProblemAsync(server, $"{path}?survey={id}&outcome=overall&filter=trait.plan:x", HttpStatusCode.UnprocessableEntity, "survey");
    }

    /// <summary>
    /// 240 responses a day apart from 2024-01-01, channel web/app and language en/de alternating in blocks: overall follows speed
    /// strongly and friendliness a little; every 6th leaves out value, every 8th the clarity row. Returns the CSV and the complete rows
    /// as (overall, speed, friendliness, value, clarity).
    /// </summary>
    private static (string Csv, List<double[]> Complete) Responses()
    {
        var random = new Random(3);
        var csv = new StringBuilder("responseId,submittedAt,channel,language,overall,speed,friendliness,value,attributes.clarity,attributes.same,recommend\n");
        var complete = new List<double[]>();
        for (var i = 0; i < Rows; i++)
        {
            var speed = random.Next(1, 6);
            var friendliness = random.Next(1, 6);
            var clarity = random.Next(1, 6);
            var value = Math.Round((random.NextDouble() * 10) + (0.3 * speed), 1);
            var overall = Math.Clamp((int)Math.Round((1.8 * speed) + (0.4 * friendliness) + (0.1 * value) + (random.NextDouble() * 2) - 2), 0, 10);
            var valueCell = i % 6 == 0 ? "" : value.ToString(CultureInfo.InvariantCulture);
            var clarityCell = i % 8 == 0 ? "" : clarity.ToString(CultureInfo.InvariantCulture);
            var at = new DateTime(2024, 1, 1, 12, 0, 0, DateTimeKind.Utc).AddDays(i).ToString("O", CultureInfo.InvariantCulture);
            var recommend = overall >= 6 ? "true" : "false";
            csv.Append(CultureInfo.InvariantCulture, $"r{i},{at},{(i % 2 == 0 ? "web" : "app")},{(i % 4 < 2 ? "de" : "en")},{overall},{speed},{friendliness},{valueCell},{clarityCell},3,{recommend}\n");
            if (valueCell.Length > 0 && clarityCell.Length > 0)
            {
                complete.Add([overall, speed, friendliness, value, clarity]);
            }
        }

        return (csv.ToString(), complete);
    }
}
