using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OpenCem.Analytics.Metrics;
using OpenCem.Interactions;
using Spectre.Console;

namespace OpenCem.Cli;

/// <summary>
/// <c>opencem report nps|csat|ces|metric</c>: the rows of <c>GET /api/v1/analytics/metrics</c> as a table (or JSON).
/// <see cref="Create"/> returns the <c>report</c> root so other reports (drivers, journey ...) can be added to it;
/// <c>opencem analytics rebuild</c> recounts the rollups.
/// </summary>
internal static class ReportCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var report = new Command("report", "Reports in the terminal: NPS, CSAT, CES and any rating question by period and dimension, key drivers, expectation gaps, journeys and the loyalty ladder.");
        report.Subcommands.Add(Metric("nps", "NPS (promoters 9-10 minus detractors 0-6) with its 95 % interval; eNPS with --employees.", fixedMetric: "nps"));
        report.Subcommands.Add(Metric("csat", "CSAT: the top-two-box share (4-5 of 5) with its Wilson interval and the mean.", fixedMetric: "csat"));
        report.Subcommands.Add(Metric("ces", "CES: the mean ease (1-7, 7 = very easy) with its t interval.", fixedMetric: "ces"));
        report.Subcommands.Add(Metric("metric", "Any metric: --metric nps|csat|ces|mean|enps (mean needs --survey and --question).", fixedMetric: null));
        report.Subcommands.Add(ReportDriversCommand.Create());
        report.Subcommands.Add(ReportDriversCommand.CreateDisconfirmation());
        report.Subcommands.Add(ReportJourneyCommand.Create());
        report.Subcommands.Add(ReportJourneyCommand.CreateLadder());
        report.Subcommands.Add(ReportChurnCommand.Create());
        report.Subcommands.Add(ReportChurnCommand.CreateEquity());
        report.Subcommands.Add(ReportClvCommand.Create());
        report.Subcommands.Add(ReportCcciCommand.Create());
        report.Subcommands.Add(ReportInitiativesCommand.Create());
        return report;
    }

    /// <summary><c>opencem analytics rebuild</c>: recounts the metrics rollups from the stored responses.</summary>
    public static Command Analytics()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var rebuild = new Command("rebuild", "Recounts the metrics rollups of the workspace from its stored responses.") { db, workspace };
        rebuild.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                var started = TimeProvider.System.GetTimestamp();
                var count = await MetricRollup.RebuildAsync(database, ws.Id, cancellationToken);
                Console.WriteLine($"Counted {count:N0} responses into the metrics rollups in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s.");
                return 0;
            }
        }));
        return new Command("analytics", "Maintenance of the analytics rollups.") { rebuild };
    }

    private static Command Metric(string name, string description, string? fixedMetric)
    {
        var metric = new Option<string>("--metric") { Description = "nps, csat, ces, mean or enps.", DefaultValueFactory = _ => "nps" };
        var employees = new Option<bool>("--employees") { Description = "eNPS: NPS over the employee surveys (\"audience\": \"employees\")." };
        var survey = new Option<string?>("--survey") { Description = "A survey id (default: every survey with the metric's role question)." };
        var question = new Option<string?>("--question") { Description = "A rating or numeric question of --survey (matrix cells as matrix.row)." };
        var by = new Option<string?>("--by") { Description = "Up to 3 dimensions, comma-separated: touchpoint, channel, journey, stage, survey, language, lifecycleStage, loyaltyState, trait.NAME, answer.QUESTION." };
        var interval = new Option<string?>("--interval") { Description = "day, week, month (default), quarter, year or all." };
        var from = new Option<string?>("--from") { Description = "First day (2025-01-31) or time, inclusive." };
        var to = new Option<string?>("--to") { Description = "Last day, inclusive (or a time, exclusive)." };
        var filter = new Option<string[]>("--filter") { Description = "FIELD:VALUE or FIELD:V1|V2; repeat to combine.", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print the rows as JSON (as the API answers)." };
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var command = new Command(name, description) { survey, question, by, interval, from, to, filter, json, db, workspace };
        if (fixedMetric is null)
        {
            command.Options.Add(metric);
        }

        if (fixedMetric == "nps")
        {
            command.Options.Add(employees);
        }

        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                await MetricRollup.RebuildPendingAsync(database, cancellationToken);
                var reader = new MetricsReader(database, new CatalogueStore(database, TimeProvider.System), new MetricsSettingsStore(database));
                var settings = await reader.SettingsAsync(ws.Id, cancellationToken);
                var kind = fixedMetric ?? parse.GetValue(metric);
                kind = kind == "nps" && parse.GetValue(employees) ? "enps" : kind;
                var request = MetricsRequestParser.Parse(
                    kind, parse.GetValue(question), parse.GetValue(survey), parse.GetValue(by), parse.GetValue(interval), parse.GetValue(from), parse.GetValue(to),
                    parse.GetValue(filter) ?? [], settings, out var error) ?? throw new CommandException($"--{error!.Field}: {error.Message}");
                var (rows, problem) = await reader.ReadAsync(ws.Id, request, settings, cancellationToken);
                if (problem is not null)
                {
                    throw new CommandException($"--{problem.Field}: {problem.Message}");
                }

                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(rows, Json));
                }
                else
                {
                    Print(request, rows, settings);
                }

                return 0;
            }
        }));
        return command;
    }

    private static void Print(MetricsRequest request, IReadOnlyList<MetricRow> rows, MetricsSettings settings)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("period");
        foreach (var dimension in request.By)
        {
            table.AddColumn(Markup.Escape(dimension));
        }

        foreach (var column in new[] { "n", request.Metric.ToString().ToLowerInvariant(), "95 % interval", "previous", "change" })
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
        }

        foreach (var row in rows)
        {
            var cells = new List<string> { row.Period };
            cells.AddRange(request.By.Select(d => Markup.Escape(row.Group?.GetValueOrDefault(d) ?? "(none)")));
            cells.Add(row.Flagged ? $"[yellow]{row.N}[/]" : row.N.ToString(CultureInfo.InvariantCulture));
            cells.Add(Number(row.Value));
            cells.Add(row.CiLow is { } low && row.CiHigh is { } high ? $"{Number(low)} to {Number(high)}" : "n < 2");
            cells.Add(row.Previous is { } previous ? Number(previous) : "");
            cells.Add(row.Significant ? (row.Value > row.Previous ? "[green]up[/]" : "[red]down[/]") : "");
            table.AddRow(cells.ToArray());
        }

        AnsiConsole.Write(table);
        Console.WriteLine($"{rows.Count} rows; n in yellow: below the minimum of {settings.MinimumN} (never significant); change: significant at 95 %.");
    }

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
