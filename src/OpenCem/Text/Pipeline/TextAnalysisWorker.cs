using Dapper;
using Microsoft.Extensions.Logging;
using OpenCem.Feedback.Distribution;
using OpenCem.Hosting;
using OpenCem.Storage;
using OpenCem.Text.Insights;

namespace OpenCem.Text.Pipeline;

/// <summary>
/// Analyses every comment and signal in the background, so ingestion never waits for it: woken by
/// <see cref="TextWake"/> when data arrives through the API and polling every <see cref="TextOptions.PollInterval"/>
/// for everything else. Each pass runs <see cref="TextCatchUp"/> for every workspace and kind, then recomputes the
/// suggested themes of workspaces whose unmatched comments changed (at most every
/// <see cref="TextOptions.SuggestionInterval"/>).
/// </summary>
public sealed partial class TextAnalysisWorker(
    Database database, TextCatchUp catchUp, ThemeSuggestions suggestions, TextWake wake, TextOptions options, TimeProvider time,
    ILogger<TextAnalysisWorker> logger) : PassWorker
{
    private static readonly TimeSpan PostgresSettle = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, CommitHorizon> _horizons = TextItemKind.All.ToDictionary(k => k, _ => new CommitHorizon());
    private readonly Dictionary<long, DateTimeOffset> _suggested = [];
    private readonly HashSet<long> _dirty = [];

    private TimeSpan Settle => options.Settle ?? (database.Kind == DatabaseKind.Postgres ? PostgresSettle : TimeSpan.Zero);

    /// <summary>One pass over all workspaces and kinds; returns what it did.</summary>
    public Task<CatchUpResult> RunOnceAsync(CancellationToken cancellationToken = default) => ExclusiveAsync(() => PassAsync(cancellationToken), cancellationToken);

    private async Task<CatchUpResult> PassAsync(CancellationToken cancellationToken)
    {
        var settled = new Dictionary<string, long>();
        foreach (var kind in TextItemKind.All)
        {
            settled[kind] = _horizons[kind].Observe(time.GetUtcNow(), await catchUp.MaxIdAsync(kind, cancellationToken), Settle);
        }

        List<long> workspaces;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            workspaces = (await connection.QueryAsync<long>("SELECT id FROM workspaces ORDER BY id")).ToList();
        }

        var total = CatchUpResult.None;
        foreach (var workspaceId in workspaces)
        {
            foreach (var kind in TextItemKind.All)
            {
                var result = await catchUp.RunAsync(workspaceId, kind, settled[kind], options.BatchSize, cancellationToken: cancellationToken);
                if (result.Unmatched > 0 || result.Removed > 0 || (result.Analysed > 0 && !_suggested.ContainsKey(workspaceId)))
                {
                    _dirty.Add(workspaceId);
                }

                total = total.Plus(result);
            }
        }

        foreach (var workspaceId in _dirty.ToList())
        {
            var now = time.GetUtcNow();
            if (!_suggested.TryGetValue(workspaceId, out var last) || now - last >= options.SuggestionInterval)
            {
                await suggestions.RecomputeAsync(workspaceId, cancellationToken);
                _suggested[workspaceId] = now;
                _dirty.Remove(workspaceId);
            }
        }

        return total;
    }

    protected override async Task ScheduledPassAsync(CancellationToken cancellationToken)
    {
        if (await RunOnceAsync(cancellationToken) is { Analysed: > 0 } result)
        {
            LogAnalysed(result.Analysed, result.Removed);
        }
    }

    protected override Task WaitForNextPassAsync(CancellationToken cancellationToken) => wake.WaitAsync(options.PollInterval, time, cancellationToken);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Text analysis: {Analysed} comments and signals analysed, {Removed} analyses removed")]
    private partial void LogAnalysed(long analysed, long removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A text analysis pass failed; retrying at the next interval")]
    private partial void LogPassFailed(Exception exception);

    protected override void PassFailed(Exception exception) => LogPassFailed(exception);
}
