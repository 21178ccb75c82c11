using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Text.Analysis;

namespace OpenCem.Text.Training;

/// <summary>A stored model: when it was made, whether it is in use, and how it did on held-out comments.</summary>
public sealed record StoredTextModel(long Id, string Version, bool Active, long CreatedAt, string Evaluation);

/// <summary>
/// The workspace's trained sentiment models in <c>text_models</c>: at most one active; the analyser of the workspace
/// uses the active one (blended with the lexicon by the model itself), and the built-in rules when there is none.
/// </summary>
public static class TextModels
{
    /// <summary>The active model of the workspace, or null (the built-in analyser then works alone).</summary>
    public static async Task<TrainedSentiment?> LoadActiveAsync(Database database, long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var model = await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT model FROM text_models WHERE workspace_id = @workspaceId AND active = 1 ORDER BY id DESC LIMIT 1",
            new { workspaceId }, cancellationToken: cancellationToken));
        return model is null ? null : TrainedSentiment.FromBytes(Convert.FromBase64String(model));
    }

    /// <summary>Stores a model with its evaluation; when <paramref name="activate"/>, it replaces the active one.</summary>
    public static async Task<long> SaveAsync(Database database, long workspaceId, TrainedSentiment model, TrainingResult? evaluation, bool activate, long now, CancellationToken cancellationToken)
    {
        var json = evaluation is null ? "{}" : JsonSerializer.Serialize(new
        {
            trainCount = evaluation.TrainCount,
            testCount = evaluation.TestCount,
            builtIn = new { accuracy = evaluation.BuiltIn.Accuracy, macroF1 = evaluation.BuiltIn.MacroF1 },
            trained = new { accuracy = evaluation.Trained.Accuracy, macroF1 = evaluation.Trained.MacroF1 },
        });
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (activate)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE text_models SET active = 0 WHERE workspace_id = @workspaceId AND active = 1", new { workspaceId }, transaction, cancellationToken: cancellationToken));
        }

        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO text_models (workspace_id, version, model, evaluation, active, created_at)
            VALUES (@workspaceId, @version, @model, @evaluation, @active, @now) RETURNING id
            """,
            new { workspaceId, version = $"{TextAnalyzer.RulesVersion};model={model.Fingerprint}", model = Convert.ToBase64String(model.ToBytes()), evaluation = json, active = activate ? 1 : 0, now },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    public static async Task<IReadOnlyList<StoredTextModel>> ListAsync(Database database, long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ModelRow>(new CommandDefinition(
            "SELECT id AS Id, version AS Version, active AS Active, created_at AS CreatedAt, evaluation AS Evaluation FROM text_models WHERE workspace_id = @workspaceId ORDER BY id",
            new { workspaceId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new StoredTextModel(r.Id, r.Version, r.Active != 0, r.CreatedAt, r.Evaluation))];
    }

    /// <summary>The workspace's survey comments that came with an NPS or CSAT score, labelled by it (NPS first).</summary>
    public static async Task<IReadOnlyList<TrainingExample>> ScoredCommentsAsync(Database database, long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CommentRow>(new CommandDefinition(
            """
            SELECT comment AS Comment, nps AS Nps, csat AS Csat, language AS Language FROM survey_responses
            WHERE workspace_id = @workspaceId AND comment IS NOT NULL AND comment <> '' AND (nps IS NOT NULL OR csat IS NOT NULL)
            ORDER BY id
            """,
            new { workspaceId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new TrainingExample(
            r.Comment!,
            r.Nps is { } nps ? WeakLabels.FromNps((int)nps) : WeakLabels.FromCsat((int)r.Csat!.Value),
            r.Language is "en" or "de" ? r.Language : null))];
    }

    private sealed class ModelRow
    {
        public long Id { get; set; }

        public string Version { get; set; } = "";

        public long Active { get; set; }

        public long CreatedAt { get; set; }

        public string Evaluation { get; set; } = "";
    }

    private sealed class CommentRow
    {
        public string? Comment { get; set; }

        public long? Nps { get; set; }

        public long? Csat { get; set; }

        public string? Language { get; set; }
    }
}
