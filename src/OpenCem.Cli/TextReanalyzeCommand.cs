using System.CommandLine;
using OpenCem.Storage;
using OpenCem.Text.Pipeline;
using Spectre.Console;

namespace OpenCem.Cli;

/// <summary><c>opencem text reanalyze</c>: brings every analysis up to date after the taxonomy or the model changed.</summary>
internal static class TextReanalyzeCommand
{
    /// <summary>On PostgreSQL ids are handed out before commit; writes in flight when the run starts get this long to land.</summary>
    private static readonly TimeSpan PostgresSettle = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var kind = new Option<string>("--kind")
        {
            Description = "What to analyse: responses (survey comments), signals, or all.",
            DefaultValueFactory = _ => "all",
        };
        kind.AcceptOnlyFromAmong("responses", "signals", "all");
        var force = new Option<bool>("--force") { Description = "Analyse everything again, also what is already current (after an analyser update)." };
        var command = new Command(
            "reanalyze",
            "Analyses every comment and signal that has no current analysis (the taxonomy or model changed since), rebuilds the theme rollup and the suggested themes. Idempotent; safe beside a running server.")
        {
            db, workspace, kind, force,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                var kinds = parse.GetRequiredValue(kind) switch
                {
                    "responses" => [TextItemKind.Response],
                    "signals" => [TextItemKind.Signal],
                    _ => TextItemKind.All,
                };
                var catchUp = new TextCatchUp(database, new WorkspaceAnalyzers(database, new Text.Themes.TaxonomyStore(database, TimeProvider.System)), TimeProvider.System);
                long total = 0;
                var settled = new Dictionary<string, long>();
                foreach (var k in kinds)
                {
                    total += await catchUp.CountAsync(ws.Id, k, cancellationToken);
                    settled[k] = await catchUp.MaxIdAsync(k, cancellationToken);
                }

                if (database.Kind == DatabaseKind.Postgres)
                {
                    Console.WriteLine($"Waiting {PostgresSettle.TotalSeconds:N0} s for writes in progress to commit ...");
                    await Task.Delay(PostgresSettle, cancellationToken);
                }

                BackfillResult? result = null;
                await AnsiConsole.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask($"Analysing {total:N0} comments and signals", maxValue: Math.Max(1, total));
                        var progress = new Progress<long>(read => task.Value = Math.Min(read, total));
                        result = await new TextBackfill(database, TimeProvider.System).RunAsync(ws.Id, kinds, parse.GetValue(force), k => settled[k], progress, cancellationToken);
                        task.Value = Math.Max(1, total);
                    });
                foreach (var (k, r) in result!.Kinds)
                {
                    Console.WriteLine($"{(k == TextItemKind.Response ? "Responses" : "Signals")}: {r.Read:N0} read, {r.Analysed:N0} analysed ({r.Unmatched:N0} without a theme), " +
                        $"{r.Removed:N0} analyses removed, {r.Failed:N0} failed.");
                }

                var analysed = result.Kinds.Values.Sum(r => r.Analysed);
                Console.WriteLine($"Analysed {analysed:N0} in {result.Elapsed.TotalSeconds:N1} s ({analysed / Math.Max(0.001, result.Elapsed.TotalSeconds):N0}/s); " +
                    $"theme rollup rebuilt; {result.Suggestions} suggested themes.");
                return 0;
            }
        }));
        return command;
    }
}
