using System.Text;
using OpenCem.Storage;
using OpenCem.Tests.Cli;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Value;

/// <summary>A Telco-like CSV imported with <c>opencem import customers</c>, then <c>opencem report churn</c> and <c>report equity</c>.</summary>
public sealed class ChurnCliTests
{
    [Fact]
    public async Task ReportChurn_TelcoCsvImported_PrintsHeldOutAucAndFeatures()
    {
        var target = await TestDatabases.CreateAsync(DatabaseKind.Sqlite);
        var folder = Directory.CreateTempSubdirectory("opencem-churn-").FullName;
        var csv = Path.Combine(folder, "telco.csv");
        var rows = ChurnTelcoTable.Generate(3000, seed: 9);
        var columns = rows[0].Keys.ToList();
        var text = new StringBuilder(string.Join(',', columns)).Append('\n');
        foreach (var row in rows)
        {
            text.Append(string.Join(',', columns.Select(c => row[c].Contains(',', StringComparison.Ordinal) ? $"\"{row[c]}\"" : row[c]))).Append('\n');
        }

        await File.WriteAllTextAsync(csv, text.ToString());
        var imported = await CliProcess.RunAsync("import", "customers", csv, "--source", "telco", "--map", "customerID=id", "--db", target.Display);
        Assert.True(imported.ExitCode == 0, imported.Error);

        var churn = await CliProcess.RunAsync("report", "churn", "--label", "trait:Churn=Yes", "--db", target.Display);
        Assert.True(churn.ExitCode == 0, churn.Error + churn.Output);
        Assert.Contains("held-out AUC 0.", churn.Output);
        Assert.Contains("3,000 scored", churn.Output);
        Assert.Contains("Contract = ", churn.Output);
        Assert.DoesNotContain("Churn = ", churn.Output);

        var equity = await CliProcess.RunAsync("report", "equity", "--segment", "trait.Contract", "--db", target.Display);
        Assert.True(equity.ExitCode == 0, equity.Error);
        Assert.Contains("Month-to-month", equity.Output);
        var bad = await CliProcess.RunAsync("report", "churn", "--label", "churn", "--db", target.Display);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--label", bad.Error);
    }
}
