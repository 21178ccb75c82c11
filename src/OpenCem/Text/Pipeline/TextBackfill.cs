using OpenCem.Storage;
using OpenCem.Text.Insights;
using OpenCem.Text.Themes;

namespace OpenCem.Text.Pipeline;

/// <summary>What a backfill did, per kind, and how long it took.</summary>
public sealed record BackfillResult(IReadOnlyDictionary<string, CatchUpResult> Kinds, int Suggestions, TimeSpan Elapsed);

/// <summary>
/// Analyses everything that is not current in one go, on all cores, for the demo loader and <c>opencem text reanalyze</c>:
/// the same <see cref="TextCatchUp"/> as the worker (so it is idempotent and safe beside a running server), then the
/// theme rollup recounted from the stored analyses and the suggested themes recomputed.
/// </summary>
public sealed class TextBackfill(Database database, TimeProvider time)
{
    public const int BatchSize = 2_000;

    /// <param name="settled">Per kind, the id up to which rows are surely committed (see <see cref="TextCatchUp"/>); the caller's horizon.</param>
    public async Task<BackfillResult> RunAsync(
        long workspaceId, IReadOnlyList<string> kinds, bool force, Func<string, long> settled, IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var catchUp = new TextCatchUp(database, new WorkspaceAnalyzers(database, new TaxonomyStore(database, time)), time);
        var results = new Dictionary<string, CatchUpResult>();
        long before = 0;
        foreach (var kind in kinds)
        {
            var offset = before;
            var kindProgress = progress is null ? null : new SyncProgress(read => progress.Report(offset + read));
            results[kind] = await catchUp.RunAsync(workspaceId, kind, settled(kind), BatchSize, force, parallel: true, kindProgress, cancellationToken);
            before += results[kind].Read;
        }

        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await TextAnalysisWriter.LockAsync(connection, transaction, workspaceId);
            await ThemeRollupStore.RebuildAsync(connection, transaction, workspaceId);
            await transaction.CommitAsync(cancellationToken);
        }

        var suggestions = new ThemeSuggestions(database, time);
        await suggestions.RecomputeAsync(workspaceId, cancellationToken);
        var count = (await suggestions.ListAsync(workspaceId, cancellationToken)).Count;
        return new BackfillResult(results, count, time.GetElapsedTime(started));
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts, and would report out of order).</summary>
    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
