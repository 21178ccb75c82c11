using System.Text.Json;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Cli;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Analytics.Drivers;

/// <summary><c>opencem report drivers</c> and <c>report disconfirmation</c> against a loaded demo database.</summary>
[Collection(DemoDatabases.SmallCollection)]
public sealed class ReportDriversCliTests
{
    [Fact]
    public async Task ReportDriversAndDisconfirmation_DemoDatabase_PrintTablesJsonAndClearErrors()
    {
        var target = (await DemoDatabases.CopyAsync(DatabaseKind.Sqlite, DemoDatabases.Small)).Target;

        var db = target.ConnectionString;
        var survey = DemoSurveys.Get(DemoSurveys.RelationshipNps).Name;
        var (code, output, error) = await CliProcess.RunAsync("report", "drivers", "--survey", survey, "--outcome", "nps", "--samples", "100", "--db", db);
        Assert.True(code == 0, error);
        Assert.Contains("easeRepair", output, StringComparison.Ordinal);
        Assert.Contains("R² =", output, StringComparison.Ordinal);
        Assert.Contains("fix first", output, StringComparison.Ordinal);
        Assert.Contains("keep up", output, StringComparison.Ordinal);

        var (jsonCode, json, _) = await CliProcess.RunAsync("report", "drivers", "--survey", survey, "--outcome", "nps", "--drivers", "easeRepair,easeBilling", "--samples", "50", "--json", "--db", db);
        Assert.Equal(0, jsonCode);
        var report = JsonDocument.Parse(json).RootElement;
        Assert.Equal(2, report.GetProperty("drivers").GetArrayLength());
        Assert.Equal(100, report.GetProperty("drivers").EnumerateArray().Sum(d => d.GetProperty("share").GetDouble()), 0.05);

        var (badCode, _, badError) = await CliProcess.RunAsync("report", "drivers", "--survey", survey, "--outcome", "comment", "--db", db);
        Assert.Equal(1, badCode);
        Assert.Contains("outcome:", badError, StringComparison.Ordinal);
        var (unknownCode, _, unknownError) = await CliProcess.RunAsync("report", "drivers", "--survey", "No such survey", "--outcome", "nps", "--db", db);
        Assert.Equal(1, unknownCode);
        Assert.Contains("No survey", unknownError, StringComparison.Ordinal);

        var (gapCode, gaps, gapError) = await CliProcess.RunAsync("report", "disconfirmation", "--survey", DemoSurveys.Get(DemoSurveys.Expectations).Name, "--db", db);
        Assert.True(gapCode == 0, gapError);
        Assert.True(gaps.Contains("repair-speed", StringComparison.Ordinal), gaps);
        Assert.Contains("missed", gaps, StringComparison.Ordinal);
    }
}
