using Dapper;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Cli;

/// <summary><c>opencem import responses</c>, run as a user runs it.</summary>
public sealed class ImportResponsesCliTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ImportResponses_WithMap_StoresGoodRowsReportsBadOnesByLineAndSkipsThemOnTheSecondRun(DatabaseKind kind)
    {
        var target = await TestDatabases.CreateAsync(kind);
        var db = kind == DatabaseKind.Sqlite ? target.Display : target.ConnectionString;
        var surveyId = await CreateSurveyAsync(target, SurveyFixtures.Nps);
        var folder = Directory.CreateTempSubdirectory("opencem-import-").FullName;
        var crm = Path.Combine(folder, "crm.csv");
        await File.WriteAllTextAsync(crm, "id,email\nK-1,anna@example.com\n");
        Assert.Equal(0, (await CliProcess.RunAsync("import", "customers", crm, "--source", "crm", "--db", db)).ExitCode);

        var file = Path.Combine(folder, "umfrage.csv");
        await File.WriteAllTextAsync(file, """
            Antwort-ID,Kunde E-Mail,Datum,Empfehlung,Grund,Kommentar
            A-1,anna@example.com,2024-02-01T08:00:00Z,10,,Sehr gut
            A-2,neu@example.com,2024-02-01T09:00:00Z,4,price,
            A-3,,2024-02-02T09:00:00Z,8,,
            A-4,kaputt,2024-02-02T09:00:00Z,9,,
            A-5,x@example.com,2024-02-02T09:00:00Z,12,,
            A-6,,2024-02-03T09:00:00Z,9,,
            """);
        const string Map = "Antwort-ID=responseId,Kunde E-Mail=email,Datum=submittedAt,Empfehlung=nps,Grund=reason,Kommentar=comment";

        var imported = await CliProcess.RunAsync("import", "responses", file, "--survey", surveyId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--map", Map, "--db", db);
        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("Read 6 responses from umfrage.csv", imported.Output);
        Assert.Contains("4 stored, 0 duplicates, 2 rejected", imported.Output);
        Assert.Contains("1 linked to existing profiles, 1 new profiles created, 2 anonymous responses", imported.Output);
        Assert.Contains("line 5 (responseId A-4): email: 'kaputt' is not an e-mail address", imported.Error);
        Assert.Contains("line 6 (responseId A-5): nps: must be a whole number from 0 to 10; 12 is not", imported.Error);

        var again = await CliProcess.RunAsync("import", "responses", file, "--survey", surveyId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--map", Map, "--db", db);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("0 stored, 4 duplicates, 2 rejected", again.Output);

        await using var database = new Database(target);
        await using var connection = await database.OpenAsync();
        // Scores 10, 4, 8, 9: 2 promoters, 1 detractor of 4.
        var (n, promoters, detractors) = await connection.QuerySingleAsync<(long, long, long)>("SELECT sum(nps_n), sum(promoters), sum(detractors) FROM survey_daily");
        Assert.Equal((4L, 2L, 1L), (n, promoters, detractors));
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM survey_responses WHERE source = 'import'"));
        var anna = await connection.ExecuteScalarAsync<long>("SELECT customer_id FROM source_records WHERE record_key = 'K-1'");
        Assert.Equal(anna, await connection.ExecuteScalarAsync<long>("SELECT customer_id FROM survey_responses WHERE external_id = 'A-1'"));
    }

    [Fact]
    public async Task ImportResponses_FailsWithAMessage_OnUnknownColumnsMapTargetsSurveysOrWhenNothingCanBeRead()
    {
        var target = await TestDatabases.CreateAsync(DatabaseKind.Sqlite);
        var db = target.Display;
        var survey = (await CreateSurveyAsync(target, SurveyFixtures.Nps)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var folder = Directory.CreateTempSubdirectory("opencem-import-").FullName;
        var file = Path.Combine(folder, "responses.csv");

        await File.WriteAllTextAsync(file, "userId,nps,colour\nu-1,9,red\n");
        var unknown = await CliProcess.RunAsync("import", "responses", file, "--survey", survey, "--db", db);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("column 'colour' is neither a question", unknown.Error);

        await File.WriteAllTextAsync(file, "userId,Score\nu-1,9\n");
        var badMap = await CliProcess.RunAsync("import", "responses", file, "--survey", survey, "--map", "Score=nsp", "--db", db);
        Assert.Equal(1, badMap.ExitCode);
        Assert.Contains("'nsp' is not a question of survey", badMap.Error);

        await File.WriteAllTextAsync(file, "userId,nps\nu-1,99\n");
        var nothing = await CliProcess.RunAsync("import", "responses", file, "--survey", survey, "--db", db);
        Assert.Equal(1, nothing.ExitCode);
        Assert.Contains("line 2: nps: must be a whole number from 0 to 10", nothing.Error);
        Assert.Contains("No response could be read", nothing.Error);

        var noSurvey = await CliProcess.RunAsync("import", "responses", file, "--survey", "999", "--db", db);
        Assert.Equal(1, noSurvey.ExitCode);
        Assert.Contains("has no survey 999", noSurvey.Error);

        var missing = await CliProcess.RunAsync("import", "responses", Path.Combine(folder, "none.csv"), "--survey", survey, "--db", db);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);
    }

    private static async Task<long> CreateSurveyAsync(DatabaseTarget target, string definition)
    {
        await using var database = new Database(target);
        await SchemaMigrator.MigrateAsync(database);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        return await new SurveyStore(database, TimeProvider.System)
            .CreateAsync(workspace.Id, "Imported", SurveyDefinitionParser.Parse(definition), definition, SurveySettings.Default);
    }
}
