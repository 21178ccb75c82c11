using System.Text.Json;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Cli;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Analytics.Journeys;

/// <summary><c>opencem report journey</c> and <c>opencem report ladder</c> over a small demo database.</summary>
[Collection(DemoDatabases.SmallCollection)]
public sealed class ReportJourneyCliTests
{
    [Fact]
    public async Task Report_PrintsTheJourneyAndTheLadder_OrOneLineAboutWhatIsWrong()
    {
        var db = (await DemoDatabases.CopyAsync(DatabaseKind.Sqlite, DemoDatabases.Small)).Target.ConnectionString;

        var json = await CliProcess.RunAsync("report", "journey", DemoCompany.FaultRepair, "--db", db, "--json");
        Assert.True(json.ExitCode == 0, json.Error);
        using var view = JsonDocument.Parse(json.Output);
        Assert.Equal(DemoCompany.FaultRepair, view.RootElement.GetProperty("journey").GetString());
        Assert.Equal(4, view.RootElement.GetProperty("stages").GetArrayLength());
        Assert.True(view.RootElement.GetProperty("instances").GetInt64() > 0);

        var table = await CliProcess.RunAsync("report", "journey", DemoCompany.FaultRepair, "--db", db, "--filter", "channel:phone");
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("Emotion curve", table.Output, StringComparison.Ordinal);
        Assert.Contains("channel:phone", table.Output, StringComparison.Ordinal);

        var ladder = await CliProcess.RunAsync("report", "ladder", "--interval", "quarter", "--db", db);
        Assert.True(ladder.ExitCode == 0, ladder.Error);
        Assert.Contains("2025-Q1", ladder.Output, StringComparison.Ordinal);
        Assert.Contains("advocate", ladder.Output, StringComparison.Ordinal);

        var unknown = await CliProcess.RunAsync("report", "journey", "nope", "--db", db);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("There is no journey with the id or key \"nope\"", unknown.Error, StringComparison.Ordinal);
        var badFilter = await CliProcess.RunAsync("report", "journey", DemoCompany.FaultRepair, "--db", db, "--filter", "colour:red");
        Assert.Equal(1, badFilter.ExitCode);
        Assert.Contains("--filter", badFilter.Error, StringComparison.Ordinal);
        var badInterval = await CliProcess.RunAsync("report", "ladder", "--interval", "fortnight", "--db", db);
        Assert.Equal(1, badInterval.ExitCode);
        Assert.Contains("--interval", badInterval.Error, StringComparison.Ordinal);
    }
}
