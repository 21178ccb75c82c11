using System.Text.Json;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Cli;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Organisation;

/// <summary><c>opencem report initiatives</c> over a small demo database.</summary>
[Collection(DemoDatabases.SmallCollection)]
public sealed class InitiativeReportCliTests
{
    [Fact]
    public async Task Report_PrintsEachInitiativesEffect_OrOneLineAboutWhatIsWrong()
    {
        var db = (await DemoDatabases.CopyAsync(DatabaseKind.Sqlite, DemoDatabases.Small)).Target.ConnectionString;

        var table = await CliProcess.RunAsync("report", "initiatives", "--db", db);
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains(DemoInitiatives.HotlineCallback, table.Output, StringComparison.Ordinal);
        Assert.Contains("before 2023-12-04..2024-05-31", table.Output, StringComparison.Ordinal);
        Assert.Contains("not entered realisation", table.Output, StringComparison.Ordinal);

        var json = await CliProcess.RunAsync("report", "initiatives", "--id", "3", "--db", db, "--json");
        Assert.True(json.ExitCode == 0, json.Error);
        using var effects = JsonDocument.Parse(json.Output);
        var inProgress = effects.RootElement.EnumerateArray().Single();
        Assert.Equal(DemoInitiatives.ConfirmedAppointments, inProgress.GetProperty("name").GetString());
        Assert.Equal(2, inProgress.GetProperty("kpis").GetArrayLength());

        var unknown = await CliProcess.RunAsync("report", "initiatives", "--id", "99", "--db", db);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("There is no initiative with the id 99", unknown.Error, StringComparison.Ordinal);
    }
}
