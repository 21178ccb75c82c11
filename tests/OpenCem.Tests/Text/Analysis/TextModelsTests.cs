using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Text.Analysis;
using OpenCem.Text.Training;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Text.Analysis;

/// <summary>Trained models in <c>text_models</c> and the scored comments they learn from, on both databases.</summary>
public sealed class TextModelsTests
{
    /// <summary>Stores scored comments as survey responses: NPS for most, CSAT for every fifth, some without a comment.</summary>
    internal static async Task SeedCommentsAsync(Database database, long workspaceId, IReadOnlyList<TrainingExample> examples)
    {
        await using var connection = await database.OpenAsync();
        var rows = examples.Select((e, i) => new
        {
            workspaceId,
            survey = 1L,
            nps = i % 5 == 4 ? (int?)null : e.Label switch { "negative" => 3, "neutral" => 7, _ => 10 },
            csat = i % 5 == 4 ? e.Label switch { "negative" => 1, "neutral" => 3, _ => 5 } : (int?)null,
            comment = e.Text,
            at = 1_700_000_000_000L + i,
        });
        await connection.ExecuteAsync(
            """
            INSERT INTO survey_responses (workspace_id, survey_id, source, status, answers, nps, csat, comment, language, submitted_at, created_at, updated_at)
            VALUES (@workspaceId, @survey, 'api', 'completed', '{}', @nps, @csat, @comment, 'en', @at, @at, @at)
            """, rows);
        await connection.ExecuteAsync(
            "INSERT INTO survey_responses (workspace_id, survey_id, source, status, answers, nps, comment, submitted_at, created_at, updated_at) VALUES (@workspaceId, 1, 'api', 'completed', '{}', 9, NULL, 1, 1, 1)",
            new { workspaceId });
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task SaveAndLoadActive_KeepsOneActiveModelPerWorkspace(DatabaseKind kind)
    {
        await using var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        var other = await new WorkspaceStore(database).CreateAsync("other", "Other");
        Assert.Null(await TextModels.LoadActiveAsync(database, workspace.Id, CancellationToken.None));

        var examples = TrainedSentimentTests.CompanyComments(300, 9);
        await SeedCommentsAsync(database, workspace.Id, examples);
        var scored = await TextModels.ScoredCommentsAsync(database, workspace.Id, CancellationToken.None);
        Assert.Equal(examples.Select(e => (e.Text, e.Label)), scored.Select(e => (e.Text, e.Label)));
        Assert.All(scored, e => Assert.Equal("en", e.Language));
        Assert.Empty(await TextModels.ScoredCommentsAsync(database, other.Id, CancellationToken.None));

        var result = SentimentTrainer.TrainAndEvaluate(scored);
        var first = await TextModels.SaveAsync(database, workspace.Id, result.Model, result, activate: true, 1, CancellationToken.None);
        var inactive = await TextModels.SaveAsync(database, workspace.Id, SentimentTrainer.Fit(examples.Take(100).ToList()), null, activate: false, 2, CancellationToken.None);
        var loaded = await TextModels.LoadActiveAsync(database, workspace.Id, CancellationToken.None);
        Assert.Equal(result.Model.Fingerprint, loaded!.Fingerprint);
        Assert.Null(await TextModels.LoadActiveAsync(database, other.Id, CancellationToken.None));

        var second = SentimentTrainer.Fit(examples.Skip(100).ToList());
        await TextModels.SaveAsync(database, workspace.Id, second, null, activate: true, 3, CancellationToken.None);
        Assert.Equal(second.Fingerprint, (await TextModels.LoadActiveAsync(database, workspace.Id, CancellationToken.None))!.Fingerprint);

        var stored = await TextModels.ListAsync(database, workspace.Id, CancellationToken.None);
        Assert.Equal(3, stored.Count);
        Assert.Equal([false, false, true], stored.Select(s => s.Active));
        Assert.Equal([first, inactive], stored.Take(2).Select(s => s.Id));
        Assert.Contains("\"macroF1\"", stored[0].Evaluation, StringComparison.Ordinal);
        Assert.StartsWith(TextAnalyzer.RulesVersion, stored[0].Version, StringComparison.Ordinal);
    }
}
