using System.Data.Common;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Text.Pipeline;

/// <summary>What one catch-up did: items read, analyses stored, analyses removed (the text had gone), and analyses without any theme.</summary>
public sealed record CatchUpResult(long Read, long Analysed, long Removed, long Unmatched, long Failed)
{
    public static readonly CatchUpResult None = new(0, 0, 0, 0, 0);

    public CatchUpResult Plus(CatchUpResult other) => new(
        Read + other.Read, Analysed + other.Analysed, Removed + other.Removed, Unmatched + other.Unmatched, Failed + other.Failed);
}

/// <summary>
/// Brings the analyses of one workspace and kind up to date: walks the items in id order after the progress mark
/// (<c>text_progress</c>), analyses those without a current analysis and stores each batch, its rollup changes and the
/// new mark in one transaction. When the analyser's version (analyser, taxonomy, model) differs from the one the mark
/// was made with, the walk starts again at the first id, so every stale analysis is redone. The mark never passes the
/// settled id the caller gives (PostgreSQL hands out ids before commit), and items beyond it that are already current
/// are skipped cheaply. Responses still being filled in on the respondent page wait in <c>text_pending</c> until completed.
/// </summary>
public sealed class TextCatchUp(Database database, WorkspaceAnalyzers analyzers, TimeProvider time)
{
    /// <summary>How long a partial response is watched for its completion.</summary>
    private static readonly TimeSpan PendingFor = TimeSpan.FromDays(60);

    public async Task<CatchUpResult> RunAsync(
        long workspaceId, string kind, long settled, int batchSize, bool force = false, bool parallel = false, IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var analyzer = await analyzers.GetAsync(workspaceId, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var state = await connection.QuerySingleOrDefaultAsync<ProgressRow>(
            "SELECT version AS Version, after_id AS After FROM text_progress WHERE workspace_id = @workspaceId AND item_kind = @kind",
            new { workspaceId, kind });
        var rewalk = force || state is null || state.Version != analyzer.Version;
        var after = rewalk ? 0 : state!.After;
        var mark = after;
        var result = kind == TextItemKind.Response ? await PendingAsync(connection, workspaceId, analyzer, cancellationToken) : CatchUpResult.None;
        while (!cancellationToken.IsCancellationRequested)
        {
            var rows = (await connection.QueryAsync<TextItem>(
                $"{Select(kind)} WHERE t.workspace_id = @workspaceId AND t.id > @after ORDER BY t.id LIMIT @batchSize",
                new { workspaceId, kind, after, batchSize })).ToList();
            var last = rows.Count > 0 ? rows[^1].Id : after;
            var nextMark = rewalk ? Math.Min(last, settled) : Math.Max(mark, Math.Min(last, settled));
            var work = rows.Where(r => r.Final && r.Analysable is not null && (force || r.Version != analyzer.Version)).ToList();
            var removed = rows.Where(r => r.Analysable is null && r.Version is not null).Select(r => r.Id).ToList();
            var partial = rows.Where(r => !r.Final && r.Analysable is not null).Select(r => r.Id).ToList();
            var batch = Analyse(analyzer, work, parallel);
            if (batch.Stored.Count > 0 || removed.Count > 0 || partial.Count > 0 || nextMark != mark || state is null || rewalk && state.Version != analyzer.Version)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await TextAnalysisWriter.LockAsync(connection, transaction, workspaceId);
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                await TextAnalysisWriter.WriteAsync(connection, transaction, workspaceId, kind, batch.Stored, removed, analyzer.Version, now);
                await connection.ExecuteAsync(
                    "INSERT INTO text_pending (workspace_id, item_kind, item_id, since) VALUES (@workspaceId, @kind, @id, @now) ON CONFLICT DO NOTHING",
                    partial.Select(id => new { workspaceId, kind, id, now }), transaction);
                await connection.ExecuteAsync(
                    """
                    INSERT INTO text_progress (workspace_id, item_kind, version, after_id) VALUES (@workspaceId, @kind, @version, @nextMark)
                    ON CONFLICT (workspace_id, item_kind) DO UPDATE SET version = excluded.version, after_id = excluded.after_id
                    """,
                    new { workspaceId, kind, version = analyzer.Version, nextMark }, transaction);
                await transaction.CommitAsync(cancellationToken);
                state = new ProgressRow { Version = analyzer.Version, After = nextMark };
            }

            mark = nextMark;
            result = result.Plus(new CatchUpResult(rows.Count, batch.Stored.Count, removed.Count, batch.Unmatched, batch.Failed));
            progress?.Report(result.Read);
            after = last;
            if (rows.Count < batchSize)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>How many items a walk from the start would read: the total of a progress bar.</summary>
    public async Task<long> CountAsync(long workspaceId, string kind, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            $"SELECT count(*) FROM {(kind == TextItemKind.Response ? "survey_responses" : "signals")} WHERE workspace_id = @workspaceId", new { workspaceId });
    }

    /// <summary>The largest id of the kind's table now (every workspace): what the caller's commit horizon observes.</summary>
    public async Task<long> MaxIdAsync(string kind, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>($"SELECT max(id) FROM {(kind == TextItemKind.Response ? "survey_responses" : "signals")}") ?? 0;
    }

    /// <summary>Partial responses seen earlier: analysed once completed, forgotten once gone or abandoned long ago.</summary>
    private async Task<CatchUpResult> PendingAsync(DbConnection connection, long workspaceId, WorkspaceAnalyzer analyzer, CancellationToken cancellationToken)
    {
        var pending = (await connection.QueryAsync<(long Id, long Since)>(
            "SELECT item_id, since FROM text_pending WHERE workspace_id = @workspaceId AND item_kind = @kind",
            new { workspaceId, kind = TextItemKind.Response })).ToList();
        if (pending.Count == 0)
        {
            return CatchUpResult.None;
        }

        var ids = pending.Select(p => p.Id).ToArray();
        var rows = (await connection.QueryAsync<TextItem>(
            $"{Select(TextItemKind.Response)} WHERE t.workspace_id = @workspaceId AND {SqlLists.In(connection, "t.id", "ids")}",
            new { workspaceId, kind = TextItemKind.Response, ids })).ToDictionary(r => r.Id);
        var now = time.GetUtcNow();
        var done = pending
            .Where(p => !rows.TryGetValue(p.Id, out var row) || row.Final || DateTimeOffset.FromUnixTimeMilliseconds(p.Since) < now - PendingFor)
            .Select(p => p.Id)
            .ToArray();
        if (done.Length == 0)
        {
            return CatchUpResult.None;
        }

        var batch = Analyse(analyzer, done.Where(rows.ContainsKey).Select(id => rows[id]).Where(r => r.Final && r.Analysable is not null).ToList(), parallel: false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TextAnalysisWriter.LockAsync(connection, transaction, workspaceId);
        await TextAnalysisWriter.WriteAsync(connection, transaction, workspaceId, TextItemKind.Response, batch.Stored, [], analyzer.Version, now.ToUnixTimeMilliseconds());
        await connection.ExecuteAsync(
            $"DELETE FROM text_pending WHERE workspace_id = @workspaceId AND item_kind = @kind AND {SqlLists.In(connection, "item_id", "done")}",
            new { workspaceId, kind = TextItemKind.Response, done }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return new CatchUpResult(done.Length, batch.Stored.Count, 0, batch.Unmatched, batch.Failed);
    }

    private static (List<AnalysedItem> Stored, long Unmatched, long Failed) Analyse(WorkspaceAnalyzer analyzer, List<TextItem> items, bool parallel)
    {
        var results = new AnalysedItem?[items.Count];
        void One(int i)
        {
            var item = items[i];
            try
            {
                var analysis = analyzer.Analyzer.Analyze(item.Analysable, item.LanguageHint);
                var day = item.At - (((item.At % DayMilliseconds) + DayMilliseconds) % DayMilliseconds);
                results[i] = new AnalysedItem(item.Id, analysis, day, item.Survey_Id, item.Touchpoint_Id ?? 0, item.Nps, item.Csat);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // One text the analyser cannot take must not stop the others; it stays unanalysed.
                results[i] = null;
            }
        }

        if (parallel && items.Count > 64)
        {
            Parallel.For(0, items.Count, One);
        }
        else
        {
            for (var i = 0; i < items.Count; i++)
            {
                One(i);
            }
        }

        var stored = results.OfType<AnalysedItem>().ToList();
        return (stored, stored.Count(s => s.Analysis.Themes.Count == 0), results.Count(r => r is null));
    }

    private const long DayMilliseconds = 86_400_000;

    /// <summary>The items of a kind with their current analysis's version, as <see cref="TextItem"/> rows (alias <c>t</c>).</summary>
    private static string Select(string kind) => kind == TextItemKind.Response
        ? """
          SELECT t.id AS Id, t.comment AS Text, CAST(NULL AS TEXT) AS Title, t.language AS Language, t.status AS Status, t.submitted_at AS At,
              t.survey_id AS Survey_Id, t.touchpoint_id AS Touchpoint_Id, t.nps AS Nps, t.csat AS Csat, a.version AS Version
          FROM survey_responses t
          LEFT JOIN text_analyses a ON a.workspace_id = t.workspace_id AND a.item_kind = @kind AND a.item_id = t.id
          """
        : """
          SELECT t.id AS Id, t.text AS Text, t.title AS Title, t.language AS Language, CAST(NULL AS TEXT) AS Status, t.occurred_at AS At,
              CAST(0 AS BIGINT) AS Survey_Id, t.touchpoint_id AS Touchpoint_Id, CAST(NULL AS INTEGER) AS Nps, CAST(NULL AS INTEGER) AS Csat, a.version AS Version
          FROM signals t
          LEFT JOIN text_analyses a ON a.workspace_id = t.workspace_id AND a.item_kind = @kind AND a.item_id = t.id
          """;

    private sealed class ProgressRow
    {
        public string Version { get; set; } = "";

        public long After { get; set; }
    }
}
