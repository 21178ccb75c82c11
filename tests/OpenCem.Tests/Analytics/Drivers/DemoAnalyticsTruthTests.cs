using System.Net.Http.Json;
using System.Text.Json;
using OpenCem.Analytics.Drivers;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Demo;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenCem.Tests.Analytics.Drivers;

/// <summary>The demo company's planted truths 1 and 9 come out of the drivers and disconfirmation analyses.</summary>
public sealed class DemoAnalyticsTruthTests(ITestOutputHelper output)
{
    private static readonly string[] EaseQuestions = ["easeRepair", "easeBilling", "easeApp", "easeService"];

    [Fact]
    public void FaultRepairEase_IsTheStrongestDriverOfRelationshipNps_InTheGeneratedSample()
    {
        var rows = new List<double>();
        foreach (var response in DemoSample.Responses.Where(r => r.Survey == DemoSurveys.RelationshipNps))
        {
            var answers = JsonDocument.Parse(response.AnswersJson).RootElement;
            if (EaseQuestions.All(q => answers.TryGetProperty(q, out _)))
            {
                rows.Add(answers.GetProperty("nps").GetDouble());
                rows.AddRange(EaseQuestions.Select(q => answers.GetProperty(q).GetDouble()));
            }
        }

        var result = DriverAnalysis.Analyse(
            rows.ToArray(), rows.Count / 5, new DriverColumn("nps", "NPS", 0, 10), EaseQuestions.Select(q => new DriverColumn(q, q, 1, 7)).ToList(), new DriverOptions(200));
        output.WriteLine($"n = {result.N}, R² = {result.R2:F3}: " + string.Join(", ", result.Drivers.Select(d => $"{d.Question} {d.Share:F1} % [{d.ShareCiLow:F1}, {d.ShareCiHigh:F1}]")));
        AssertRepairFirstWithAClearMargin(result.Drivers.Select(d => (d.Question, d.Share, d.ShareCiLow, d.ShareCiHigh)).ToList());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task LoadedDemo_DriversEndpointRanksFaultRepairFirst_AndDisconfirmationFindsRepairSpeedMissed(DatabaseKind kind)
    {
        var target = (await DemoDatabases.CopyAsync(kind, new DemoOptions(Customers: 600, Seed: 11, AsOf: DemoSample.AsOf))).Target;

        await using var server = await TestServer.StartAsync(kind, target);
        var surveys = await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/surveys");
        long Id(string name) => surveys!.Single(s => s.GetProperty("name").GetString() == DemoSurveys.Get(name).Name).GetProperty("id").GetInt64();

        // Truth 1: the default drivers of the relationship survey are its four ease ratings.
        var drivers = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/drivers?survey={Id(DemoSurveys.RelationshipNps)}&outcome=nps");
        var rows = drivers.GetProperty("drivers").EnumerateArray()
            .Select(d => (d.GetProperty("question").GetString()!, d.GetProperty("share").GetDouble(), d.GetProperty("shareCiLow").GetDouble(), d.GetProperty("shareCiHigh").GetDouble())).ToList();
        output.WriteLine($"{kind}: n = {drivers.GetProperty("n")}, R² = {drivers.GetProperty("r2")}: " + string.Join(", ", rows.Select(r => $"{r.Item1} {r.Item2:F1} %")));
        Assert.Equal(EaseQuestions.Order(), rows.Select(r => r.Item1).Order());
        AssertRepairFirstWithAClearMargin(rows);
        Assert.Contains(drivers.GetProperty("drivers")[0].GetProperty("quadrant").GetString(), new[] { DriverQuadrants.FixFirst, DriverQuadrants.KeepUp });

        // A profile trait filter keeps the respondents on the broadband plan only.
        var broadband = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/drivers?survey={Id(DemoSurveys.RelationshipNps)}&outcome=nps&samples=50&filter=trait.plan:broadband");
        Assert.InRange(broadband.GetProperty("n").GetInt64(), 10, drivers.GetProperty("n").GetInt64() - 1);

        // Truth 9: repair speed falls furthest short of expectations (significantly), app usability is the only positive gap.
        var gaps = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/disconfirmation?survey={Id(DemoSurveys.Expectations)}");
        var attributes = gaps.GetProperty("attributes").EnumerateArray().ToList();
        output.WriteLine($"{kind}: " + string.Join(", ", attributes.Select(a => $"{a.GetProperty("attribute")} {a.GetProperty("gap")} (n={a.GetProperty("n")})")));
        Assert.Equal("repair-speed", attributes[0].GetProperty("attribute").GetString());
        Assert.True(attributes[0].GetProperty("missed").GetBoolean());
        Assert.Equal("app-usability", attributes[^1].GetProperty("attribute").GetString());
        Assert.Single(attributes, a => a.GetProperty("gap").GetDouble() > 0);
    }

    private static void AssertRepairFirstWithAClearMargin(IReadOnlyList<(string Question, double Share, double Low, double High)> drivers)
    {
        var first = drivers.MaxBy(d => d.Share);
        var second = drivers.Where(d => d.Question != first.Question).MaxBy(d => d.Share);
        Assert.Equal("easeRepair", first.Question);
        Assert.True(first.Share >= 2 * second.Share, $"{first.Share:F1} % against {second.Share:F1} %");
        Assert.True(first.Low > second.High, $"intervals overlap: [{first.Low:F1}, …] and […, {second.High:F1}]");
    }
}
