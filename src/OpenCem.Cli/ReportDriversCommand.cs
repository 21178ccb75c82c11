using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OpenCem.Analytics.Disconfirmation;
using OpenCem.Analytics.Drivers;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;
using Spectre.Console;

namespace OpenCem.Cli;

/// <summary>
/// <c>opencem report drivers</c> and <c>opencem report disconfirmation</c>: the analyses of the
/// <c>/api/v1/analytics/drivers</c> and <c>/disconfirmation</c> endpoints as terminal tables (or their JSON).
/// </summary>
internal static class ReportDriversCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary><c>drivers</c>: key driver analysis with the importance × performance quadrants.</summary>
    public static Command Create()
    {
        var survey = Survey();
        var outcome = new Option<string>("--outcome") { Description = "The outcome question (rating, number, yes/no, or matrix.row), e.g. nps.", Required = true };
        var drivers = new Option<string?>("--drivers") { Description = "Driver questions separated by commas; default: the survey's ratings with role driver or experience." };
        var (filter, from, to, db, workspace, json) = Common();
        var samples = new Option<int>("--samples") { Description = "Bootstrap samples for the intervals (20–5000).", DefaultValueFactory = _ => DriverOptions.DefaultSamples };
        var seed = new Option<ulong>("--seed") { Description = "The bootstrap's seed: the same seed gives the same intervals.", DefaultValueFactory = _ => DriverOptions.DefaultSeed };
        var command = new Command("drivers", "Key driver analysis: Shapley shares of R² with bootstrap intervals, performance and the priority quadrant.")
        {
            survey, outcome, drivers, filter, from, to, samples, seed, db, workspace, json,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var count = parse.GetValue(samples);
            if (count is < 20 or > 5000)
            {
                throw new CommandException("--samples must be from 20 to 5000.");
            }

            var (database, stored, filters, period) = await OpenAsync(parse, survey, filter, from, to, db, workspace, cancellationToken);
            await using (database)
            {
                var names = parse.GetValue(drivers)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var request = new DriverRequest(parse.GetRequiredValue(outcome), names, filters, period.From, period.To, new DriverOptions(count, parse.GetValue(seed)));
                DriverReportView report;
                try
                {
                    report = await DriverReport.RunAsync(database, stored, request, cancellationToken);
                }
                catch (DriverDataException exception)
                {
                    throw new CommandException($"{exception.Field}: {exception.Message}");
                }

                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(report, Json));
                    return 0;
                }

                PrintDrivers(stored, report);
                return 0;
            }
        }));
        return command;
    }

    /// <summary><c>disconfirmation</c>: expectation versus experience per attribute.</summary>
    public static Command CreateDisconfirmation()
    {
        var survey = Survey();
        var (filter, from, to, db, workspace, json) = Common();
        var minimum = new Option<int>("--min-n") { Description = "Below this many paired answers an attribute is flagged and never significant.", DefaultValueFactory = _ => DisconfirmationAnalysis.DefaultMinimumN };
        var command = new Command("disconfirmation", "Expectation versus experience per attribute: the gap (experience − expectation) with its 95 % interval.")
        {
            survey, filter, from, to, minimum, db, workspace, json,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var (database, stored, filters, period) = await OpenAsync(parse, survey, filter, from, to, db, workspace, cancellationToken);
            await using (database)
            {
                DisconfirmationView report;
                try
                {
                    report = await DisconfirmationReport.RunAsync(database, stored, filters, period.From, period.To, Math.Max(2, parse.GetValue(minimum)), cancellationToken);
                }
                catch (DriverDataException exception)
                {
                    throw new CommandException($"{exception.Field}: {exception.Message}");
                }

                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(report, Json));
                    return 0;
                }

                PrintGaps(stored, report);
                return 0;
            }
        }));
        return command;
    }

    private static void PrintDrivers(StoredSurvey survey, DriverReportView report)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]{survey.Name}[/]: what drives [bold]{report.OutcomeTitle}[/] ({report.Outcome})");
        AnsiConsole.MarkupLineInterpolated($"n = {report.N:N0} complete of {report.Responses:N0} responses, R² = {report.R2:F3}, {report.Method}, {report.Samples} bootstrap samples (seed {report.Seed})");
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("#", "Driver", "Share %", "95 % CI", "R² part", "Mean", "0–100", "Quadrant");
        table.Columns[1].NoWrap();
        foreach (var column in table.Columns.Skip(2).Take(5))
        {
            column.RightAligned();
        }

        foreach (var d in report.Drivers)
        {
            table.AddRow(
                d.Rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(d.Question), d.Share.ToString("F1", CultureInfo.InvariantCulture), $"{d.ShareCiLow:F1}–{d.ShareCiHigh:F1}",
                d.R2Part.ToString("F3", CultureInfo.InvariantCulture), d.Performance.ToString("F2", CultureInfo.InvariantCulture), d.Performance100.ToString("F0", CultureInfo.InvariantCulture),
                Markup.Escape(d.Quadrant));
        }

        AnsiConsole.Write(table);
        foreach (var d in report.Drivers)
        {
            AnsiConsole.MarkupLineInterpolated($"  [grey]{d.Question}: {d.Title}[/]");
        }

        string Cell(string quadrant) => string.Join("\n", report.Drivers.Where(d => d.Quadrant == quadrant).Select(d => Markup.Escape(d.Question))) is { Length: > 0 } names ? names : "–";
        var grid = new Table().Border(TableBorder.Rounded).Title($"Importance (share ≥ {report.MeanShare:F1} %) × performance (≥ {report.MeanPerformance100:F0} of 100)")
            .AddColumn("").AddColumn("[green]performs well[/]").AddColumn("[red]performs below the mean[/]");
        grid.AddRow("[bold]more important[/]", $"[bold]keep up[/]\n{Cell(DriverQuadrants.KeepUp)}", $"[bold]fix first[/]\n{Cell(DriverQuadrants.FixFirst)}");
        grid.AddRow("less important", $"maintain\n{Cell(DriverQuadrants.Maintain)}", $"monitor\n{Cell(DriverQuadrants.Monitor)}");
        AnsiConsole.Write(grid);
    }

    private static void PrintGaps(StoredSurvey survey, DisconfirmationView report)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]{survey.Name}[/]: experience − expectation per attribute ({report.Responses:N0} responses; flagged below n = {report.MinimumN})");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Attribute", "n", "Expected", "Experienced", "Gap", "95 % CI", "Verdict");
        table.Columns[0].NoWrap();
        foreach (var column in table.Columns.Skip(1).Take(5))
        {
            column.RightAligned();
        }

        foreach (var a in report.Attributes)
        {
            var verdict = a.Missed ? "[red]missed[/]" : a.Significant ? "[green]exceeded[/]" : a.LowN ? "[yellow]few answers[/]" : "no clear gap";
            table.AddRow(
                Markup.Escape(a.Attribute), a.N.ToString(CultureInfo.InvariantCulture), Number(a.Expectation), Number(a.Experience),
                a.Gap is { } g ? g.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : "–",
                a.CiLow is { } lo && a.CiHigh is { } hi ? $"{lo:F2}–{hi:F2}" : "–", verdict);
        }

        AnsiConsole.Write(table);
        static string Number(double? value) => value?.ToString("F2", CultureInfo.InvariantCulture) ?? "–";
    }

    private static Option<string> Survey() => new("--survey") { Description = "The survey: its id or its name.", Required = true };

    private static (Option<string[]> Filter, Option<string?> From, Option<string?> To, Option<string?> Db, Option<string> Workspace, Option<bool> Json) Common() =>
        (new Option<string[]>("--filter") { Description = "FIELD:VALUE, as the API's filter (repeatable): touchpoint, channel, language, source, stage, journey, trait.NAME.", AllowMultipleArgumentsPerToken = false },
         new Option<string?>("--from") { Description = "Responses submitted from this date or time (ISO 8601)." },
         new Option<string?>("--to") { Description = "Responses submitted before this date or time (ISO 8601)." },
         CommonOptions.Database(), CommonOptions.Workspace(),
         new Option<bool>("--json") { Description = "Print the API's JSON instead of tables." });

    private static async Task<(Database Database, StoredSurvey Survey, IReadOnlyList<ResponseFilter> Filters, (long From, long To) Period)> OpenAsync(
        ParseResult parse, Option<string> survey, Option<string[]> filter, Option<string?> from, Option<string?> to, Option<string?> db, Option<string> workspace,
        CancellationToken cancellationToken)
    {
        var (filters, problem) = ResponseFilters.Parse(parse.GetValue(filter) ?? []);
        if (problem is not null)
        {
            throw new CommandException($"--filter: {problem}");
        }

        var period = (Time(parse.GetValue(from), "--from") ?? long.MinValue, Time(parse.GetValue(to), "--to") ?? long.MaxValue);
        var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
        try
        {
            var name = parse.GetRequiredValue(survey);
            var surveys = new SurveyStore(database, TimeProvider.System);
            var stored = long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? await surveys.GetAsync(ws.Id, id, cancellationToken)
                : (await surveys.ListAsync(ws.Id, cancellationToken)).FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
            if (stored is not null && OpenCem.Feedback.Responses.AnonymousResponses.Applies(stored.Definition))
            {
                throw new CommandException($"Survey \"{name}\" asks employees anonymously: opencem report enps shows its results with small groups suppressed.");
            }

            return stored is null
                ? throw new CommandException($"No survey has the id or name \"{name}\" (opencem surveys list shows them).")
                : (database, stored, filters, period);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    private static long? Time(string? value, string option) =>
        value is null ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at.ToUnixTimeMilliseconds()
        : throw new CommandException($"{option}: '{value}' is not a date or time (ISO 8601, e.g. 2025-01-01).");
}
