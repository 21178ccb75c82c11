using System.Net.Http.Json;
using System.Text.Json;
using OpenCem.Analytics.Journeys;
using OpenCem.Analytics.Ladder;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenCem.Tests.Analytics.Journeys;

/// <summary>The demo company's journeys and ladder as the endpoints show them after a demo load (truth 12 and the ladder's rungs).</summary>
[Collection(DemoDatabases.LargeCollection)]
public sealed class JourneyDemoTests(ITestOutputHelper output)
{
    private static readonly DemoOptions Options = DemoDatabases.Large;
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Demo_WaitingForTheTechnicianIsTheMomentOfPain_StageCountsAreConsistent_AndTheLadderHasEveryRung(DatabaseKind kind)
    {
        var demo = await DemoDatabases.CopyAsync(kind, Options);
        output.WriteLine($"{kind}: {demo.Loaded.Interactions:N0} interactions loaded and projected in {demo.Loaded.Elapsed.TotalSeconds:N1} s");
        await using var server = await TestServer.StartAsync(kind, demo.Target);
        var repair = (await server.Admin.GetFromJsonAsync<JourneyAnalyticsView>($"/api/v1/analytics/journeys/{DemoCompany.FaultRepair}", Web))!;
        foreach (var e in repair.Emotion)
        {
            output.WriteLine($"{e.Stage}: emotion {e.Emotion} (score {e.Score}, n {e.ScoreN}; sentiment {e.Sentiment}, n {e.SentimentN})");
        }

        Assert.Equal(DemoSurveys.TechnicianTouchpoint, repair.MomentOfPain);
        var pain = repair.Emotion.Single(e => e.Stage == "technician-visit");
        Assert.False(pain.LowN);
        Assert.All(repair.Emotion.Where(e => e.Stage != pain.Stage && e.Emotion is not null), e => Assert.True(e.Emotion > pain.Emotion, e.Stage));
        Assert.True(repair.Emotion.Single(e => e.Stage == "resolved").Emotion > pain.Emotion + 10);

        foreach (var journey in DemoCompany.Journeys)
        {
            var view = (await server.Admin.GetFromJsonAsync<JourneyAnalyticsView>($"/api/v1/analytics/journeys/{journey.Key}", Web))!;
            output.WriteLine($"{journey.Key}: {view.Instances} instances; " + string.Join("; ", view.Stages.Select(s => $"{s.Stage} {s.Entered}/{s.Converted}/{s.DropOff}")));
            Assert.True(view.Instances > 0, journey.Key);
            Assert.All(view.Stages, s => Assert.True(s.Entered >= s.Converted && s.Entered >= s.Converted + s.DropOff, $"{journey.Key}.{s.Stage}"));
            Assert.True(view.Paths.Sum(p => p.Instances) <= view.Instances);
        }

        // Most fault repairs start with the report and convert to diagnosis; reaching the last stage completes the journey.
        var reported = repair.Stages[0];
        Assert.True(reported.Converted > 0.8 * reported.Entered);
        Assert.Equal(repair.Stages[^1].Entered, repair.Stages[^1].Converted);

        var ladder = (await server.Admin.GetFromJsonAsync<LadderView>("/api/v1/analytics/ladder?interval=quarter", Web))!;
        var last = ladder.Periods.Single(p => p.Period == "2025-Q1"); // the last whole quarter before the demo's end
        output.WriteLine($"{last.Period}: " + string.Join(", ", last.Nps.Concat(last.Ladder).Select(r => $"{r.Key} {r.Value}")));
        Assert.All(Rungs.Nps, r => Assert.True(last.Nps[r] > 0, r));
        Assert.All(Rungs.Behaviour, r => Assert.True(last.Ladder[r] > 0, r));
        Assert.Contains(last.LadderMoves, m => m.From == Rungs.Satisfied && m.To == Rungs.Loyal);
        Assert.Contains(last.LadderMoves, m => m.From == Rungs.Loyal && m.To == Rungs.Advocate);
    }
}
