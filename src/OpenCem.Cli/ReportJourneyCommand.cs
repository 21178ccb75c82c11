using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCem.Analytics.Journeys;
using OpenCem.Analytics.Ladder;
using OpenCem.Interactions;
using Spectre.Console;

namespace OpenCem.Cli;

/// <summary>
/// <c>opencem report journey JOURNEY</c> and <c>opencem report ladder</c>: the journey and ladder endpoints' answers in
/// the terminal (or as the same JSON). Each first brings the projections up to date, so they work without a server.
/// </summary>
internal static class ReportJourneyCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Command Create()
    {
        var journey = new Argument<string>("JOURNEY") { Description = "The journey's key or id (e.g. fault-repair)." };
        var from = new Option<string?>("--from") { Description = "Instances that started on or after this day (ISO 8601)." };
        var to = new Option<string?>("--to") { Description = "Instances that started before this day (ISO 8601)." };
        var filter = new Option<string[]>("--filter") { Description = "FIELD:VALUE, e.g. channel:app or trait.plan:broadband; repeatable.", AllowMultipleArgumentsPerToken = false };
        var top = new Option<int>("--top") { Description = "How many paths to show.", DefaultValueFactory = _ => 10 };
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var json = new Option<bool>("--json") { Description = "Print the answer as JSON, as the API gives it." };
        var command = new Command("journey", "A journey's stages (entered, conversion, drop-off, time to the next stage), its most frequent paths and its emotion curve.")
        {
            journey, from, to, filter, top, db, workspace, json,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var query = JourneysApi.ParseQuery(parse.GetValue(from), parse.GetValue(to), parse.GetValue(filter) ?? [], parse.GetValue(top).ToString(CultureInfo.InvariantCulture), null, out var problem)
                ?? throw new CommandException(Problem(problem));
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                var catalogue = new CatalogueStore(database, TimeProvider.System);
                var options = new JourneyOptions();
                using (var projector = new JourneyProjector(database, catalogue, options, TimeProvider.System, NullLogger<JourneyProjector>.Instance))
                {
                    await projector.RunOnceAsync(cancellationToken);
                }

                var journeys = new JourneyQuery(database, catalogue, options);
                var key = parse.GetRequiredValue(journey);
                var found = await journeys.FindAsync(ws.Id, key, cancellationToken) ?? throw new CommandException($"There is no journey with the id or key \"{key}\".");
                var view = await journeys.GetAsync(ws.Id, found, query, cancellationToken);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(view, Json));
                    return 0;
                }

                Print(view);
                return 0;
            }
        }));
        return command;
    }

    public static Command CreateLadder()
    {
        var by = new Option<string?>("--by") { Description = "Group by a customer trait: trait.NAME (e.g. trait.plan)." };
        var interval = new Option<string>("--interval") { Description = "month, quarter or year.", DefaultValueFactory = _ => "quarter" };
        var from = new Option<string?>("--from") { Description = "First period (ISO 8601 date)." };
        var to = new Option<string?>("--to") { Description = "End of the last period, exclusive (ISO 8601 date)." };
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var json = new Option<bool>("--json") { Description = "Print the answer as JSON, as the API gives it." };
        var command = new Command("ladder", "The loyalty ladder per period: customers per NPS rung and per rung of satisfied, loyal, advocate, and how they moved.")
        {
            by, interval, from, to, db, workspace, json,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var span = parse.GetRequiredValue(interval);
            if (!LadderPeriods.IsKnown(span))
            {
                throw new CommandException($"--interval \"{span}\" is not an interval of the ladder; use month, quarter or year.");
            }

            var group = parse.GetValue(by);
            if (group is not null && (!group.StartsWith("trait.", StringComparison.Ordinal) || group.Length == "trait.".Length))
            {
                throw new CommandException($"--by \"{group}\" cannot group the ladder; use trait.NAME (e.g. trait.plan).");
            }

            var query = JourneysApi.ParseQuery(parse.GetValue(from), parse.GetValue(to), default, null, null, out var problem)
                ?? throw new CommandException(Problem(problem));
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                using (var projector = new LadderProjector(database, new LadderRulesStore(database), TimeProvider.System, NullLogger<LadderProjector>.Instance))
                {
                    await projector.RunOnceAsync(false, cancellationToken);
                }

                var view = await new LadderQuery(database, TimeProvider.System).GetAsync(ws.Id, span, group?["trait.".Length..], query.From, query.To, cancellationToken);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(view, Json));
                    return 0;
                }

                Print(view);
                return 0;
            }
        }));
        return command;
    }

    private static string Problem(Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? problem) =>
        problem?.ProblemDetails is { } details ? $"--{details.Extensions["field"]}: {details.Detail}" : "Bad options.";

    /// <summary>Piped into a file or another program, the tables get room instead of the 80 columns of an unknown terminal.</summary>
    private static void Widen()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 180);
        }
    }

    private static void Print(JourneyAnalyticsView view)
    {
        Widen();
        AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(view.Name)}[/] ({view.Instances:N0} instances{(view.Filters.Count > 0 ? "; " + Markup.Escape(string.Join(", ", view.Filters)) : "")})").LeftJustified());
        var stages = new Table().AddColumns("Stage", "Entered", "Converted", "Conversion", "Drop-off", "In progress", "Hours to next: median (p25–p75)");
        foreach (var s in view.Stages)
        {
            stages.AddRow(
                Markup.Escape(s.Name), s.Entered.ToString("N0", CultureInfo.InvariantCulture), s.Converted.ToString("N0", CultureInfo.InvariantCulture),
                s.Conversion is { } c ? c.ToString("P1", CultureInfo.InvariantCulture) : "–", s.DropOff.ToString("N0", CultureInfo.InvariantCulture),
                s.InProgress.ToString("N0", CultureInfo.InvariantCulture),
                s.TimeToNext is { } w ? string.Create(CultureInfo.InvariantCulture, $"{w.MedianHours:N1} ({w.P25Hours:N1}–{w.P75Hours:N1})") : "–");
        }

        AnsiConsole.Write(stages);
        var paths = new Table().AddColumns("Path", "Instances", "Share", "");
        foreach (var p in view.Paths)
        {
            paths.AddRow(Markup.Escape(string.Join(" → ", p.Stages)), p.Instances.ToString("N0", CultureInfo.InvariantCulture), p.Share.ToString("P1", CultureInfo.InvariantCulture),
                (p.Loops ? "loop " : "") + (p.Skips ? "skip" : ""));
        }

        AnsiConsole.Write(paths);
        var chart = new BarChart().Label("Emotion curve (0–100: scores and sentiment on one scale)").WithMaxValue(100).Width(70);
        foreach (var e in view.Emotion)
        {
            var label = $"{e.Stage} (n {e.N}{(e.LowN ? ", low n" : "")})";
            chart.AddItem(Markup.Escape(label), Math.Round(e.Emotion ?? 0, 1), e.MomentOfPain ? Color.Red : e.Emotion is null ? Color.Grey : Color.Green);
        }

        AnsiConsole.Write(chart);
        AnsiConsole.MarkupLine(view.MomentOfPain is { } pain ? $"Moment of pain: [red bold]{Markup.Escape(pain)}[/]" : "No stage has feedback yet.");
    }

    private static void Print(LadderView view)
    {
        Widen();
        var table = new Table().AddColumns(["Period", .. view.By is null ? Array.Empty<string>() : [view.By], .. Rungs.Nps, .. Rungs.Behaviour, "Moves up", "Moves down"]);
        foreach (var p in view.Periods)
        {
            var order = Rungs.Behaviour.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
            var up = p.LadderMoves.Where(m => order.ContainsKey(m.From) && order.ContainsKey(m.To) && order[m.To] > order[m.From]).Sum(m => m.Customers);
            var down = p.LadderMoves.Where(m => order.ContainsKey(m.From) && order.ContainsKey(m.To) && order[m.To] < order[m.From]).Sum(m => m.Customers);
            table.AddRow([
                p.Period, .. p.Group is null ? Array.Empty<string>() : [Markup.Escape(p.Group)],
                .. Rungs.Nps.Select(r => p.Nps[r].ToString("N0", CultureInfo.InvariantCulture)),
                .. Rungs.Behaviour.Select(r => p.Ladder[r].ToString("N0", CultureInfo.InvariantCulture)),
                up.ToString("N0", CultureInfo.InvariantCulture), down.ToString("N0", CultureInfo.InvariantCulture),
            ]);
        }

        AnsiConsole.Write(table);
    }
}
