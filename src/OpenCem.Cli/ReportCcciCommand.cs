using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OpenCem.Organisation.Maturity;
using Spectre.Console;

namespace OpenCem.Cli;

/// <summary>
/// <c>opencem report ccci [--assessment ID] [--compare ID]</c>: the Customer Care Concept Index of an assessment (default:
/// the newest) as <c>GET /api/v1/assessments/{id}/index</c> computes it, as a table per element.
/// </summary>
internal static class ReportCcciCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var assessment = new Option<long?>("--assessment") { Description = "The assessment's id (default: the newest)." };
        var compare = new Option<long?>("--compare") { Description = "Another assessment's id: adds the change against it." };
        var json = new Option<bool>("--json") { Description = "Print the index as JSON (as the API answers)." };
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var command = new Command("ccci", "The Customer Care Concept Index of an assessment: per element the score, assessors' spread, target, gap, change and what OpenCem's data says.")
        {
            assessment, compare, json, db, workspace,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                var store = new AssessmentStore(database, TimeProvider.System);
                var index = new AssessmentIndex(store, new IndicatorReader(database), TimeProvider.System);
                var id = parse.GetValue(assessment)
                    ?? (await store.ListAsync(ws.Id, cancellationToken)).FirstOrDefault()?.Id
                    ?? throw new CommandException("The workspace has no assessment yet: create one with POST /api/v1/assessments.");
                var other = parse.GetValue(compare);
                if (other is { } otherId && await store.GetAsync(ws.Id, otherId, cancellationToken) is null)
                {
                    throw new CommandException($"--compare: there is no assessment {otherId}.");
                }

                var view = await index.ReadAsync(ws.Id, id, other, cancellationToken)
                    ?? throw new CommandException($"--assessment: there is no assessment {id}.");
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

    private static void Print(AssessmentIndexView view)
    {
        Console.WriteLine(string.Create(C, $"Assessment {view.Id} \"{view.Name}\" of {view.AssessedAt:yyyy-MM-dd} ({view.Status}, {view.Assessors} assessors)"));
        var index = view.Index is { } i ? i.ToString("0.0", C) : "-";
        var completeness = view.Complete ? "all ten elements rated" : $"incomplete: {string.Join(", ", view.Unrated)} not rated";
        var change = view.Comparison is { } c ? string.Create(C, $"; {Signed(c.IndexChange, "0.0")} against \"{c.Name}\" of {c.AssessedAt:yyyy-MM-dd} ({c.Index?.ToString("0.0", C) ?? "-"})") : "";
        Console.WriteLine($"Customer Care Concept Index: {index} / 100 ({completeness}){change}");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("element", "score", "assessors", "sd", "min-max", "target", "gap");
        if (view.Comparison is not null)
        {
            table.AddColumn("change");
        }

        var changes = view.Comparison?.Elements.ToDictionary(e => e.Element, e => e.Change) ?? [];
        foreach (var e in view.Elements)
        {
            var cells = new List<string>
            {
                Markup.Escape(e.Name),
                Number(e.Score, "0.00"),
                e.AssessorCount.ToString(C),
                Number(e.Spread?.StandardDeviation, "0.00"),
                e.Spread is { } s ? string.Create(C, $"{s.Min:0.0}-{s.Max:0.0}{(s.Disagreement ? " [yellow]apart[/]" : "")}") : "-",
                Number(e.Target, "0.0"),
                Number(e.Gap, "0.00"),
            };
            if (view.Comparison is not null)
            {
                cells.Add(Signed(changes.GetValueOrDefault(e.Key), "0.00"));
            }

            table.AddRow([.. cells]);
        }

        AnsiConsole.Write(table);
        var data = new Table().Border(TableBorder.Rounded).AddColumns("element", "measured from OpenCem's data", "value", "band", "self-rating", "");
        foreach (var e in view.Elements)
        {
            foreach (var indicator in e.Indicators)
            {
                data.AddRow(
                    Markup.Escape(e.Name), Markup.Escape(indicator.Name), indicator.Value is { } v ? v.ToString("P0", C) : "no data", indicator.Band?.ToString(C) ?? "-",
                    Number(indicator.SelfRating, "0.0"), indicator.Contradicted ? "[red]contradicted[/]" : "");
            }
        }

        AnsiConsole.Write(data);
        if (view.Gaps.Count > 0)
        {
            Console.WriteLine("Gaps to target, largest first: " + string.Join(", ", view.Gaps.Where(g => g.Gap > 0).Select(g => string.Create(C, $"{g.Rank}. {g.Name} {g.Gap:0.00}"))));
        }

        foreach (var e in view.Elements.Where(e => e.Contradicted))
        {
            foreach (var indicator in e.Indicators.Where(x => x.Contradicted))
            {
                Console.WriteLine(string.Create(C, $"Contradicted: {e.Name}, {indicator.Criterion} rated {indicator.SelfRating:0.0}, but the data says {indicator.Value:P0} {indicator.Name} (band {indicator.Band})."));
            }
        }
    }

    private static string Number(double? value, string format) => value is { } v ? v.ToString(format, C) : "-";

    private static string Signed(double? value, string format) => value is { } v ? (v > 0 ? "+" : "") + v.ToString(format, C) : "-";
}
