using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenCem.Tests.Text;

/// <summary>The demo arrives analysed, and the themes endpoint finds the planted truth 7.</summary>
[Collection(DemoDatabases.LargeCollection)]
public sealed class DemoThemesTruthTests(ITestOutputHelper output)
{
    private static readonly DemoOptions Options = DemoDatabases.Large;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Demo_FaultRepairSurvey_WaitingTimeIsTheStrongestDetractorTheme(DatabaseKind kind)
    {
        _ = DemoTruths.DetractorsComplainAboutWaiting;
        var target = (await DemoDatabases.CopyAsync(kind, Options)).Target;
        await using (var database = new Database(target))
        {
            await using var connection = await database.OpenAsync();
            // Every comment and signal was analysed by the loader.
            Assert.Equal(
                await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM survey_responses WHERE comment IS NOT NULL AND status = 'completed'"),
                await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM text_analyses WHERE item_kind = 'response'"));
            Assert.Equal(
                await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM signals"),
                await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM text_analyses WHERE item_kind = 'signal'"));
        }

        await using var server = await TestServer.StartAsync(kind, target);
        var surveys = await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/surveys");
        var repair = surveys!.Single(s => s.GetProperty("name").GetString() == "Fault repair (CSAT)").GetProperty("id").GetInt64();
        var view = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/text/themes?survey={repair}");
        var themes = view.GetProperty("themes").EnumerateArray().ToList();
        foreach (var theme in themes.Take(5))
        {
            output.WriteLine($"{theme.GetProperty("key").GetString()}: volume {theme.GetProperty("volume")}, csat {theme.GetProperty("csat")}");
        }

        Assert.Equal("csatImpact", view.GetProperty("sortedBy").GetString());
        var waiting = themes[0];
        Assert.Equal("waiting-time", waiting.GetProperty("key").GetString());
        // Comments about waiting come with a clearly lower CSAT than the others: the whole interval lies below zero.
        var difference = waiting.GetProperty("csat").GetProperty("difference");
        Assert.True(difference.GetProperty("ciHigh").GetDouble() < 0, difference.ToString());
        Assert.True(waiting.GetProperty("csat").GetProperty("impact").GetDouble() < themes[1].GetProperty("csat").GetProperty("impact").GetDouble());
    }
}
