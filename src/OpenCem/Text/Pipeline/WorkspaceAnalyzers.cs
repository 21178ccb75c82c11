using System.Collections.Concurrent;
using Dapper;
using OpenCem.Storage;
using OpenCem.Text.Analysis;
using OpenCem.Text.Themes;

namespace OpenCem.Text.Pipeline;

/// <summary>
/// The analyser of a workspace and the version tag of what it produces: analyser, taxonomy version and active model.
/// An analysis stored with another tag is stale.
/// </summary>
public sealed record WorkspaceAnalyzer(TextAnalyzer Analyzer, string Version, long TaxonomyVersion, long ModelId);

/// <summary>
/// One shared <see cref="TextAnalyzer"/> per workspace, rebuilt only when its taxonomy or active model changes. Asking
/// costs one small query (the taxonomy counter and the active model's id), so every caller sees a change at once.
/// </summary>
public sealed class WorkspaceAnalyzers(Database database, TaxonomyStore taxonomy)
{
    private readonly ConcurrentDictionary<long, WorkspaceAnalyzer> _analyzers = new();

    public async Task<WorkspaceAnalyzer> GetAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        var (taxonomyVersion, modelId) = await VersionsAsync(workspaceId, cancellationToken);
        if (_analyzers.TryGetValue(workspaceId, out var cached) && cached.TaxonomyVersion == taxonomyVersion && cached.ModelId == modelId && taxonomyVersion > 0)
        {
            return cached;
        }

        var (themes, version) = await taxonomy.SnapshotAsync(workspaceId, cancellationToken);
        var model = modelId == 0 ? null : await ActiveModel.LoadAsync(database, workspaceId, cancellationToken);
        var analyzer = new TextAnalyzer(new ThemeTaxonomy(themes), model);
        var built = new WorkspaceAnalyzer(analyzer, VersionTag(analyzer.Version, version, modelId), version, modelId);
        _analyzers[workspaceId] = built;
        return built;
    }

    /// <summary>What a stored analysis's <c>version</c> says: analyser, taxonomy and model.</summary>
    public static string VersionTag(string analyzerVersion, long taxonomyVersion, long modelId) => $"{analyzerVersion}|t{taxonomyVersion}|m{modelId}";

    private async Task<(long Taxonomy, long Model)> VersionsAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<Versions>(
            """
            SELECT (SELECT value FROM workspace_counters WHERE workspace_id = @workspaceId AND name = @name) AS Taxonomy,
                (SELECT max(id) FROM text_models WHERE workspace_id = @workspaceId AND active = 1) AS Model
            """,
            new { workspaceId, name = TaxonomyStore.VersionCounter });
        return (row.Taxonomy ?? 0, row.Model ?? 0);
    }

    private sealed class Versions
    {
        public long? Taxonomy { get; set; }

        public long? Model { get; set; }
    }
}
