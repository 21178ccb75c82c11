using OpenCem.Tests.Feedback;

namespace OpenCem.Tests.Cli;

/// <summary><c>opencem surveys import</c> with a file as SurveyJS Creator saves it.</summary>
public sealed class SurveysCliTests
{
    [Fact]
    public async Task Import_CreatesTheSurvey_OrListsEveryProblemAndCreatesNothing()
    {
        var folder = Directory.CreateTempSubdirectory("opencem-surveys-").FullName;
        var db = Path.Combine(folder, "cem.db");
        var good = Path.Combine(folder, "nps.json");
        await File.WriteAllTextAsync(good, SurveyFixtures.Nps);
        var bad = Path.Combine(folder, "bad.json");
        await File.WriteAllTextAsync(bad, """{"elements": [{"type": "signaturepad", "name": "sig"}, {"type": "rating", "name": "r", "rateStep": 2}]}""");

        var created = await CliProcess.RunAsync("surveys", "import", good, "--db", db);
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains("Created survey 1 \"How are we doing?\": 3 questions on 2 page(s), roles nps, verbatim, languages de, en.", created.Output, StringComparison.Ordinal);

        var refused = await CliProcess.RunAsync("surveys", "import", bad, "--name", "Bad", "--db", db);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("'signaturepad' is not supported", refused.Error, StringComparison.Ordinal);
        Assert.Contains("rateStep: only steps of 1", refused.Error, StringComparison.Ordinal);

        var listed = await CliProcess.RunAsync("surveys", "list", "--db", db);
        Assert.Contains("How are we doing?", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Bad", listed.Output, StringComparison.Ordinal);
    }
}
